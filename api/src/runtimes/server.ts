// The container entry (`flagstack serve`): listen, print a banner that says how to get in, and on SIGTERM stop
// accepting, let in-flight requests finish, close the pool and exit 0 within SHUTDOWN_TIMEOUT_MS.
import type { AppConfig } from '../config';
import { countUsers } from '../store/repositories/users';
import { createApiRuntime, type ApiRuntime } from './bootstrap';
import { VERSION } from '../version';

export interface RunningServer {
  runtime: ApiRuntime;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: AppConfig, out: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<RunningServer> {
  const runtime = await createApiRuntime(config);
  const address = await runtime.app.listen({ port: config.port, host: config.host });
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  const users = await countUsers(runtime.store.db);
  out(`flagstack ${VERSION} listening on ${url}  (database: ${runtime.databaseDescription})`);
  if (runtime.migrations.length > 0) out(`  applied migrations: ${runtime.migrations.join(', ')}`);
  out(`  API: ${url}/api/v1/   API docs: ${url}/api/v1/docs/`);
  if (runtime.firstAdmin) out(`  created the first admin from ADMIN_EMAIL: ${runtime.firstAdmin.email}`);
  if (users === 0) {
    out('  no users yet — create the first admin with:');
    out('    npx flagstack create-admin --email you@example.com');
    out('  or start with ADMIN_EMAIL and ADMIN_PASSWORD set.');
  }
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= runtime.close());
  return { runtime, url, stop };
}

/** Installs SIGTERM/SIGINT handling for a running server: drain, close, exit 0 (or 1 if the drain overruns). */
export function exitOnSignals(server: RunningServer, timeoutMs: number): void {
  const shutdown = (signal: string) => {
    server.runtime.app.log.info({ signal }, 'shutting down: draining in-flight requests');
    const timer = setTimeout(() => {
      process.stderr.write(`flagstack: shutdown took longer than ${timeoutMs} ms, exiting\n`);
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
