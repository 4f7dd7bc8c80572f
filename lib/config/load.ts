// Reads flagstack.config.json (or the file FLAGSTACK_CONFIG names: the cdktf CLI has no -c), merges
// `defaults` into each environment, applies built-in defaults, validates, and returns the resolved
// environments — or throws one DeploymentConfigError listing every problem with its path.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withBuiltinDefaults } from './builtin-defaults';
import { DeploymentConfigError, formatPath, type DeploymentConfigIssue } from './errors';
import { DeploymentConfigFileSchema, type DeploymentConfigFile } from './file-schema';
import { deepMerge, hasPath, isPlainObject, type PlainObject } from './merge';
import { duplicateNames, environmentIssues } from './rules';
import { EnvironmentSchema, type Cloud, type EnvironmentConfig } from './schema';
import { schemaIssues, type RawIssue } from './schema-issues';
import { findSecretLiterals, looksLikeSecretKey, secretLiteralMessage } from './secret-values';

export const DEFAULT_CONFIG_FILE = 'flagstack.config.json';
export const CONFIG_PATH_VARIABLE = 'FLAGSTACK_CONFIG';

export interface DeploymentConfig {
  project: string;
  /** Where the configuration was read from (for messages). */
  source: string;
  environments: EnvironmentConfig[];
}

export interface LoadOptions {
  /** Environment to read FLAGSTACK_CONFIG from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against; default process.cwd(). */
  cwd?: string;
}

/** The file that loadDeploymentConfig reads: the argument, else FLAGSTACK_CONFIG, else ./flagstack.config.json. */
export function deploymentConfigPath(path?: string, options: LoadOptions = {}): string {
  const env = options.env ?? process.env;
  const chosen = path ?? (env[CONFIG_PATH_VARIABLE]?.trim() || DEFAULT_CONFIG_FILE);
  return resolve(options.cwd ?? process.cwd(), chosen);
}

export function loadDeploymentConfig(path?: string, options: LoadOptions = {}): DeploymentConfig {
  const file = deploymentConfigPath(path, options);
  if (!existsSync(file)) {
    const how = path === undefined ? ` (set ${CONFIG_PATH_VARIABLE} to read another file)` : '';
    throw new DeploymentConfigError(file, [{ path: '', message: `file not found${how}` }]);
  }
  return parseDeploymentConfig(readFileSync(file, 'utf8'), file);
}

/** Validates a configuration given as JSON text or as an already-parsed value. */
export function parseDeploymentConfig(json: unknown, sourceName = DEFAULT_CONFIG_FILE): DeploymentConfig {
  const doc = typeof json === 'string' ? parseJson(json, sourceName) : json;
  const raw: RawIssue[] = [];

  // 1. Secrets first: their message is more useful than "unknown key" for the same path.
  const secrets = findSecretLiterals(doc);
  raw.push(...secrets);
  const secretPaths = new Set(secrets.map((i) => i.segments.join('\u0000')));

  // 2. The file's own shape: types, unknown keys, names present.
  for (const i of schemaIssues(DeploymentConfigFileSchema, doc)) {
    if (secretPaths.has(i.segments.join('\u0000'))) continue;
    if (i.unknownKey && looksLikeSecretKey(i.unknownKey.key)) raw.push({ segments: i.segments, message: secretLiteralMessage(i.segments) });
    else raw.push(i);
  }
  const shapeBroken = (prefix: (string | number)[]) => raw.some((i) => startsWith(i.segments, prefix));

  // 3. Each environment (when the defaults are well-formed): merge, apply built-in defaults, validate the
  //    result — which finds what is missing — then the cross-field rules. A problem at or under a path that
  //    is already reported is not repeated, so a bad value is named once, by its most direct message.
  const file = (isPlainObject(doc) ? doc : {}) as Partial<DeploymentConfigFile> & PlainObject;
  const entries = Array.isArray(file.environments) ? (file.environments as unknown[]) : [];
  const defaults = isPlainObject(file.defaults) ? file.defaults : {};
  const project = typeof file.project === 'string' ? file.project : '';
  const environments: EnvironmentConfig[] = [];
  if (!shapeBroken(['defaults']) && !shapeBroken(['project'])) {
    entries.forEach((entry, index) => {
      if (!isPlainObject(entry)) return;
      const base = ['environments', index];
      const reported = raw.filter((i) => startsWith(i.segments, base)).map((i) => i.segments);
      const resolved = withBuiltinDefaults(deepMerge(defaults, entry) as PlainObject, project);
      const issues: RawIssue[] = [];
      const add = (found: RawIssue[]) => {
        for (const i of found) {
          const full = [...base, ...i.segments];
          if (reported.some((r) => startsWith(full, r))) continue;
          reported.push(full);
          issues.push(i);
        }
      };
      add(schemaIssues(EnvironmentSchema, resolved));
      add(environmentIssues(resolved as unknown as EnvironmentConfig));
      for (const i of issues) raw.push({ segments: [...base, ...i.segments], message: i.message + provenance(i.segments, entry, defaults) });
      if (!raw.some((i) => startsWith(i.segments, base))) environments.push(resolved as unknown as EnvironmentConfig);
    });
  }
  raw.push(...duplicateNames(entries.map((e) => (isPlainObject(e) ? e.name : undefined))));

  if (raw.length > 0) throw new DeploymentConfigError(sourceName, sortBySection(raw).map(toIssue));
  return { project, source: sourceName, environments };
}

/** Environments deployed to one cloud: bin/cdk.ts takes aws, bin/cdktf.ts azure and gcp. */
export function environmentsFor<C extends Cloud>(config: DeploymentConfig, cloud: C): (EnvironmentConfig & { cloud: C })[] {
  return config.environments.filter((e): e is EnvironmentConfig & { cloud: C } => e.cloud === cloud);
}

function parseJson(text: string, sourceName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    let where = '';
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${Number(pos[1]) - before.lastIndexOf('\n')}`;
    }
    throw new DeploymentConfigError(sourceName, [{ path: '', message: `invalid JSON${where}: ${message}` }]);
  }
}

/** Says where a value nobody wrote in the environment came from, when a rule rejects it. */
function provenance(segments: (string | number)[], entry: unknown, defaults: unknown): string {
  if (segments.length === 0 || hasPath(entry, segments)) return '';
  if (hasPath(defaults, segments)) return ' (value from defaults)';
  return '';
}

function startsWith(segments: (string | number)[], prefix: (string | number)[]): boolean {
  return prefix.length <= segments.length && prefix.every((p, i) => String(segments[i]) === String(p));
}

function toIssue(i: RawIssue): DeploymentConfigIssue {
  return { path: formatPath(i.segments), message: i.message };
}

/**
 * Groups problems by section — project, defaults, then each environment in file order — keeping the order
 * they were found in within a section (shape first, then rules in a fixed order): stable for people and tests.
 */
function sortBySection(issues: RawIssue[]): RawIssue[] {
  const rank = (i: RawIssue) => {
    const [top, index] = i.segments;
    if (top === 'environments' && typeof index === 'number') return 3 + index;
    if (top === 'environments' && typeof index === 'string' && /^\d+$/.test(index)) return 3 + Number(index);
    return top === 'project' ? 0 : top === 'defaults' ? 1 : top === 'environments' ? 2 : -1;
  };
  return issues.map((issue, order) => ({ issue, order })).sort((a, b) => rank(a.issue) - rank(b.issue) || a.order - b.order).map((x) => x.issue);
}
