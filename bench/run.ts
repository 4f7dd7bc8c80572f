// `npm run bench`: the read-path load test of issue 10, following ../shared/BENCH-PROTOCOL.md (docs/performance.md).
//
//  1. Seeds Flagsmith's reference data set (bench/seed.ts) into a temporary SQLite file and a throwaway PostgreSQL
//     database on the machine's server (dropped at the end).
//  2. Starts every target at once on its own loopback port and keeps them up: flagstack on SQLite, flagstack on
//     PostgreSQL (one process each, `node bin/flagstack.js serve`, production defaults), and the bare node:http
//     baseline serving the same flags bytes with the same header check.
//  3. Warms each target, then runs cycles of one `wrk -t2 -cN --latency` burst per request per target, rotating the
//     order each cycle, at 64 and then 200 connections. Requests: the seed's two wrk commands (GET /api/v1/flags/;
//     GET /api/v1/identities/?identifier= of an existing identity with traits) and a POST identify with traits
//     (bench/wrk/identify.lua), against both databases.
//  4. Reports medians of per-cycle ratios with their IQR, server CPU µs per request (/proc/PID/stat), p50/p99 medians,
//     into its own section of bench/RESULTS.md (between the read-path markers; other sections are left alone) and the
//     raw figures into bench/results/read-path.json.
//
// Knobs (environment): BENCH_CYCLES (24), BENCH_SECONDS (3), BENCH_WARMUP_SECONDS (10 per request per server, so 30 s
// of JIT warm-up per server), BENCH_CONNECTIONS ("64,200"; "200:8" gives that level its own cycle count), BENCH_ENGINES ("sqlite,postgres"), BENCH_POSTGRES_URL
// (postgres://postgres@127.0.0.1:5432/postgres), BENCH_REQUESTS ("flags,identities,identify"; for profiling one), BENCH_CPU_PROF=1 (servers run with --cpu-prof; profiles kept in
// bench/results/profiles/), BENCH_NO_WRITE=1 (print, do not touch RESULTS.md). A run with fewer cycles or shorter
// bursts than the protocol is marked "quick run" in its section.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { seed, traitsOf, type SeededDataSet } from './seed';
import { cpuSplit, freePort, loadAverage, runWrk, startProcess, stopProcess, summarize, waitFor, type Summary, type WrkResult } from './lib';

const ROOT = resolve(__dirname, '..');
const RESULTS_MD = join(__dirname, 'RESULTS.md');
const RESULTS_JSON = join(__dirname, 'results', 'read-path.json');
export const BEGIN_MARKER = '<!-- read-path bench: begin (written by `npm run bench`; edit outside these markers) -->';
export const END_MARKER = '<!-- read-path bench: end -->';

