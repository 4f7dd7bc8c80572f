// The container runtime, run the way the image runs it: the Dockerfile's CMD (read from the Dockerfile) against a
// fresh build laid out like the image's /app, on SQLite, in a child process. Covers serving and the HEALTHCHECK
// command, graceful SIGTERM with a slow request in flight, WEB_CONCURRENCY workers, and the AppDynamics preload
// with a stand-in agent module (the real agent cannot be installed here).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execForm, readDockerfile, stageEnv } from './dockerfile';
import {
  NODES,
  freePort,
  privateBuild,
  runProcess,
  runtimeFolderFor,
  seedSqliteDatabase,
  startProcess,
  waitForHttp,
  type PrivateBuild,
  type SeededDatabase,
  type StartedProcess,
} from './support';

let build: PrivateBuild;
let db: SeededDatabase;
/** Like the image's /app: dist/server/… (node_modules resolve from the repo, as the image's prod deps would). */
let appDir: string;
let work: string;
const dockerfile = readDockerfile();
const runtimeStage = dockerfile.stages[dockerfile.stages.length - 1];
const START = execForm(runtimeStage.instructions.find((i) => i.keyword === 'CMD')!.args);
const HEALTHCHECK = execForm(runtimeStage.instructions.find((i) => i.keyword === 'HEALTHCHECK')!.args.replace(/^.*?\bCMD\s+/, ''));
const IMAGE_ENV = stageEnv(runtimeStage);

beforeAll(async () => {
  [build, db] = await Promise.all([privateBuild(['server'], 'app'), seedSqliteDatabase()]);
  appDir = join(build.outDir, '..');
  work = mkdtempSync(join(tmpdir(), 'flagstack-server-'));
}, 600_000);

