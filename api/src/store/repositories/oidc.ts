// OIDC/OAuth login providers kept in the database (migration 0007-oidc). The table's type is declared here: only the
// OIDC services use it. The client secret column holds a sealed value (auth/secret-box.ts); this layer never opens it.
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Bool, Database, Timestamp } from '../schema';
import { insertReturningId, toBool, toDate, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import type { ProviderKind } from '../../auth/oidc/client-config';

export interface OidcProviderTable {
  id: Generated<number>;
  name: string;
  kind: string;
  issuer: string;
  client_id: string;
  client_secret: string | null;
  scopes: string;
  email_claim: string;
  first_name_claim: string;
  last_name_claim: string;
  groups_claim: string | null;
  organisation_id: number | null;
  allow_signup: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
}

type OidcDb = Kysely<Database & { oidc_providers: OidcProviderTable }>;
const oidcDb = (db: Executor) => db as unknown as OidcDb;

export interface OidcProviderRecord {
  id: number;
  name: string;
  kind: ProviderKind;
  issuer: string;
  clientId: string;
  /** Sealed (secret-box), or null for a public client. */
  sealedClientSecret: string | null;
  scopes: string[];
  claims: { email: string; firstName: string; lastName: string; groups: string | null };
  organisationId: number | null;
  allowSignup: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type OidcProviderFields = Omit<OidcProviderRecord, 'id' | 'createdAt' | 'updatedAt'>;

function toRecord(row: Selectable<OidcProviderTable>): OidcProviderRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === 'github' ? 'github' : 'oidc',
    issuer: row.issuer,
    clientId: row.client_id,
    sealedClientSecret: row.client_secret ?? null,
    scopes: row.scopes.split(' ').filter(Boolean),
    claims: { email: row.email_claim, firstName: row.first_name_claim, lastName: row.last_name_claim, groups: row.groups_claim ?? null },
    organisationId: row.organisation_id ?? null,
    allowSignup: toBool(row.allow_signup),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

type RowValues = { [K in Exclude<keyof OidcProviderTable, 'id' | 'created_at' | 'allow_signup'>]?: OidcProviderTable[K] } & { allow_signup?: boolean };

function toRow(fields: Partial<OidcProviderFields>): RowValues {
  const row: RowValues = {};
  if (fields.name !== undefined) row.name = fields.name;
  if (fields.kind !== undefined) row.kind = fields.kind;
  if (fields.issuer !== undefined) row.issuer = fields.issuer;
  if (fields.clientId !== undefined) row.client_id = fields.clientId;
  if (fields.sealedClientSecret !== undefined) row.client_secret = fields.sealedClientSecret;
  if (fields.scopes !== undefined) row.scopes = fields.scopes.join(' ');
  if (fields.claims !== undefined) {
    row.email_claim = fields.claims.email;
    row.first_name_claim = fields.claims.firstName;
    row.last_name_claim = fields.claims.lastName;
    row.groups_claim = fields.claims.groups;
  }
  if (fields.organisationId !== undefined) row.organisation_id = fields.organisationId;
  if (fields.allowSignup !== undefined) row.allow_signup = fields.allowSignup;
  return row;
}

export async function insertOidcProvider(db: Executor, traits: EngineTraits, fields: OidcProviderFields, now: Date): Promise<number> {
  const row = { ...toRow(fields), created_at: now, updated_at: now };
  return insertReturningId(db, traits, 'oidc_providers' as never, row as never);
}

export async function updateOidcProvider(db: Executor, id: number, fields: Partial<OidcProviderFields>, now: Date): Promise<void> {
  await oidcDb(db).updateTable('oidc_providers').set({ ...toRow(fields), updated_at: now } as never).where('id', '=', id).execute();
}

export async function deleteOidcProvider(db: Executor, id: number): Promise<void> {
  await oidcDb(db).deleteFrom('oidc_providers').where('id', '=', id).execute();
}

export async function findOidcProviderByName(db: Executor, name: string): Promise<OidcProviderRecord | undefined> {
  const row = await oidcDb(db).selectFrom('oidc_providers').selectAll().where('name', '=', name).executeTakeFirst();
  return row && toRecord(row);
}

export async function listOidcProviders(db: Executor): Promise<OidcProviderRecord[]> {
  const rows = await oidcDb(db).selectFrom('oidc_providers').selectAll().orderBy('name').execute();
  return rows.map(toRecord);
}

/** Removes every account link of one sign-in method (`oidc:<name>`); answers how many there were. */
export async function deleteIdentitiesOfProvider(db: Executor, provider: string): Promise<number> {
  const result = await (db as unknown as Kysely<{ user_identities: { provider: string } }>).deleteFrom('user_identities').where('provider', '=', provider).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
