// Small conversions between what each engine returns and the domain's types.
import type { InsertObject, Kysely, Transaction } from 'kysely';
import type { Database } from './schema';
import type { EngineTraits } from './connect';

export type Executor = Kysely<Database> | Transaction<Database>;

export function toBool(value: boolean | number | null | undefined): boolean {
  return value === true || value === 1;
}

export function toNullableBool(value: boolean | number | null | undefined): boolean | null {
  return value === null || value === undefined ? null : toBool(value);
}

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toIso(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : toDate(value).toISOString();
}

/** Reads a JSON text column; the column only ever holds text this code wrote. */
export function fromJson<T = unknown>(text: string | null | undefined): T | null {
  return text === null || text === undefined ? null : (JSON.parse(text) as T);
}

/**
 * Inserts one row and returns its generated id: by RETURNING (PostgreSQL, SQLite; Oracle's RETURNING … INTO, read back
 * by its dialect), OUTPUT inserted.id (SQL Server), or the id the driver reports (MySQL).
 */
export async function insertReturningId<T extends keyof Database & string>(
  db: Executor,
  traits: EngineTraits,
  table: T,
  values: InsertObject<Database, T>,
): Promise<number> {
  const insert = db.insertInto(table).values(values);
  if (traits.supportsReturning) {
    const row = (await insert.returning("id" as never).executeTakeFirstOrThrow()) as unknown as { id: number };
    return Number(row.id);
  }
  if (traits.supportsOutput) {
    const row = (await insert.output('inserted.id' as never).executeTakeFirstOrThrow()) as unknown as { id: number };
    return Number(row.id);
  }
  const result = await insert.executeTakeFirstOrThrow();
  return Number(result.insertId);
}
