// The container entry (`flagstack serve`): listen, print a banner that says how to get in, and on SIGTERM stop
// accepting, let in-flight requests finish, close the pool and exit 0 within SHUTDOWN_TIMEOUT_MS.
//
// With WEB_CONCURRENCY > 1 the process becomes a node:cluster primary: it applies migrations and creates the first
// admin once, then forks that many workers that share the port (each a full API with its own pool). The primary
// restarts a worker that dies, gives up (exit 1) when workers keep dying, and on SIGTERM passes the signal on and
// exits 0 once every worker has drained.
import cluster, { type Worker } from 'node:cluster';
import type { AppConfig } from '../config';
import { countUsers } from '../store/repositories/users';
import { connect } from '../store/connect';
import { migrateToLatest } from '../store/migrate';
import { Store } from '../store/store';
import { ensureFirstAdmin } from '../services/users';
import { createApiRuntime, type ApiRuntime } from './bootstrap';
import { VERSION } from '../version';

export interface RunningServer {
  /** The API of this process; undefined in a cluster primary, which serves nothing itself. */
  runtime?: ApiRuntime;
  url: string;
  /** Workers serving (1 without a cluster). */
  workers: number;
  /** Stops accepting, drains in-flight requests, closes the pool; resolves when done. Idempotent. */
  stop(): Promise<void>;
  /** Called when the drain overran the bound: end whatever is left at once. */
  kill?(): void;
  log(message: string): void;
}

type Out = (line: string) => void;

const defaultOut: Out = (l) => process.stdout.write(l + '\n');

/** Environment variable the primary sets on each worker: its index (0 prints the banner). */
export const WORKER_INDEX_ENV = 'FLAGSTACK_WORKER_INDEX';

export async function startServer(config: AppConfig, out: Out = defaultOut): Promise<RunningServer> {
  if (config.webConcurrency > 1 && cluster.isPrimary) return startPrimary(config, out);
  const index = Number(process.env[WORKER_INDEX_ENV] ?? '0');
  return startSingle(config, cluster.isWorker && index !== 0 ? () => undefined : out);
}

async function startSingle(config: AppConfig, out: Out): Promise<RunningServer> {
  const runtime = await createApiRuntime(config, { preparedStatements: true });
  const address = await runtime.app.listen({ port: config.port, host: config.host });
  const url = publicUrl(address);
  const users = await countUsers(runtime.store.db);
  out(`flagstack ${VERSION} listening on ${url}  (database: ${runtime.databaseDescription})`);
  if (runtime.migrations.length > 0) out(`  applied migrations: ${runtime.migrations.join(', ')}`);
  out(`  admin UI and API: ${url}/   API docs: ${url}/api/v1/docs/`);
  if (runtime.firstAdmin) out(`  created the first admin from ADMIN_EMAIL: ${runtime.firstAdmin.email}`);
  if (users === 0) {
    out('  no users yet — create the first admin with:');
    out('    npx flagstack create-admin --email you@example.com');
    out('  or start with ADMIN_EMAIL and ADMIN_PASSWORD set.');
  }
  let stopping: Promise<void> | undefined;
  return {
    runtime,
    url,
    workers: 1,
    // Fastify's close stops accepting, answers 503 to requests arriving on kept-alive connections, closes idle
    // connections and waits for in-flight requests; then the cache and the pool are closed.
    stop: () => (stopping ??= drain(runtime)),
    log: (message) => process.stdout.write(`flagstack ${cluster.isWorker ? 'worker' : 'server'} ${process.pid}: ${message}\n`),
  };
}

/**
 * Closes the runtime while closing each kept-alive connection as soon as its in-flight request is answered
 * (Fastify closes the connections idle when the close starts; one busy then would otherwise stay open until the
 * client hangs up, holding the exit until the timeout).
 */
async function drain(runtime: ApiRuntime): Promise<void> {
  const server = runtime.app.server;
  server.on('request', (_req, res) => {
    res.shouldKeepAlive = false;
  });
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  try {
    await runtime.close();
  } finally {
    clearInterval(sweep);
  }
}

function publicUrl(address: string): string {
  return address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
}

