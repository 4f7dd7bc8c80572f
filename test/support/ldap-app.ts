// Helpers of the LDAP tests: the LDAP_* variables for the throwaway slapd (test/support/ldap-server.ts), switching an
// app's LDAP configuration, signing in through the HTTP API, and reading groups and links straight from the database.
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../../api/src/config';
import { enableLdapLogin } from '../../api/src/services/ldap/login';
import type { LdapConnectOptions } from '../../api/src/services/ldap/connection';
import type { TestApi } from './harness';
import { CORP_BASE, PEOPLE_BASE, SEED, type LdapTestServer } from './ldap-server';

/** OpenLDAP-style settings, as an operator writes them (the dotted Flagsmith values included). */
export function openLdapEnv(server: LdapTestServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LDAP_AUTH_URL: server.url,
    LDAP_AUTH_SEARCH_BASE: PEOPLE_BASE,
    LDAP_AUTH_OBJECT_CLASS: 'inetOrgPerson',
    LDAP_AUTH_USER_FIELDS: 'username=uid,first_name=givenName,last_name=sn,email=mail',
    LDAP_AUTH_FORMAT_USERNAME: 'django_python3_ldap.utils.format_username_openldap',
    LDAP_AUTH_CONNECT_TIMEOUT: '3',
    LDAP_AUTH_RECEIVE_TIMEOUT: '5',
    ...extra,
  };
}

/** The Active Directory look-alike under dc=corp: sAMAccountName, service account for search-then-bind. */
export function adEnv(server: LdapTestServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LDAP_AUTH_URL: server.url,
    LDAP_AUTH_SEARCH_BASE: CORP_BASE,
    LDAP_AUTH_OBJECT_CLASS: 'user',
    LDAP_AUTH_USER_FIELDS: 'username=sAMAccountName,first_name=givenName,last_name=sn,email=mail',
    LDAP_AUTH_FORMAT_USERNAME: 'django_python3_ldap.utils.format_username_active_directory',
    LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN: 'CORP',
    LDAP_AUTH_CONNECTION_USERNAME: SEED.corpServiceDn,
    LDAP_AUTH_CONNECTION_PASSWORD: 'bindpw',
    LDAP_AUTH_CONNECT_TIMEOUT: '3',
    LDAP_AUTH_RECEIVE_TIMEOUT: '5',
    ...extra,
  };
}

/** Points the running app's LDAP sign-in at a configuration read from these variables (as at start-up). */
export function useLdap(api: TestApi, env: Record<string, string>, connect: LdapConnectOptions = {}): void {
  const config = loadConfig({ DATABASE_URL: api.databaseUrl, ...env });
  enableLdapLogin(api.runtime.store, config.ldap, connect);
}

const HOST = 'localhost:8000';
const ORIGIN = 'http://localhost:8000';

/** POST /api/v1/auth/login/ with provider ldap. */
export function tokenLogin(api: TestApi, username: string, password: string): Promise<LightMyRequestResponse> {
  return api.request('POST', '/api/v1/auth/login/', { body: { provider: 'ldap', username, password } });
}

/** POST /api/v1/auth/session/ with provider ldap, as the admin UI does (same-origin). */
export function sessionLogin(api: TestApi, username: string, password: string): Promise<LightMyRequestResponse> {
  return api.app.inject({
    method: 'POST',
    url: '/api/v1/auth/session/',
    headers: { host: HOST, origin: ORIGIN, 'content-type': 'application/json' },
    payload: JSON.stringify({ provider: 'ldap', username, password }),
  });
}

export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  const raw = res.headers['set-cookie'];
  const all = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const found = all.find((c) => c.startsWith('__Host-flagstack='));
  return found?.split(';')[0];
}

export async function whoAmI(api: TestApi, token: string): Promise<{ email: string; first_name: string; last_name: string }> {
  const res = await api.request('GET', '/api/v1/auth/users/me/', { token });
  if (res.statusCode !== 200) throw new Error(`users/me -> ${res.statusCode} ${res.body}`);
  return res.json();
}

export interface GroupRow {
  id: number;
  name: string;
  organisationId: number;
  ldapDn: string | null;
  members: string[];
}

/** Every group with its ldap_dn and member emails (sorted), straight from the database. */
export async function groupsInDb(api: TestApi): Promise<GroupRow[]> {
  const db = api.runtime.store.db;
  const groups = await sql<{ id: number; name: string; organisation_id: number; ldap_dn: string | null }>`
    select id, name, organisation_id, ldap_dn from user_groups order by id`.execute(db);
  const members = await sql<{ group_id: number; email: string }>`
    select m.group_id, u.email from user_group_members m join users u on u.id = m.user_id`.execute(db);
  return groups.rows.map((g) => ({
    id: Number(g.id),
    name: g.name,
    organisationId: Number(g.organisation_id),
    ldapDn: g.ldap_dn,
    members: members.rows.filter((m) => Number(m.group_id) === Number(g.id)).map((m) => m.email).sort(),
  }));
}

export async function groupNamed(api: TestApi, name: string): Promise<GroupRow | undefined> {
  return (await groupsInDb(api)).find((g) => g.name === name);
}

/** The user linked to an LDAP username, if any. */
export async function ldapLinkedUser(api: TestApi, subject: string): Promise<{ id: number; email: string } | undefined> {
  const rows = await sql<{ id: number; email: string }>`
    select u.id, u.email from user_identities i join users u on u.id = i.user_id
    where i.provider = 'ldap' and i.subject = ${subject}`.execute(api.runtime.store.db);
  const row = rows.rows[0];
  return row && { id: Number(row.id), email: row.email };
}

export async function countRows(api: TestApi, table: string): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(api.runtime.store.db);
  return Number(r.rows[0]!.n);
}

export async function userEmails(api: TestApi): Promise<string[]> {
  const r = await sql<{ email: string }>`select email from users order by email`.execute(api.runtime.store.db);
  return r.rows.map((x) => x.email);
}
