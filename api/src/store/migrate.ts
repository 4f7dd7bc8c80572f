// Runs the schema migrations with Kysely's Migrator. Migrations are listed in code rather than read from a folder,
// so the bundled function runtimes carry them. The Migrator holds a lock, so two instances starting at once migrate once.
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Connection } from './connect';
import { initialMigration } from './migrations/0001-initial';
import { rbacMigration } from './migrations/0002-rbac';
import { sessionsMigration } from './migrations/0003-sessions';
import { workflowsMigration } from './migrations/0004-workflows';
import { signInMigration } from './migrations/0005-sign-in';
import { samlMigration } from './migrations/0006-saml';
import { oidcMigration } from './migrations/0007-oidc';
import { ldapMigration } from './migrations/0008-ldap';
import type { Engine } from './database-url';

/** Every migration, in order: name and the factory that builds it for an engine (tests compile them all). */
export const MIGRATIONS: ReadonlyArray<readonly [string, (engine: Engine) => Migration]> = [
  ['0001-initial', initialMigration],
  ['0002-rbac', rbacMigration],
  ['0003-sessions', sessionsMigration],
  ['0004-workflows', workflowsMigration],
  ['0005-sign-in', signInMigration],
  ['0006-saml', samlMigration],
  ['0007-oidc', oidcMigration],
  ['0008-ldap', ldapMigration],
];

function migrationsFor(engine: Engine): Record<string, Migration> {
  return Object.fromEntries(MIGRATIONS.map(([name, factory]) => [name, factory(engine)]));
}

export class MigrationError extends Error {}

export async function migrateToLatest(connection: Connection): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(connection.traits.engine) };
  // Migrations are numbered by the work that needs them and may land in any order; each one stands alone, so a
  // database that already has a later one still takes an earlier one that arrived after it.
  const migrator = new Migrator({ db: connection.db, provider, allowUnorderedMigrations: true });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`migration ${failed} failed: ${cause}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
