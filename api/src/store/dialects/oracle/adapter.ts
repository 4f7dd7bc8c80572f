// Oracle's dialect adapter. DDL commits implicitly on Oracle, so migrations cannot run in one transaction and a
// transaction-scoped lock would be released by the first CREATE TABLE. DBMS_LOCK would hold a session lock but needs
// an EXECUTE grant most schemas do not have; the migration lock is therefore a lease on Kysely's lock row: `is_locked`
// holds the epoch second until which the lock is held (0 = free). A process that dies mid-migration blocks the
// others for at most the lease, after which its lock lapses.
import { DialectAdapterBase, type Kysely, type MigrationLockOptions } from 'kysely';

export const ORACLE_MIGRATION_LEASE_SECONDS = 15 * 60;
const RETRY_MS = 1000;

export class OracleAdapter extends DialectAdapterBase {
  constructor(private readonly lockWaitMs = (ORACLE_MIGRATION_LEASE_SECONDS + 60) * 1000) {
    super();
  }

  override get supportsTransactionalDdl(): boolean {
    return false;
  }

  override get supportsReturning(): boolean {
    // `returning … into` with out binds: see OracleQueryCompiler.visitReturning.
    return true;
  }

  override get supportsCreateIfNotExists(): boolean {
    // The compiler emulates it, but the Migrator checks for its tables first anyway.
    return false;
  }

  override async acquireMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const deadline = Date.now() + this.lockWaitMs;
    for (;;) {
      const now = Math.floor(Date.now() / 1000);
      const result = await lockTable(db, options)
        .set({ is_locked: now + ORACLE_MIGRATION_LEASE_SECONDS })
        .where('id', '=', options.lockRowId)
        .where('is_locked', '<', now)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) return;
      if (Date.now() >= deadline) throw new Error('Oracle: timed out waiting for the migration lock held by another process');
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  override async releaseMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
    await lockTable(db, options).set({ is_locked: 0 }).where('id', '=', options.lockRowId).execute();
  }
}

function lockTable(db: Kysely<any>, options: MigrationLockOptions) { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (options.lockTableSchema ? db.withSchema(options.lockTableSchema) : db).updateTable(options.lockTable);
}
