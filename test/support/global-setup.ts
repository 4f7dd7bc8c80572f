// Runs once before every test file: slow one-time preparation that no single test's timeout should have to cover.
import { ensureNode22Sqlite, node22Available } from '../api/runtimes/support';

export default async function globalSetup(): Promise<void> {
  // The runtime tests run the built bundles under Node 22 too, which needs better-sqlite3 compiled for it (1–2 minutes
  // the first time, reused afterwards). Building it here keeps that out of the tests' own time limits.
  if (node22Available()) {
    const started = Date.now();
    ensureNode22Sqlite();
    const seconds = (Date.now() - started) / 1000;
    if (seconds > 1) process.stdout.write(`\n[global setup] better-sqlite3 for Node 22 ready (${seconds.toFixed(0)} s)\n`);
  }
}
