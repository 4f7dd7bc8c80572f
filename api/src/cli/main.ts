// `flagstack <command>`: serve, migrate, create-admin, run-scheduler, sync-ldap-users-and-groups, config. Each command
// returns an exit code.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { runConfigCommand } from './commands/config-command';
import { connect } from '../store/connect';
import { migrateToLatest } from '../store/migrate';
import { ensureDatabaseExists } from '../store/ensure-database';
import { Store } from '../store/store';
import { createAdmin } from '../services/users';
import { ValidationError } from '../domain/errors';
import { exitOnSignals, startServer } from '../runtimes/server';
import { promptHidden } from './prompt';
import { publishDueChanges, runScheduler } from '../services/workflows/scheduler';
import { runSyncLdapCommand, SYNC_LDAP_USAGE } from './commands/sync-ldap-command';

const USAGE = `usage: flagstack <command> [options]

commands:
  serve                          start the API (and admin UI) on PORT (default 8000)
  migrate                        apply database migrations and exit
  create-admin --email E [--password P]
                                 create an instance admin (password prompted, or from
                                 --password or FLAGSTACK_ADMIN_PASSWORD)
  run-scheduler [--once] [--interval-ms N]
                                 publish scheduled changes as they come due: a loop
                                 (containers) or one pass with --once (function schedulers)
${SYNC_LDAP_USAGE}
  config [--json] [--schema]     print the effective configuration (secrets masked),
                                 or the JSON Schema of every environment variable
`;

type Out = (line: string) => void;

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const connection = await connect(config.database.url, { poolMax: 2, tls: config.database.tls });
  const store = new Store(connection);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function migrate(out: Out): Promise<number> {
  // SQL Server: the database the URL names is created first when the server has none (RDS creates none).
  await ensureDatabaseExists(loadConfig().database.url, out);
  const applied = await withStore((store) => migrateToLatest(store.connection));
  out(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  return 0;
}

async function createAdminCommand(argv: string[], out: Out, err: Out): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { email: { type: 'string' }, password: { type: 'string' } }, strict: true });
  if (!values.email) {
    err('create-admin: --email is required');
    return 2;
  }
  let password = values.password ?? process.env.FLAGSTACK_ADMIN_PASSWORD;
  if (!password) {
    if (!process.stdin.isTTY) {
      err('create-admin: no password given; use --password, FLAGSTACK_ADMIN_PASSWORD, or run in a terminal to be prompted');
      return 2;
    }
    password = await promptHidden('Password: ');
    if ((await promptHidden('Password (again): ')) !== password) {
      err('create-admin: the passwords differ');
      return 2;
    }
  }
  await ensureDatabaseExists(loadConfig().database.url, out);
  const result = await withStore(async (store) => {
    await migrateToLatest(store.connection);
    return createAdmin(store, values.email!, password!);
  });
  out(`${result.created ? 'created' : 'updated'} instance admin ${result.email}; log in with POST /api/v1/auth/login/`);
  return 0;
}

async function runSchedulerCommand(argv: string[], out: Out, err: Out): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { once: { type: 'boolean' }, 'interval-ms': { type: 'string' } }, strict: true });
  const intervalMs = Number(values['interval-ms'] ?? 10_000);
  if (!Number.isInteger(intervalMs) || intervalMs < 100) {
    err('run-scheduler: --interval-ms must be an integer of at least 100');
    return 2;
  }
  if (values.once) {
    const published = await withStore((store) => publishDueChanges(store));
    out(`published ${published} scheduled change(s)`);
    return 0;
  }
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  out(`scheduler running every ${intervalMs} ms (SIGTERM stops it)`);
  await withStore((store) =>
    runScheduler(store, {
      intervalMs,
      signal: controller.signal,
      onPass: (n) => n > 0 && out(`published ${n} scheduled change(s)`),
      onError: (e) => err(`scheduler pass failed: ${(e as Error).message}`),
    }),
  );
  return 0;
}

async function serve(): Promise<number> {
  const config = loadConfig();
  const server = await startServer(config);
  exitOnSignals(server, config.shutdownTimeoutMs);
  return -1; // keep running
}

export async function main(argv: string[], out: Out = (l) => process.stdout.write(l + '\n'), err: Out = (l) => process.stderr.write(l + '\n')): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve();
      case 'migrate':
        return await migrate(out);
      case 'create-admin':
        return await createAdminCommand(rest, out, err);
      case 'run-scheduler':
        return await runSchedulerCommand(rest, out, err);
      case 'sync-ldap-users-and-groups':
        return await runSyncLdapCommand(rest, out, err);
      case 'config':
        return runConfigCommand(rest, process.env);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        err(`flagstack: unknown command "${command}"\n`);
        err(USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) err(`flagstack: configuration error\n${error.message}`);
    else if (error instanceof ValidationError) err(`flagstack: ${error.message}`);
    else err(`flagstack: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exitCode = code;
  });
}
