// The AppDynamics agent bootstrap (issue 3 item 5, IAC-NOTES.md §E). With APP_DYNAMICS on it reads the settings
// (appdynamics.cfg at APPDYNAMICS_CONFIG_PATH, then APPDYNAMICS_* variables on top), finds the agent module
// (APPDYNAMICS_AGENT_PATH), warns when this Node version is outside the agent's declared range and calls
// `profile()` — before any other module is loaded, which is why every entry point imports its preload first.
// With APP_DYNAMICS off (the default) it reads one variable and returns: no file, no module, no cost.
//
// The real agent cannot be installed or run here (its install downloads native parts from the vendor's CDN); the
// tests drive this loader with a stand-in module that records what profile() received.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  APPDYNAMICS_INI_KEYS,
  APPDYNAMICS_REQUIRED,
  AppDynamicsConfigError,
  convertSetting,
  parseAppDynamicsIni,
  parseBooleanWord,
  type AppDynamicsSettings,
} from './appdynamics-ini';

export { AppDynamicsConfigError } from './appdynamics-ini';

export const DEFAULT_CONFIG_PATH = '/etc/appdynamics.cfg';
export const DEFAULT_AGENT = 'appdynamics';
/** What appdynamics@24.4.1 declares (`engines.node`), used when the installed agent declares nothing. */
export const AGENT_NODE_RANGE_FALLBACK = '>=12 <=21.x';

export type Env = Readonly<Record<string, string | undefined>>;

export interface AppDynamicsStartOptions {
  /** `function` bundles cannot carry the agent or a mounted file: settings come from variables. */
  packaging: 'container' | 'function';
  env?: Env;
  /** Loads a module by absolute path (the tests substitute it; the default is Node's require). */
  load?: (resolvedPath: string) => unknown;
  warn?: (message: string) => void;
  nodeVersion?: string;
}

export type AppDynamicsStatus =
  | { enabled: false }
  | { enabled: true; agentPath: string; agentVersion?: string; options: AppDynamicsSettings; warnings: string[] };

function unset(env: Env, name: string): boolean {
  return (env[name] ?? '').trim() === '';
}

/** APP_DYNAMICS as the runtime contract reads it (on/off, true/false, yes/no, 1/0); anything else counts as off here
 * and is reported by loadConfig, which names the variable. */
export function appDynamicsEnabled(env: Env): boolean {
  return parseBooleanWord(env.APP_DYNAMICS ?? '') === true;
}

/** The profile() options from appdynamics.cfg (if any) with APPDYNAMICS_* variables taking precedence. */
export function resolveAgentOptions(
  env: Env,
  packaging: 'container' | 'function',
): { options: AppDynamicsSettings; warnings: string[]; configPath?: string } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const configPath = unset(env, 'APPDYNAMICS_CONFIG_PATH') ? DEFAULT_CONFIG_PATH : (env.APPDYNAMICS_CONFIG_PATH as string).trim();
  let fromFile: AppDynamicsSettings = {};
  let usedFile: string | undefined;
  if (existsSync(configPath)) {
    if (statSync(configPath).isDirectory()) {
      throw new AppDynamicsConfigError([
        `${configPath} (APPDYNAMICS_CONFIG_PATH) is a directory, not the agent configuration (docker creates a directory when the file to mount is missing)`,
      ]);
    }
    const parsed = parseAppDynamicsIni(readFileSync(configPath, 'utf8'), configPath);
    fromFile = parsed.settings;
    warnings.push(...parsed.warnings);
    usedFile = configPath;
  } else if (packaging === 'container') {
    throw new AppDynamicsConfigError([
      `APP_DYNAMICS is on but the agent configuration ${configPath} does not exist (APPDYNAMICS_CONFIG_PATH): mount appdynamics.cfg there, or set APPDYNAMICS_CONFIG_PATH to where it is`,
    ]);
  }
  const options: Record<string, unknown> = { ...fromFile };
  for (const spec of APPDYNAMICS_INI_KEYS) {
    const raw = env[spec.env];
    if (raw === undefined || raw.trim() === '') continue;
    const converted = convertSetting(spec, raw.trim(), spec.env);
    if ('problem' in converted) problems.push(converted.problem);
    else {
      options[spec.option] = converted.value;
      if (converted.warning) warnings.push(converted.warning);
    }
  }
  for (const option of APPDYNAMICS_REQUIRED) {
    if (options[option] !== undefined) continue;
    const spec = APPDYNAMICS_INI_KEYS.find((k) => k.option === option)!;
    problems.push(
      packaging === 'function'
        ? `${spec.env} is required when APP_DYNAMICS is on (a function gets the agent settings as variables)`
        : `${usedFile}: [${spec.section}] ${spec.key} is missing (or set ${spec.env})`,
    );
  }
  if (problems.length > 0) throw new AppDynamicsConfigError(problems);
  return { options: options as AppDynamicsSettings, warnings, configPath: usedFile };
}

