// Named (server-side) prepared statements on PostgreSQL for the few queries of the SDK read path that run on every
// request (docs/performance.md §6). Kysely sends every query as an unnamed statement, so PostgreSQL parses and plans
// it each time; for the identity read that costs the server more than executing it. A query registered here (by its
// SQL text) is sent with a name instead: each pooled connection prepares it once and then only binds and executes.
// Measured in isolation against the benchmark's data set: about twice the identity reads per second, a third less
// client CPU.
//
// Used by the long-running server only (runtimes/server.ts): the function runtimes connect through RDS Proxy, where a
// named statement pins the client's session to one database connection. Behind a pooler that does not keep prepared
// statements per client (PgBouncer in transaction mode before 1.21), PostgreSQL answers "prepared statement … does
// not exist" or "already exists": the query is then sent again unnamed, and this pool stops naming statements.
import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

const names = new Map<string, string>();

/** Asks for `sql` to be sent as a named statement where the pool supports it (idempotent). */
export function prepareStatement(sql: string): void {
  if (!names.has(sql)) names.set(sql, `flagstack_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`);
}

/** SQLSTATEs of a named statement the server does not have, or has under another text: a pooler in between. */
const POOLER_ERRORS = new Set(['26000', '42P05']);

interface PgClient {
  /** A promise of the result, or (for a cursor, which is passed through) the cursor itself. */
  query(config: unknown, values?: unknown[]): Promise<unknown>;
  release(): void;
}

interface PgPool {
  connect(): Promise<PgClient>;
  end(): Promise<void>;
}

/** A pool for Kysely's PostgresDialect whose clients send registered queries as named statements. */
export function preparingPool(pool: PgPool): PostgresPool {
  const clients = new WeakMap<PgClient, PostgresPoolClient>();
  let naming = true;
  const wrap = (client: PgClient): PostgresPoolClient => {
    let wrapped = clients.get(client);
    if (!wrapped) {
      wrapped = {
        query: ((sql: unknown, parameters?: unknown[]) => {
          const name = naming && typeof sql === 'string' ? names.get(sql) : undefined;
          if (name === undefined) return client.query(sql, parameters);
          return client.query({ name, text: sql, values: parameters }).catch((error: { code?: string }) => {
            if (!POOLER_ERRORS.has(error?.code ?? '')) throw error;
            naming = false;
            return client.query(sql, parameters);
          });
        }) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
      };
      clients.set(client, wrapped);
    }
    return wrapped;
  };
  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}
