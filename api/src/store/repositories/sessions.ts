// Browser sessions (migration 0003). The table's type is declared here rather than in schema.ts: only this file reads
// or writes it, and the rest of the store stays unaware of it.
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database, Timestamp } from '../schema';
import { insertReturningId, toDate, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import type { UserRecord } from './users';
import { findUserById } from './users';

export interface SessionTable {
  id: Generated<number>;
  key_hash: string;
  user_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

type SessionDb = Kysely<Database & { sessions: SessionTable }>;
const withSessions = (db: Executor) => db as unknown as SessionDb;

export interface SessionRecord {
  id: number;
  userId: number;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

function toSession(row: Selectable<SessionTable>): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: toDate(row.created_at),
    lastSeenAt: toDate(row.last_seen_at),
    expiresAt: toDate(row.expires_at),
  };
}

export async function insertSession(
  db: Executor,
  traits: EngineTraits,
  values: { keyHash: string; userId: number; now: Date; expiresAt: Date; ip?: string | null; userAgent?: string | null },
): Promise<number> {
  const row: Record<string, unknown> = {
    key_hash: values.keyHash,
    user_id: values.userId,
    created_at: values.now,
    last_seen_at: values.now,
    expires_at: values.expiresAt,
    ip: values.ip?.slice(0, 45) ?? null,
    user_agent: values.userAgent?.slice(0, 512) ?? null,
  };
  return insertReturningId(db, traits, 'sessions' as never, row as never);
}

export async function findSessionByHash(db: Executor, keyHash: string): Promise<(SessionRecord & { user: UserRecord }) | undefined> {
  const row = await withSessions(db).selectFrom('sessions').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  if (!row) return undefined;
  const user = await findUserById(db, row.user_id);
  return user && { ...toSession(row), user };
}

export async function touchSession(db: Executor, id: number, at: Date): Promise<void> {
  await withSessions(db).updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: number): Promise<void> {
  await withSessions(db).deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionByHash(db: Executor, keyHash: string): Promise<number> {
  const result = await withSessions(db).deleteFrom('sessions').where('key_hash', '=', keyHash).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

/** Ends every session of a user (password change, deactivation, removal). */
export async function deleteUserSessions(db: Executor, userId: number): Promise<void> {
  await withSessions(db).deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Removes sessions past their absolute expiry or idle since before `idleBefore`. */
export async function deleteExpiredSessions(db: Executor, now: Date, idleBefore: Date): Promise<void> {
  await withSessions(db)
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now as never), eb('last_seen_at', '<', idleBefore as never)]))
    .execute();
}

/** Ends every session of a user but the one whose hash is `keep`; answers how many ended. */
export async function deleteOtherUserSessions(db: Executor, userId: number, keep?: string): Promise<number> {
  let query = withSessions(db).deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) query = query.where('key_hash', '<>', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