/** Where the agent module is, resolved the way `require` would from the working directory or from this bundle. */
export function resolveAgent(agent: string): string | undefined {
  try {
    return require.resolve(agent, { paths: [process.cwd(), __dirname] });
  } catch {
    return undefined;
  }
}

function readAgentPackage(resolved: string): { version?: string; engines?: { node?: string } } | undefined {
  let dir = dirname(resolved);
  for (let i = 0; i < 4; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        return undefined;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** A warning when `nodeVersion` is outside `range` (an npm engines range such as ">=12 <=v21.*"). */
export function nodeVersionWarning(range: string, nodeVersion: string): string | undefined {
  // Loaded here, not at the top: with APP_DYNAMICS off nothing but this file is evaluated.
  const semver = require('semver') as typeof import('semver');
  const version = semver.coerce(nodeVersion)?.version ?? nodeVersion;
  const valid = semver.validRange(range, { loose: true });
  if (!valid) return undefined;
  if (semver.satisfies(version, valid, { loose: true, includePrerelease: true })) return undefined;
  return `the agent declares Node ${range}, but this is Node ${version}: it may fail to instrument or to load its native parts`;
}

/**
 * Starts the agent when APP_DYNAMICS is on. Throws AppDynamicsConfigError naming what is wrong: the file missing or
 * a key invalid, the agent not installed, a function packaging without a customer-supplied agent.
 */
export function startAppDynamics(opts: AppDynamicsStartOptions): AppDynamicsStatus {
  const env = opts.env ?? process.env;
  if (!appDynamicsEnabled(env)) return { enabled: false };
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`flagstack: warning: AppDynamics: ${m}\n`));
  if (opts.packaging === 'function' && unset(env, 'APPDYNAMICS_AGENT_PATH')) {
    throw new AppDynamicsConfigError([
      'APPDYNAMICS_AGENT_PATH is required when APP_DYNAMICS is on in a function packaging: a function bundle cannot carry the agent, so name the customer-supplied one (a Lambda layer installs it at /opt/nodejs/node_modules/appdynamics)',
    ]);
  }
  const { options, warnings } = resolveAgentOptions(env, opts.packaging);
  const agent = unset(env, 'APPDYNAMICS_AGENT_PATH') ? DEFAULT_AGENT : (env.APPDYNAMICS_AGENT_PATH as string).trim();
  const resolved = resolveAgent(agent);
  if (!resolved) {
    throw new AppDynamicsConfigError([
      opts.packaging === 'container'
        ? `APP_DYNAMICS is on but the AppDynamics agent "${agent}" is not installed (APPDYNAMICS_AGENT_PATH): build the image with --build-arg APP_DYNAMICS=on, or set APPDYNAMICS_AGENT_PATH to where the agent is`
        : `APP_DYNAMICS is on but the AppDynamics agent "${agent}" (APPDYNAMICS_AGENT_PATH) cannot be found: attach the agent layer or install the agent at that path`,
    ]);
  }
  const pkg = readAgentPackage(resolved);
  const range = pkg?.engines?.node ?? AGENT_NODE_RANGE_FALLBACK;
  const versionWarning = nodeVersionWarning(range, opts.nodeVersion ?? process.version);
  if (versionWarning) warnings.push(versionWarning);
  for (const w of warnings) warn(w);
  const load = opts.load ?? ((path: string) => require(path));
  const mod = load(resolved) as { profile?: (o: AppDynamicsSettings) => unknown };
  if (typeof mod?.profile !== 'function') {
    throw new AppDynamicsConfigError([`the module at ${resolved} (APPDYNAMICS_AGENT_PATH) has no profile() function: is it the AppDynamics agent?`]);
  }
  mod.profile({ ...options });
  return { enabled: true, agentPath: resolved, agentVersion: pkg?.version, options, warnings };
}

const STARTED = Symbol.for('flagstack.appdynamics.started');

/**
 * What the preloads call: starts the agent once per process. A container exits 1 with the message; a function
 * rethrows, so the platform reports the failed start with the message in its log.
 */
export function bootAppDynamics(packaging: 'container' | 'function'): AppDynamicsStatus {
  const g = globalThis as { [STARTED]?: AppDynamicsStatus };
  if (g[STARTED]) return g[STARTED];
  try {
    g[STARTED] = startAppDynamics({ packaging });
    return g[STARTED];
  } catch (error) {
    if (!(error instanceof AppDynamicsConfigError)) throw error;
    const message = `flagstack: AppDynamics: ${error.message}`;
    if (packaging === 'function') throw new AppDynamicsConfigError([message]);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
