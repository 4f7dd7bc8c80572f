// The tables of migration 0005 (sign-in): outside identities linked to users, one-time redirect-flow state, and
// login failure counters. Their types are declared here: only the sign-in services use them.
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database, Timestamp } from '../schema';
import { insertReturningId, toDate, type Executor } from '../rows';
import type { EngineTraits } from '../connect';

export interface UserIdentityTable {
  id: Generated<number>;
  user_id: number;
  provider: string;
  subject: string;
  created_at: Timestamp;
  last_login_at: Timestamp | null;
}

export interface AuthFlowTable {
  id: Generated<number>;
  key_hash: string;
  kind: string;
  provider: string;
  payload: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface LoginThrottleTable {
  bucket: string;
  failures: number;
  window_start: Timestamp;
  blocked_until: Timestamp | null;
}

type SignInDb = Kysely<Database & { user_identities: UserIdentityTable; auth_flows: AuthFlowTable; login_throttle: LoginThrottleTable }>;
const signInDb = (db: Executor) => db as unknown as SignInDb;

export interface UserIdentity {
  id: number;
  userId: number;
  provider: string;
  subject: string;
}

const toIdentity = (row: Selectable<UserIdentityTable>): UserIdentity => ({ id: row.id, userId: row.user_id, provider: row.provider, subject: row.subject });

export async function findUserIdentity(db: Executor, provider: string, subject: string): Promise<UserIdentity | undefined> {
  const row = await signInDb(db).selectFrom('user_identities').selectAll().where('provider', '=', provider).where('subject', '=', subject).executeTakeFirst();
  return row && toIdentity(row);
}

export async function listUserIdentities(db: Executor, userId: number): Promise<UserIdentity[]> {
  const rows = await signInDb(db).selectFrom('user_identities').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  return rows.map(toIdentity);
}

/** Every identity of one provider (the LDAP sync walks them). */
export async function listIdentitiesOfProvider(db: Executor, provider: string): Promise<UserIdentity[]> {
  const rows = await signInDb(db).selectFrom('user_identities').selectAll().where('provider', '=', provider).orderBy('id').execute();
  return rows.map(toIdentity);
}

export async function insertUserIdentity(db: Executor, traits: EngineTraits, values: { userId: number; provider: string; subject: string; at: Date }): Promise<number> {
  const row = { user_id: values.userId, provider: values.provider, subject: values.subject, created_at: values.at, last_login_at: values.at };
  return insertReturningId(db, traits, 'user_identities' as never, row as never);
}

export async function touchUserIdentity(db: Executor, id: number, at: Date): Promise<void> {
  await signInDb(db).updateTable('user_identities').set({ last_login_at: at }).where('id', '=', id).execute();
}

export async function deleteUserIdentity(db: Executor, id: number): Promise<void> {
  await signInDb(db).deleteFrom('user_identities').where('id', '=', id).execute();
}

export async function insertAuthFlow(
  db: Executor,
  traits: EngineTraits,
  values: { keyHash: string; kind: string; provider: string; payload: string; now: Date; expiresAt: Date },
): Promise<void> {
  const row = { key_hash: values.keyHash, kind: values.kind, provider: values.provider, payload: values.payload, created_at: values.now, expires_at: values.expiresAt };
  await insertReturningId(db, traits, 'auth_flows' as never, row as never);
}

export interface AuthFlowRecord {
  id: number;
  kind: string;
  provider: string;
  payload: string;
  expiresAt: Date;
}

export async function findAuthFlow(db: Executor, keyHash: string): Promise<AuthFlowRecord | undefined> {
  const row = await signInDb(db).selectFrom('auth_flows').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  return row && { id: row.id, kind: row.kind, provider: row.provider, payload: row.payload, expiresAt: toDate(row.expires_at) };
}

/** Deletes one flow row; answers whether this call deleted it (the basis of exactly-once consumption). */
export async function deleteAuthFlow(db: Executor, id: number): Promise<boolean> {
  const result = await signInDb(db).deleteFrom('auth_flows').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0) === 1;
}

export async function deleteExpiredAuthFlows(db: Executor, now: Date): Promise<void> {
  await signInDb(db).deleteFrom('auth_flows').where('expires_at', '<=', now as never).execute();
}

export interface ThrottleRecord {
  bucket: string;
  failures: number;
  windowStart: Date;
  blockedUntil: Date | null;
}

export async function findThrottles(db: Executor, buckets: string[]): Promise<ThrottleRecord[]> {
  if (buckets.length === 0) return [];
  const rows = await signInDb(db).selectFrom('login_throttle').selectAll().where('bucket', 'in', buckets).execute();
  return rows.map((r) => ({ bucket: r.bucket, failures: Number(r.failures), windowStart: toDate(r.window_start), blockedUntil: r.blocked_until ? toDate(r.blocked_until) : null }));
}

export async function upsertThrottle(db: Executor, record: ThrottleRecord, exists: boolean): Promise<void> {
  const values = { failures: record.failures, window_start: record.windowStart, blocked_until: record.blockedUntil };
  if (exists) {
    await signInDb(db).updateTable('login_throttle').set(values).where('bucket', '=', record.bucket).execute();
  } else {
    await signInDb(db).insertInto('login_throttle').values({ bucket: record.bucket, ...values }).execute();
  }
}

export async function deleteThrottle(db: Executor, bucket: string): Promise<void> {
  await signInDb(db).deleteFrom('login_throttle').where('bucket', '=', bucket).execute();
}

/** Removes every account link of these providers (a provider that is deleted must not leave links a namesake reuses). */
export async function deleteIdentitiesOfProviders(db: Executor, providers: string[]): Promise<number> {
  if (providers.length === 0) return 0;
  const result = await signInDb(db).deleteFrom('user_identities').where('provider', 'in', providers).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

/** The sign-in providers an organisation owns: its SAML configurations and its OIDC providers, as link names. */
export async function providersOfOrganisation(db: Executor, organisationId: number): Promise<string[]> {
  const named = db as unknown as Kysely<{ saml_configurations: { name: string; organisation_id: number }; oidc_providers: { name: string; organisation_id: number | null } }>;
  const saml = await named.selectFrom('saml_configurations').select('name').where('organisation_id', '=', organisationId).execute();
  const oidc = await named.selectFrom('oidc_providers').select('name').where('organisation_id', '=', organisationId).execute();
  return [...saml.map((r) => `saml:${r.name}`), ...oidc.map((r) => `oidc:${r.name}`)];
}
