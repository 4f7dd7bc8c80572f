import type { Selectable } from 'kysely';
import type { UserTable } from '../schema';
import { insertReturningId, toBool, toDate, type Executor } from '../rows';
import type { EngineTraits } from '../connect';

export interface UserRecord {
  id: number;
  email: string;
  passwordHash: string | null;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isSuperuser: boolean;
  authProvider: string;
  lastLoginAt: Date | null;
}

function toUser(row: Selectable<UserTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    firstName: row.first_name,
    lastName: row.last_name,
    isActive: toBool(row.is_active),
    isSuperuser: toBool(row.is_superuser),
    authProvider: row.auth_provider,
    lastLoginAt: row.last_login_at ? toDate(row.last_login_at) : null,
  };
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  return row && toUser(row);
}

export async function findUserById(db: Executor, id: number): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(
  db: Executor,
  traits: EngineTraits,
  values: { email: string; passwordHash: string | null; firstName?: string; lastName?: string; isSuperuser?: boolean; authProvider?: string },
): Promise<number> {
  return insertReturningId(db, traits, 'users', {
    email: values.email.toLowerCase(),
    password_hash: values.passwordHash,
    first_name: values.firstName ?? '',
    last_name: values.lastName ?? '',
    is_active: true,
    is_superuser: values.isSuperuser ?? false,
    auth_provider: values.authProvider ?? 'password',
    created_at: new Date(),
  });
}

export async function updateUser(
  db: Executor,
  id: number,
  values: Partial<{ passwordHash: string; firstName: string; lastName: string; isSuperuser: boolean; isActive: boolean; lastLoginAt: Date }>,
): Promise<void> {
  const set: Record<string, unknown> = {};
  if (values.passwordHash !== undefined) set.password_hash = values.passwordHash;
  if (values.firstName !== undefined) set.first_name = values.firstName;
  if (values.lastName !== undefined) set.last_name = values.lastName;
  if (values.isSuperuser !== undefined) set.is_superuser = values.isSuperuser;
  if (values.isActive !== undefined) set.is_active = values.isActive;
  if (values.lastLoginAt !== undefined) set.last_login_at = values.lastLoginAt;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('users').set(set).where('id', '=', id).execute();
}

export async function insertApiToken(db: Executor, traits: EngineTraits, userId: number, keyHash: string, expiresAt: Date | null): Promise<number> {
  return insertReturningId(db, traits, 'api_tokens', { user_id: userId, key_hash: keyHash, created_at: new Date(), expires_at: expiresAt });
}

export async function findUserByTokenHash(db: Executor, keyHash: string): Promise<(UserRecord & { tokenExpiresAt: Date | null }) | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select('api_tokens.expires_at as token_expires_at')
    .where('api_tokens.key_hash', '=', keyHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...toUser(row), tokenExpiresAt: row.token_expires_at ? toDate(row.token_expires_at) : null };
}

export async function deleteApiToken(db: Executor, keyHash: string): Promise<void> {
  await db.deleteFrom('api_tokens').where('key_hash', '=', keyHash).execute();
}

/** Revokes every API token of a user but the one whose hash is `keep` (the token making the request, if any). */
export async function deleteUserApiTokens(db: Executor, userId: number, keep?: string): Promise<number> {
  let query = db.deleteFrom('api_tokens').where('user_id', '=', userId);
  if (keep) query = query.where('key_hash', '<>', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