afterAll(() => {
  build?.cleanup();
  db?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Starts the image's command (`node dist/server/cli.js serve`) with `bin` as node, from the app folder. */
async function startImage(bin: string, env: Record<string, string>, wait = true): Promise<{ proc: StartedProcess; base: string; port: number }> {
  expect(START[0]).toBe('node');
  const port = await freePort();
  const cwd = runtimeFolderFor(bin, appDir);
  const proc = startProcess(bin, START.slice(1), { ...IMAGE_ENV, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env }, cwd);
  const base = `http://127.0.0.1:${port}`;
  if (wait) await waitForHttp(`${base}/health/liveness`, proc);
  return { proc, base, port };
}

type Flag = { feature: { name: string }; feature_state_value: unknown };

describe.each(NODES)('the image start command under $name', ({ bin }) => {
  test('serves the SDK and health endpoints on SQLite; the HEALTHCHECK command passes, and fails once it stops', async () => {
    const { proc, base, port } = await startImage(bin, { DATABASE_URL: db.url });
    try {
      const flags = await fetch(`${base}/api/v1/flags/`, { headers: { 'x-environment-key': db.environmentKey } });
      expect(flags.status).toBe(200);
      expect(((await flags.json()) as Flag[]).find((f) => f.feature.name === db.featureName)?.feature_state_value).toBe(db.defaultValue);
      expect(await (await fetch(`${base}/health/readiness`)).json()).toMatchObject({ status: 'ok', database: 'ok' });
      const check = await runProcess(bin, HEALTHCHECK.slice(1), { PORT: String(port) });
      expect(check.code).toBe(0);
    } finally {
      await proc.stop();
    }
    const after = await runProcess(bin, HEALTHCHECK.slice(1), { PORT: String(port) });
    expect(after.code).toBe(1);
  });
});

test('the bundled CLI runs a command once, and exports main(argv) for bin/flagstack.js', async () => {
  const help = await runProcess(NODES[0].bin, [join(appDir, 'dist', 'server', 'cli.js'), 'help']);
  expect(help.code).toBe(0);
  expect(help.stdout.match(/usage: flagstack/g)).toHaveLength(1);
  const exported = await runProcess(NODES[0].bin, ['-e', `console.log(typeof require(${JSON.stringify(join(appDir, 'dist', 'server', 'cli.js'))}).main)`]);
  expect(exported.stdout.trim()).toBe('function');
});

/** Sends a request's head and the first half of its body, leaving the request in flight until `finish()`. */
function slowRequest(port: number, key: string, body: string): { finish(): void; response: Promise<string> } {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  const response = new Promise<string>((resolve, reject) => {
    socket.on('data', (d) => (received += d));
    socket.on('end', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  socket.write(
    `POST /api/v1/identities/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Environment-Key: ${key}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
  );
  return { finish: () => socket.write(body.slice(half)), response };
}

describe('graceful shutdown and workers (node 20)', () => {
  const bin = NODES[0].bin;

  test('SIGTERM: stops accepting, lets the in-flight request finish, exits 0 within SHUTDOWN_TIMEOUT_MS', async () => {
    const bound = 10_000;
    const { proc, base, port } = await startImage(bin, { DATABASE_URL: db.url, SHUTDOWN_TIMEOUT_MS: String(bound) });
    try {
      const body = JSON.stringify({ identifier: 'draining-user', traits: [{ trait_key: 'plan', trait_value: 'pro' }] });
      const slow = slowRequest(port, db.environmentKey, body);
      await new Promise((r) => setTimeout(r, 300));
      const signalledAt = Date.now();
      proc.child.kill('SIGTERM');
      // Still draining: the process waits for the request, and no longer accepts connections.
      await new Promise((r) => setTimeout(r, 700));
      expect(proc.child.exitCode).toBeNull();
      await expect(fetch(`${base}/health/liveness`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
      slow.finish();
      const response = await slow.response;
      expect(response).toMatch(/^HTTP\/1\.1 200 /);
      expect(response).toContain(db.proValue);
      const exit = await proc.exited;
      expect({ code: exit.code, output: proc.output() }).toMatchObject({ code: 0 });
      expect(exit.at - signalledAt).toBeLessThan(bound);
      expect(proc.output().stdout + proc.output().stderr).toMatch(/SIGTERM: shutting down/);
    } finally {
      await proc.stop();
    }
  });

  test('WEB_CONCURRENCY=2: two workers share the port; SIGTERM ends both and the primary exits 0', async () => {
    const dir = mkdtempSync(join(work, 'cluster-'));
    const { proc, base } = await startImage(bin, { DATABASE_URL: `sqlite:${join(dir, 'cluster.db')}`, WEB_CONCURRENCY: '2' });
    try {
      const children = () =>
        readFileSync(`/proc/${proc.child.pid}/task/${proc.child.pid}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(Number);
      await waitFor(() => /2 workers \(WEB_CONCURRENCY\) listening/.test(proc.output().stdout));
      const workers = children();
      expect(workers).toHaveLength(2);
      for (let i = 0; i < 6; i++) expect((await fetch(`${base}/health/readiness`)).status).toBe(200);
      // A worker that dies is replaced.
      process.kill(workers[0], 'SIGKILL');
      await waitFor(() => /worker \d \(pid \d+\) listening/.test(proc.output().stdout));
      expect(children()).toHaveLength(2);
      expect(children()).not.toContain(workers[0]);
      expect((await fetch(`${base}/health/liveness`)).status).toBe(200);
      const replacement = children();
      const signalledAt = Date.now();
      proc.child.kill('SIGTERM');
      const exit = await proc.exited;
      expect({ code: exit.code, output: proc.output() }).toMatchObject({ code: 0 });
      expect(exit.at - signalledAt).toBeLessThan(10_000);
      for (const pid of replacement) expect(existsSync(`/proc/${pid}`)).toBe(false);
      expect(proc.output().stdout).toMatch(/2 workers \(WEB_CONCURRENCY\) listening/);
      // Migrations ran once, in the primary.
      expect(proc.output().stdout.match(/applied migrations/g)).toHaveLength(1);
    } finally {
      await proc.stop();
    }
  });
});

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (check()) return;
    } catch {
      // the process table changed under us; look again
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

/** A stand-in for the `appdynamics` package: records what profile() received and whether http was loaded yet. */
function standInAgent(dir: string): { path: string; record: string } {
  const path = join(dir, 'appdynamics-standin');
  mkdirSync(path, { recursive: true });
  const record = join(dir, 'profile.json');
  writeFileSync(join(path, 'package.json'), JSON.stringify({ name: 'appdynamics', version: '24.4.1', main: 'index.js', engines: { node: '>=12 <=v21.*' } }));
  writeFileSync(
    join(path, 'index.js'),
    `'use strict';
module.exports.profile = function profile(options) {
  require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({
    options,
    httpLoaded: process.moduleLoadList.includes('NativeModule http'),
    fastifyLoaded: Object.keys(require.cache).some((f) => f.includes('fastify')),
  }));
};
`,
  );
  return { path, record };
}

const CFG = `# written by the AppDynamics download wizard
[agent]
app = flagstack
tier = api
node = api-1

[controller]
host = acme.saas.appdynamics.com
port = 443
ssl = (on)
account = acme
accesskey = s3cr3t-k3y
`;

describe.each(NODES)('AppDynamics preload under $name', ({ bin, name }) => {
  test('APP_DYNAMICS=on: the agent gets the cfg mapped to profile() options before http is loaded; variables override', async () => {
    const dir = mkdtempSync(join(work, 'appd-'));
    const agent = standInAgent(dir);
    writeFileSync(join(dir, 'appdynamics.cfg'), CFG);
    const { proc } = await startImage(bin, {
      DATABASE_URL: db.url,
      APP_DYNAMICS: 'on',
      APPDYNAMICS_CONFIG_PATH: join(dir, 'appdynamics.cfg'),
      APPDYNAMICS_AGENT_PATH: agent.path,
      APPDYNAMICS_AGENT_TIER_NAME: 'api-eu',
    });
    try {
      const recorded = JSON.parse(readFileSync(agent.record, 'utf8'));
      expect(recorded).toEqual({
        options: {
          applicationName: 'flagstack',
          tierName: 'api-eu',
          nodeName: 'api-1',
          controllerHostName: 'acme.saas.appdynamics.com',
          controllerPort: 443,
          controllerSslEnabled: true,
          accountName: 'acme',
          accountAccessKey: 's3cr3t-k3y',
        },
        httpLoaded: false,
        fastifyLoaded: false,
      });
      const { stderr } = proc.output();
      expect(stderr).toMatch(/\[controller\] ssl = \(on\) is the download wizard's placeholder form; read as on/);
      // The stand-in declares Node <= 21, like the real agent: Node 22 gets a warning, Node 20 none.
      if (name === 'node 22') expect(stderr).toMatch(/the agent declares Node >=12 <=v21\.\*, but this is Node 22\./);
      else expect(stderr).not.toMatch(/the agent declares Node/);
      expect(stderr).not.toContain('s3cr3t-k3y');
    } finally {
      await proc.stop();
    }
  });
});

describe('AppDynamics failures exit with a message naming what is wrong (node 20)', () => {
  const bin = NODES[0].bin;
  let dir: string;
  let agent: { path: string; record: string };

  beforeAll(() => {
    dir = mkdtempSync(join(work, 'appd-fail-'));
    agent = standInAgent(dir);
    writeFileSync(join(dir, 'appdynamics.cfg'), CFG);
    writeFileSync(join(dir, 'bad.cfg'), CFG.replace('port = 443', 'port = https'));
  });

  async function exitOf(env: Record<string, string>) {
    const { proc } = await startImage(bin, { DATABASE_URL: db.url, APP_DYNAMICS: 'on', ...env }, false);
    const exit = await proc.exited;
    return { code: exit.code, stderr: proc.output().stderr };
  }

  test('the agent is not installed', async () => {
    const r = await exitOf({ APPDYNAMICS_CONFIG_PATH: join(dir, 'appdynamics.cfg'), APPDYNAMICS_AGENT_PATH: join(dir, 'missing-agent') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/AppDynamics agent ".*missing-agent" is not installed \(APPDYNAMICS_AGENT_PATH\): build the image with --build-arg APP_DYNAMICS=on/);
  });

  test('the configuration file is missing', async () => {
    const r = await exitOf({ APPDYNAMICS_CONFIG_PATH: join(dir, 'nowhere.cfg'), APPDYNAMICS_AGENT_PATH: agent.path });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/agent configuration .*nowhere\.cfg does not exist \(APPDYNAMICS_CONFIG_PATH\)/);
  });

  test('a key is invalid', async () => {
    const r = await exitOf({ APPDYNAMICS_CONFIG_PATH: join(dir, 'bad.cfg'), APPDYNAMICS_AGENT_PATH: agent.path });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.cfg:9: \[controller\] port: expected a port number \(1-65535\), got "https"/);
    expect(existsSync(agent.record)).toBe(false);
  });

  test('off (the default): the agent module is never loaded', async () => {
    const { proc } = await startImage(bin, { DATABASE_URL: db.url, APPDYNAMICS_AGENT_PATH: agent.path, APPDYNAMICS_CONFIG_PATH: join(dir, 'bad.cfg') });
    await proc.stop();
    expect(existsSync(agent.record)).toBe(false);
  });
});
