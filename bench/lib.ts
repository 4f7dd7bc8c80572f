// Small helpers of the read-path benchmark: wrk runs and their parsing, /proc CPU time, statistics, processes.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';

export interface WrkResult {
  requests: number;
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  non2xx: number;
  socketErrors: number;
  seconds: number;
}

export interface WrkOptions {
  url: string;
  connections: number;
  threads: number;
  seconds: number;
  headers: Record<string, string>;
  script?: string;
  env?: Record<string, string>;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  switch (unit) {
    case 'us':
      return n / 1000;
    case 'ms':
      return n;
    case 's':
      return n * 1000;
    case 'm':
      return n * 60_000;
    default:
      throw new Error(`wrk: unknown latency unit ${unit}`);
  }
}

export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(output);
  const percentile = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
    if (!m) throw new Error(`wrk: no ${p}% latency in output:\n${output}`);
    return toMs(m[1]!, m[2]!);
  };
  if (!rps || !total) throw new Error(`wrk: unexpected output:\n${output}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requests: Number(total[1]),
    rps: Number(rps[1]),
    p50: percentile('50'),
    p99: percentile('99'),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    seconds: toMs(total[2]!, total[3]!) / 1000,
  };
}

export function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = [`-t${options.threads}`, `-c${options.connections}`, `-d${options.seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(options.headers)) args.push('-H', `${name}: ${value}`);
  if (options.script) args.push('-s', options.script);
  args.push(options.url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    // wrk stops itself after -d; this bounds a hung run too.
    const timer = setTimeout(() => child.kill('SIGKILL'), (options.seconds + 15) * 1000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`wrk exited with ${code}:\n${out}`));
      try {
        resolve(parseWrk(out));
      } catch (error) {
        reject(error);
      }
    });
  });
}

let clockTicks: number | undefined;

/** User plus system CPU time of a process, in microseconds (from /proc/PID/stat). */
export function cpuMicros(pid: number): number {
  const { user, system } = cpuSplit(pid);
  return user + system;
}

/** User and system CPU time of a process, in microseconds. */
export function cpuSplit(pid: number): { user: number; system: number } {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { user: (utime / clockTicks) * 1e6, system: (stime / clockTicks) * 1e6 };
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface Summary {
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: number[]): Summary {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75), min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN, n: sorted.length };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export function startProcess(command: string, args: string[], env: Record<string, string | undefined>, logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  return spawn(command, args, { env: env as NodeJS.ProcessEnv, stdio: ['ignore', fd, fd] });
}

export async function waitFor(url: string, timeoutMs: number, init?: RequestInit): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, init);
      if (res.ok) return res;
      last = new Error(`${res.status}`);
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${(last as Error)?.message}`);
}

/** Stops a child with SIGTERM (so --cpu-prof profiles are written), SIGKILL after a grace period. */
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