/** Migrations and the first admin, once, before any worker starts (workers then skip both). */
async function prepareDatabase(config: AppConfig, out: Out): Promise<void> {
  const connection = await connect(config.database.url, { poolMax: 1, tls: config.database.tls });
  const store = new Store(connection);
  try {
    const applied = config.database.migrateOnStart ? await migrateToLatest(connection) : [];
    if (applied.length > 0) out(`  applied migrations: ${applied.join(', ')}`);
    const admin = await ensureFirstAdmin(store, config.admin.email, config.admin.password);
    if (admin) out(`  created the first admin from ADMIN_EMAIL: ${admin.email}`);
  } finally {
    await store.close();
  }
}

/** More worker deaths than this within CRASH_WINDOW_MS means they cannot run: stop instead of looping. */
const CRASH_LIMIT_PER_WORKER = 3;
const CRASH_WINDOW_MS = 60_000;

async function startPrimary(config: AppConfig, out: Out): Promise<RunningServer> {
  const count = config.webConcurrency;
  const log = (message: string) => out(`flagstack primary ${process.pid}: ${message}`);
  await prepareDatabase(config, out);
  const slots = new Map<number, Worker>();
  const crashes: number[] = [];
  let stopping: Promise<void> | undefined;
  let giveUp: ((error: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    giveUp = reject;
  });
  failed.catch(() => undefined);

  // A slot is ready when its worker, or the replacement of a worker that died starting, listens.
  const readyResolvers: ((url: string) => void)[] = [];
  const ready = Array.from({ length: count }, (_, index) => new Promise<string>((resolve) => (readyResolvers[index] = resolve)));
  const fork = (index: number): Worker => {
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index), MIGRATE_ON_START: 'false' });
    slots.set(index, worker);
    worker.once('listening', (address) => readyResolvers[index](`http://${address.address ?? 'localhost'}:${address.port}`));
    worker.on('exit', (code, signal) => {
      if (slots.get(index) !== worker || stopping) return;
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && crashes[0] < now - CRASH_WINDOW_MS) crashes.shift();
      if (crashes.length > CRASH_LIMIT_PER_WORKER * count) {
        log(`workers keep exiting (${crashes.length} in ${CRASH_WINDOW_MS / 1000} s); giving up`);
        giveUp?.(new Error('workers keep exiting'));
        return;
      }
      log(`worker ${index} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); starting another`);
      const replacement = fork(index);
      replacement.once('listening', () => log(`worker ${index} (pid ${replacement.process.pid}) listening`));
    });
    return worker;
  };

  for (let index = 0; index < count; index++) fork(index);
  let firstUrl: string;
  try {
    [firstUrl] = await Promise.race([Promise.all(ready), failed]);
  } catch (error) {
    for (const worker of slots.values()) worker.process.kill('SIGKILL');
    throw error;
  }
  const url = publicUrl(firstUrl.replace('http://::', 'http://[::]').replace('http://null', 'http://localhost'));
  log(`${count} workers (WEB_CONCURRENCY) listening on ${url}`);
  // From now on a crash loop ends the primary, so the orchestrator sees the failure and replaces the container.
  giveUp = () => {
    for (const worker of slots.values()) if (!worker.isDead()) worker.process.kill('SIGKILL');
    process.exit(1);
  };

  const stop = () =>
    (stopping ??= (async () => {
      const live = [...slots.values()].filter((w) => !w.isDead());
      const exits = live.map(
        (worker) =>
          new Promise<boolean>((resolve) => {
            // A worker still starting when the signal came has no handler yet and ends by the signal: it had
            // nothing in flight, so that is a clean end too.
            worker.once('exit', (code, signal) => resolve(code === 0 || signal === 'SIGTERM'));
          }),
      );
      for (const worker of live) worker.process.kill('SIGTERM');
      const clean = await Promise.all(exits);
      const bad = clean.filter((c) => !c).length;
      if (bad > 0) throw new Error(`${bad} of ${clean.length} workers did not shut down cleanly`);
    })());
  return {
    url,
    workers: count,
    stop,
    kill: () => {
      for (const worker of slots.values()) if (!worker.isDead()) worker.process.kill('SIGKILL');
    },
    log,
  };
}

/** Installs SIGTERM/SIGINT handling for a running server: drain, close, exit 0 (or 1 if the drain overruns). */
export function exitOnSignals(server: RunningServer, timeoutMs: number): void {
  const shutdown = (signal: string) => {
    server.log(`${signal}: shutting down, draining in-flight requests (at most ${timeoutMs} ms)`);
    const timer = setTimeout(() => {
      process.stderr.write(`flagstack: shutdown took longer than ${timeoutMs} ms, exiting\n`);
      server.kill?.();
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    server.stop().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`flagstack: error while shutting down: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