const env = process.env;
const CYCLES = Number(env.BENCH_CYCLES ?? 24);
const SECONDS = Number(env.BENCH_SECONDS ?? 3);
const WARMUP = Number(env.BENCH_WARMUP_SECONDS ?? 10);
// "64,200:8": 64 connections for BENCH_CYCLES cycles, then 200 for 8 (keeps a full run near 15 minutes).
const LEVELS = (env.BENCH_CONNECTIONS ?? '64,200').split(',').map((entry) => {
  const [connections, cycles] = entry.split(':').map(Number);
  return { connections: connections!, cycles: cycles && cycles > 0 ? cycles : CYCLES };
}).filter((l) => l.connections > 0);
const CONNECTIONS = LEVELS.map((l) => l.connections);
const ENGINES = (env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter((s): s is Engine => s === 'sqlite' || s === 'postgres');
const POSTGRES_URL = env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CPU_PROF = env.BENCH_CPU_PROF === '1';
const REQUESTS = (env.BENCH_REQUESTS ?? 'flags,identities,identify').split(',').map((s) => s.trim());
const FULL = CYCLES >= 24 && SECONDS >= 3;
const THREADS = 2;

type Engine = 'sqlite' | 'postgres';
type RequestKind = 'flags' | 'identities' | 'identify';

interface Target {
  name: string;
  engine: Engine | 'baseline';
  request: RequestKind;
  pid: () => number;
  url: string;
  headers: Record<string, string>;
  script?: string;
}

interface Burst extends WrkResult {
  target: string;
  cycle: number;
  connections: number;
  cpuUsPerRequest: number;
  /** The part of it spent in the kernel (socket writes and reads on loopback). */
  systemUsPerRequest: number;
}

interface Server {
  engine: Engine;
  child: ChildProcess;
  url: string;
  databaseUrl: string;
  data: SeededDataSet;
  flagsBytes: Buffer;
  etag: string;
  drop: () => Promise<void>;
}

const log = (line: string) => process.stdout.write(line + '\n');
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

async function createDatabase(engine: Engine, workDir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (engine === 'sqlite') return { url: `sqlite:${join(workDir, 'bench.db')}`, drop: async () => undefined };
  const { Client } = await import('pg');
  const name = `flagstack_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function startServer(engine: Engine, workDir: string, profileDir: string): Promise<Server> {
  const database = await createDatabase(engine, workDir);
  cleanups.push(database.drop);
  log(`seeding ${engine} …`);
  const data = await seed(database.url, log);
  log(`  seeded in ${data.seconds.toFixed(1)} s`);
  const port = await freePort();
  // BENCH_NODE_ARGS: extra node flags for the flagstack servers only (e.g. --max-semi-space-size=32), to measure them
  // against the unchanged baseline in the same run.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=flagstack-${engine}.cpuprofile`] : []), join(ROOT, 'bin', 'flagstack.js'), 'serve'];
  // Production defaults: LOG_LEVEL info, the default poll interval, one process.
  const child = startProcess(process.execPath, args, { ...env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', WEB_CONCURRENCY: '1', NODE_ENV: 'production' }, join(workDir, `server-${engine}.log`));
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health/liveness`, 60_000);
  const flags = await waitFor(`${url}/api/v1/flags/`, 10_000, { headers: { 'X-Environment-Key': data.environmentKey } });
  const flagsBytes = Buffer.from(await flags.arrayBuffer());
  const count = (JSON.parse(flagsBytes.toString()) as unknown[]).length;
  if (count !== data.features) throw new Error(`${engine}: /flags/ returned ${count} flags, expected ${data.features}`);
  // The identity answers must be real ones before they are measured.
  const identity = await waitFor(`${url}/api/v1/identities/?identifier=${data.identityIdentifier}`, 10_000, { headers: { 'X-Environment-Key': data.environmentKey } });
  const body = (await identity.json()) as { traits: unknown[]; flags: Array<{ feature_segment: number | null }> };
  if (body.traits.length !== 10 || body.flags.length !== data.features) throw new Error(`${engine}: unexpected identity answer`);
  const n = 7;
  const t = traitsOf(n);
  const identify = await waitFor(`${url}/api/v1/identities/`, 10_000, {
    method: 'POST',
    headers: { 'X-Environment-Key': data.environmentKey, 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: `user-${n}`, traits: [{ trait_key: 'plan', trait_value: t.plan }, { trait_key: 'age', trait_value: t.age }] }),
  });
  const identified = (await identify.json()) as { traits: unknown[]; flags: unknown[] };
  if (identified.traits.length !== 10 || identified.flags.length !== data.features) throw new Error(`${engine}: unexpected identify answer`);
  const segmentFlags = body.flags.filter((f) => f.feature_segment !== null).length;
  log(`  ${engine} server on ${url} (pid ${child.pid}); flags body ${flagsBytes.length} bytes; ${data.identityIdentifier} gets ${segmentFlags} segment-override flags`);
  return { engine, child, url, databaseUrl: database.url, data, flagsBytes, etag: flags.headers.get('etag') ?? '', drop: database.drop };
}

function targetsFor(server: Server): Target[] {
  const headers = { 'X-Environment-Key': server.data.environmentKey };
  const pid = () => server.child.pid!;
  return [
    { name: `${server.engine} flags`, engine: server.engine, request: 'flags', pid, url: `${server.url}/api/v1/flags/`, headers },
    { name: `${server.engine} identities`, engine: server.engine, request: 'identities', pid, url: `${server.url}/api/v1/identities/?identifier=${server.data.identityIdentifier}`, headers },
    { name: `${server.engine} identify`, engine: server.engine, request: 'identify', pid, url: `${server.url}/api/v1/identities/`, headers, script: join(__dirname, 'wrk', 'identify.lua') },
  ];
}

async function burst(target: Target, connections: number, seconds: number, cycle: number): Promise<Burst> {
  const before = cpuSplit(target.pid());
  const result = await runWrk({ url: target.url, connections, threads: THREADS, seconds, headers: target.headers, script: target.script });
  const after = cpuSplit(target.pid());
  const per = (us: number) => (result.requests > 0 ? us / result.requests : NaN);
  return {
    ...result,
    target: target.name,
    cycle,
    connections,
    cpuUsPerRequest: per(after.user + after.system - before.user - before.system),
    systemUsPerRequest: per(after.system - before.system),
  };
}

interface RatioRow {
  label: string;
  summary: Summary;
  target?: string;
  pass?: boolean;
}

interface LevelReport {
  connections: number;
  perTarget: Array<{ target: string; rps: Summary; p50: Summary; p99: Summary; cpu: Summary; system: Summary; errors: number }>;
  ratios: RatioRow[];
}

function analyse(bursts: Burst[], targets: Target[], connections: number): LevelReport {
  const at = bursts.filter((b) => b.connections === connections);
  const of = (name: string) => at.filter((b) => b.target === name);
  const perTarget = targets.map((t) => {
    const list = of(t.name);
    return {
      target: t.name,
      rps: summarize(list.map((b) => b.rps)),
      p50: summarize(list.map((b) => b.p50)),
      p99: summarize(list.map((b) => b.p99)),
      cpu: summarize(list.map((b) => b.cpuUsPerRequest)),
      system: summarize(list.map((b) => b.systemUsPerRequest)),
      errors: list.reduce((n, b) => n + b.non2xx + b.socketErrors, 0),
    };
  });
  const cycles = [...new Set(at.map((b) => b.cycle))];
  const perCycle = (num: string, den: string, field: 'rps' | 'cpuUsPerRequest') =>
    summarize(
      cycles.map((c) => {
        const a = at.find((b) => b.cycle === c && b.target === num);
        const b = at.find((x) => x.cycle === c && x.target === den);
        return a && b ? a[field] / b[field] : NaN;
      }),
    );
  const ratios: RatioRow[] = [];
  ratios.push({ label: 'reference: Fastify alone ÷ bare node:http (req/s)', summary: perCycle('fastify-alone flags', 'baseline flags', 'rps') });
  ratios.push({ label: 'reference: Fastify alone CPU µs/req ÷ bare node:http', summary: perCycle('fastify-alone flags', 'baseline flags', 'cpuUsPerRequest') });
  for (const engine of ENGINES) {
    const flags = perCycle(`${engine} flags`, 'baseline flags', 'rps');
    ratios.push({ label: `${engine}: flags ÷ bare node:http (req/s)`, summary: flags, target: '≥ 0.85', pass: connections === 64 ? flags.median >= 0.85 : undefined });
    ratios.push({ label: `${engine}: flags CPU µs/req ÷ bare node:http CPU µs/req`, summary: perCycle(`${engine} flags`, 'baseline flags', 'cpuUsPerRequest') });
    ratios.push({ label: `${engine}: flags ÷ Fastify alone (req/s)`, summary: perCycle(`${engine} flags`, 'fastify-alone flags', 'rps') });
    const ids = perCycle(`${engine} identities`, `${engine} flags`, 'rps');
    ratios.push({ label: `${engine}: GET identities ÷ flags (req/s)`, summary: ids, target: '≥ 0.5', pass: connections === 64 ? ids.median >= 0.5 : undefined });
    ratios.push({ label: `${engine}: POST identify ÷ flags (req/s)`, summary: perCycle(`${engine} identify`, `${engine} flags`, 'rps') });
    ratios.push({ label: `${engine}: GET identities ÷ bare node:http (req/s)`, summary: perCycle(`${engine} identities`, 'baseline flags', 'rps') });
  }
  return { connections, perTarget, ratios };
}

const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

function render(reports: LevelReport[], facts: Record<string, string>, servers: Server[]): string {
  const lines: string[] = [];
  lines.push('## Read path (`npm run bench`)', '');
  if (!FULL) lines.push(`**Quick run** (${CYCLES} cycles of ${SECONDS} s): not the protocol's 24 × 3 s; do not quote these figures.`, '');
  const shortLevels = LEVELS.filter((l) => l.cycles !== CYCLES);
  if (FULL && shortLevels.length > 0) lines.push(`At ${shortLevels.map((l) => `${l.connections} connections: ${l.cycles} cycles only`).join('; ')} (a shorter repeat than the protocol's, to bound the run's time).`, '');
  lines.push(
    `Measured ${facts.date} on ${facts.machine}. Load average before ${facts.loadBefore}, after ${facts.loadAfter} ` +
      `(other jobs were running on the machine: the ratios are per cycle, which tolerates load; absolute req/s do not).`,
    '',
    `Method: ../shared/BENCH-PROTOCOL.md. All targets up at once on 127.0.0.1; ${WARMUP} s warm-up per request per server; ` +
      `${CYCLES} cycles × one ${SECONDS} s \`wrk -t${THREADS} -cN --latency\` burst per target, order rotated each cycle; ` +
      `median of per-cycle ratios [IQR]; server CPU from /proc/PID/stat around each burst. One flagstack process per database ` +
      `(\`node bin/flagstack.js serve\`, LOG_LEVEL info, CACHE_POLL_INTERVAL_MS default 1000); the baseline is a bare node:http ` +
      `server returning the same ${servers[0]?.flagsBytes.length ?? '?'}-byte flags body with the same X-Environment-Key check; ` +
      `"Fastify alone" (bench/fastify-server.js, same bytes, no plugins) is a reference that separates Fastify's own cost from flagstack's.`,
    '',
    `Data set (bench/seed.ts): ${servers[0]?.data.features} features (10 multivariate), ${servers[0]?.data.segments} segments × 15 trait conditions, ` +
      `${servers[0]?.data.segmentOverrides} segment overrides, ${servers[0]?.data.identityOverrides} identity overrides, ${servers[0]?.data.identities.toLocaleString('en-US')} identities × 10 traits. ` +
      `Requests: \`GET /api/v1/flags/\`; \`GET /api/v1/identities/?identifier=user-42\` (stored identity, 10 traits); ` +
      `\`POST /api/v1/identities/\` with 2 traits over user-0…user-9999 (bench/wrk/identify.lua).`,
    '',
    `Machine: ${facts.nproc} CPUs (${facts.cpu}), ${facts.memory}; Node ${facts.node}; ${facts.wrk}; ${facts.postgres}; commit ${facts.commit}.`,
    '',
  );
  for (const report of reports) {
    lines.push(`### ${report.connections} connections`, '');
    lines.push('| ratio (per cycle) | median | IQR | target | |', '|---|---|---|---|---|');
    for (const r of report.ratios) {
      lines.push(`| ${r.label} | **${f2(r.summary.median)}** | ${f2(r.summary.q1)}–${f2(r.summary.q3)} | ${r.target ?? ''} | ${r.pass === undefined ? '' : r.pass ? 'met' : '**missed**'} |`);
    }
    lines.push('', '| target | req/s median (min–max) | p50 ms | p99 ms (median of per-cycle p99) | CPU µs/req (of which kernel) | errors |', '|---|---|---|---|---|---|');
    for (const t of report.perTarget) {
      const p99Pass = report.connections === 64 ? (t.p99.median <= 10 ? ' (≤ 10: met)' : ' (≤ 10: **missed**)') : '';
      lines.push(`| ${t.target} | ${f0(t.rps.median)} (${f0(t.rps.min)}–${f0(t.rps.max)}) | ${f2(t.p50.median)} | ${f2(t.p99.median)}${p99Pass} | ${f1(t.cpu.median)} (${f1(t.system.median)}) | ${t.errors} |`);
    }
    lines.push('');
  }
  lines.push('Raw per-burst figures: bench/results/read-path.json.');
  return lines.join('\n');
}

/** Replaces only the text between this benchmark's markers (appending the section when absent). */
export function writeSection(markdown: string, file = RESULTS_MD): void {
  const section = `${BEGIN_MARKER}\n${markdown}\n${END_MARKER}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\nEach section is written by its own runner; see docs/performance.md.\n';
  const start = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start >= 0 && end > start) text = text.slice(0, start) + section + text.slice(end + END_MARKER.length);
  else text = text.replace(/\n*$/, '\n\n') + section + '\n';
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function machineFacts(): Record<string, string> {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch (error) {
      // `wrk -v` prints its version and exits 1.
      return (error as { stdout?: Buffer }).stdout?.toString().trim() || 'unknown';
    }
  };
  return {
    nproc: sh('nproc', []),
    cpu: cpus()[0]?.model ?? 'unknown',
    memory: `${(totalmem() / 2 ** 30).toFixed(0)} GiB (${(freemem() / 2 ** 30).toFixed(0)} GiB free)`,
    node: process.version,
    wrk: sh('wrk', ['-v']).split('\n')[0]!.split(' Copyright')[0]!,
    postgres: ENGINES.includes('postgres') ? sh('psql', [POSTGRES_URL, '-Atc', 'show server_version']).replace(/^/, 'PostgreSQL ') : 'PostgreSQL not measured',
    commit: sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']) + (sh('git', ['-C', ROOT, 'status', '--porcelain', '--', 'api', 'bench']) ? ' (with uncommitted changes)' : ''),
  };
}

async function main(): Promise<void> {
  try {
    execFileSync('wrk', ['-v'], { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('wrk is not installed: apt-get install wrk (the protocol allows no other load generator)');
  }
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'flagstack-bench-'));
  const profileDir = join(__dirname, 'results', 'profiles');
  if (CPU_PROF) mkdirSync(profileDir, { recursive: true });
  const facts: Record<string, string> = { ...machineFacts(), date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', loadBefore: loadAverage() };
  facts.machine = `${facts.nproc} vCPUs`;
  log(`read-path bench: ${CYCLES} cycles × ${SECONDS} s at c${CONNECTIONS.join(', c')}; engines ${ENGINES.join(', ')}; load ${facts.loadBefore}`);

  const servers: Server[] = [];
  for (const engine of ENGINES) servers.push(await startServer(engine, workDir, profileDir));
  if (servers.length === 0) throw new Error('BENCH_ENGINES names no engine (sqlite, postgres)');
  const reference = servers[0]!;
  const bodyFile = join(workDir, 'flags.json');
  writeFileSync(bodyFile, reference.flagsBytes);
  const basePort = await freePort();
  const baseline = startProcess(process.execPath, [join(__dirname, 'baseline-server.js'), String(basePort), bodyFile, reference.data.environmentKey, reference.etag], { ...env }, join(workDir, 'baseline.log'));
  children.push(baseline);
  const baseUrl = `http://127.0.0.1:${basePort}`;
  const check = await waitFor(`${baseUrl}/api/v1/flags/`, 10_000, { headers: { 'X-Environment-Key': reference.data.environmentKey } });
  if (!Buffer.from(await check.arrayBuffer()).equals(reference.flagsBytes)) throw new Error('baseline does not serve the same bytes');
  for (const s of servers.slice(1)) log(`  ${s.engine} flags body: ${s.flagsBytes.length} bytes (baseline ${reference.flagsBytes.length})`);

  // Fastify alone with the same bytes: a reference that tells Fastify's own cost from flagstack's.
  const fastifyPort = await freePort();
  const fastify = startProcess(process.execPath, [join(__dirname, 'fastify-server.js'), String(fastifyPort), bodyFile, reference.data.environmentKey, reference.etag], { ...env }, join(workDir, 'fastify.log'));
  children.push(fastify);
  const fastifyUrl = `http://127.0.0.1:${fastifyPort}`;
  await waitFor(`${fastifyUrl}/api/v1/flags/`, 20_000, { headers: { 'X-Environment-Key': reference.data.environmentKey } });

  // Every server serves one environment; the baselines check the first one's key (the bodies differ only in ids/dates).
  const targets: Target[] = [
    { name: 'baseline flags', engine: 'baseline', request: 'flags', pid: () => baseline.pid!, url: `${baseUrl}/api/v1/flags/`, headers: { 'X-Environment-Key': reference.data.environmentKey } },
    { name: 'fastify-alone flags', engine: 'baseline', request: 'flags', pid: () => fastify.pid!, url: `${fastifyUrl}/api/v1/flags/`, headers: { 'X-Environment-Key': reference.data.environmentKey } },
    ...servers.flatMap(targetsFor).filter((t) => REQUESTS.includes(t.request)),
  ];

  log(`warming up (${WARMUP} s per target) …`);
  for (const t of targets) await burst(t, 64, WARMUP, -1);

  const bursts: Burst[] = [];
  for (const connections of CONNECTIONS) {
    const cycles = LEVELS.find((l) => l.connections === connections)!.cycles;
    for (let cycle = 0; cycle < cycles; cycle++) {
      const order = targets.map((_, i) => targets[(i + cycle) % targets.length]!);
      const line: string[] = [];
      for (const t of order) {
        const b = await burst(t, connections, SECONDS, cycle);
        bursts.push(b);
        line.push(`${t.name} ${f0(b.rps)}${b.non2xx + b.socketErrors > 0 ? ` (${b.non2xx} non-2xx, ${b.socketErrors} socket errors)` : ''}`);
      }
      log(`c${connections} cycle ${cycle + 1}/${cycles}: ${line.join(' | ')}`);
    }
  }
  facts.loadAfter = loadAverage();
  const reports = CONNECTIONS.map((c) => analyse(bursts, targets, c));
  const markdown = render(reports, facts, servers);
  log('\n' + markdown);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  if (env.BENCH_NO_WRITE !== '1') {
    writeSection(markdown);
    writeFileSync(RESULTS_JSON, JSON.stringify({ facts, cycles: CYCLES, levels: LEVELS, seconds: SECONDS, warmup: WARMUP, full: FULL, reports, bursts }, null, 1) + '\n');
    log(`\nwrote ${RESULTS_MD} (read-path section) and ${RESULTS_JSON} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  await shutdown();
  if (CPU_PROF) {
    for (const file of readdirSync(profileDir)) log(`profile: ${join(profileDir, file)}  (summary: npx tsx bench/profile-summary.ts ${join(profileDir, file)})`);
  }
  rmSync(workDir, { recursive: true, force: true });
}

let shuttingDown: Promise<void> | undefined;
function shutdown(): Promise<void> {
  return (shuttingDown ??= (async () => {
    await Promise.all(children.map((c) => stopProcess(c)));
    for (const cleanup of cleanups) await cleanup().catch((e: Error) => log(`cleanup: ${e.message}`));
  })());
}

if (require.main === module) {
  process.once('SIGINT', () => void shutdown().then(() => process.exit(130)));
  main().catch(async (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    await shutdown();
    process.exit(1);
  });
}
