// Shared by the HTTP-level suites: a database fingerprint (row counts and a hash of every row of every table, in
// primary-key order) to prove that a rejected request changed nothing, and a rich fixture with one object of every
// kind the admin routes address.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApi } from '../../support/harness';

export interface DbFingerprint {
  counts: Record<string, number>;
  hashes: Record<string, string>;
  digest: string;
}

interface TableInfo {
  name: string;
  orderBy: string;
}

const tableCache = new WeakMap<object, TableInfo[]>();

async function tablesOf(api: TestApi): Promise<TableInfo[]> {
  const db = api.runtime.store.db;
  const cached = tableCache.get(db);
  if (cached) return cached;
  if (api.engine !== 'sqlite') throw new Error('the fingerprint reads SQLite catalogues; run these suites on SQLite');
  const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db);
  const infos: TableInfo[] = [];
  for (const { name } of tables.rows) {
    const cols = await sql<{ name: string; pk: number; cid: number }>`SELECT name, pk, cid FROM pragma_table_info(${name})`.execute(db);
    const pk = cols.rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const order = (pk.length > 0 ? pk : cols.rows.sort((a, b) => a.cid - b.cid)).map((c) => `"${c.name}"`).join(', ');
    infos.push({ name, orderBy: order });
  }
  tableCache.set(db, infos);
  return infos;
}

/** Row counts and a SHA-256 of all rows of every table, ordered by primary key. */
export async function fingerprint(api: TestApi): Promise<DbFingerprint> {
  const db = api.runtime.store.db;
  const counts: Record<string, number> = {};
  const hashes: Record<string, string> = {};
  const all = createHash('sha256');
  for (const table of await tablesOf(api)) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table.name)} ORDER BY ${sql.raw(table.orderBy)}`.execute(db);
    const h = createHash('sha256');
    for (const row of rows.rows) h.update(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('hex') : v)) + '\n');
    counts[table.name] = rows.rows.length;
    hashes[table.name] = h.digest('hex');
    all.update(`${table.name}:${hashes[table.name]}\n`);
  }
  return { counts, hashes, digest: all.digest('hex') };
}

/**
 * The same fingerprint, kept up to date incrementally: TEMP triggers (on this connection only; the schema under test
 * is untouched) count inserts and other changes per table, and only tables that changed are read again; a table that
 * only got inserts above its highest id is extended with the new rows. Trigger effects roll back with the
 * transaction that caused them, so the counters see committed changes only. `full()` recomputes from scratch, to keep
 * the shortcut honest.
 */
export class DbWatcher {
  private tables: TableInfo[] = [];
  private readonly seen = new Map<string, { inserts: number; others: number }>();
  private readonly rows = new Map<string, { hashes: string[]; maxId: number | null }>();
  private readonly idTables = new Set<string>();

  private constructor(private readonly api: TestApi) {}

  static async start(api: TestApi): Promise<DbWatcher> {
    const w = new DbWatcher(api);
    const db = api.runtime.store.db;
    w.tables = await tablesOf(api);
    await sql`CREATE TEMP TABLE IF NOT EXISTS fp_changes (t TEXT PRIMARY KEY, inserts INTEGER NOT NULL, others INTEGER NOT NULL)`.execute(db);
    for (const { name, orderBy } of w.tables) {
      const q = name.replace(/"/g, '""');
      await sql`INSERT OR IGNORE INTO temp.fp_changes (t, inserts, others) VALUES (${name}, 0, 0)`.execute(db);
      for (const [event, column] of [['INSERT', 'inserts'], ['UPDATE', 'others'], ['DELETE', 'others']] as const) {
        await sql.raw(`CREATE TEMP TRIGGER IF NOT EXISTS "fp_${q}_${event}" AFTER ${event} ON main."${q}" BEGIN UPDATE fp_changes SET ${column} = ${column} + 1 WHERE t = '${name.replace(/'/g, "''")}'; END`).execute(db);
      }
      if (orderBy === '"id"') w.idTables.add(name);
    }
    return w;
  }

  private async rehash(table: TableInfo, from: number | null): Promise<void> {
    const db = this.api.runtime.store.db;
    const rows = from === null
      ? await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table.name)} ORDER BY ${sql.raw(table.orderBy)}`.execute(db)
      : await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table.name)} WHERE id > ${from} ORDER BY id`.execute(db);
    const state = from === null ? { hashes: [] as string[], maxId: null as number | null } : this.rows.get(table.name)!;
    for (const row of rows.rows) {
      state.hashes.push(createHash('sha256').update(rowText(row)).digest('hex'));
      if (this.idTables.has(table.name)) state.maxId = Math.max(state.maxId ?? 0, Number(row.id));
    }
    this.rows.set(table.name, state);
  }

  /** The fingerprint now, reading again only what changed since the last call. */
  async sync(): Promise<DbFingerprint> {
    const db = this.api.runtime.store.db;
    const changes = await sql<{ t: string; inserts: number; others: number }>`SELECT t, inserts, others FROM temp.fp_changes`.execute(db);
    for (const c of changes.rows) {
      const table = this.tables.find((t) => t.name === c.t)!;
      const last = this.seen.get(c.t);
      if (last && last.inserts === Number(c.inserts) && last.others === Number(c.others)) continue;
      const appendOnly = last !== undefined && last.others === Number(c.others) && this.idTables.has(c.t) && this.rows.has(c.t);
      await this.rehash(table, appendOnly ? (this.rows.get(c.t)!.maxId ?? 0) : null);
      this.seen.set(c.t, { inserts: Number(c.inserts), others: Number(c.others) });
    }
    const counts: Record<string, number> = {};
    const hashes: Record<string, string> = {};
    const all = createHash('sha256');
    for (const { name } of this.tables) {
      const state = this.rows.get(name)!;
      const h = createHash('sha256');
      for (const rowHash of state.hashes) h.update(rowHash);
      counts[name] = state.hashes.length;
      hashes[name] = h.digest('hex');
      all.update(`${name}:${hashes[name]}\n`);
    }
    return { counts, hashes, digest: all.digest('hex') };
  }

  /** From scratch, in the same form as `sync()`. */
  async full(): Promise<DbFingerprint> {
    for (const table of this.tables) await this.rehash(table, null);
    const changes = await sql<{ t: string; inserts: number; others: number }>`SELECT t, inserts, others FROM temp.fp_changes`.execute(this.api.runtime.store.db);
    for (const c of changes.rows) this.seen.set(c.t, { inserts: Number(c.inserts), others: Number(c.others) });
    return this.sync();
  }
}

function rowText(row: Record<string, unknown>): string {
  return JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('hex') : v));
}

/** The tables whose content differs between two fingerprints, with their row counts. */
export function changedTables(before: DbFingerprint, after: DbFingerprint): string[] {
  const names = new Set([...Object.keys(before.hashes), ...Object.keys(after.hashes)]);
  return [...names].filter((n) => before.hashes[n] !== after.hashes[n]).map((n) => `${n} (${before.counts[n]} -> ${after.counts[n]} rows)`);
}

/**
 * Rows that would let one project's objects reach into another's: every such link must stay inside one project,
 * whatever a request sent. Returns a description of each violation (empty when the data is consistent).
 */
export async function crossScopeViolations(api: TestApi): Promise<string[]> {
  const db = api.runtime.store.db;
  const checks: Array<[string, string]> = [
    ['feature state whose feature and environment are in different projects', `SELECT fs.id FROM feature_states fs JOIN features f ON f.id = fs.feature_id JOIN environments e ON e.id = fs.environment_id WHERE f.project_id <> e.project_id`],
    ['feature segment mixing projects', `SELECT x.id FROM feature_segments x JOIN features f ON f.id = x.feature_id JOIN segments s ON s.id = x.segment_id JOIN environments e ON e.id = x.environment_id WHERE f.project_id <> s.project_id OR f.project_id <> e.project_id`],
    ['feature state of a feature segment of another feature or environment', `SELECT fs.id FROM feature_states fs JOIN feature_segments x ON x.id = fs.feature_segment_id WHERE x.feature_id <> fs.feature_id OR x.environment_id <> fs.environment_id`],
    ['identity override in another environment than its identity', `SELECT fs.id FROM feature_states fs JOIN identities i ON i.id = fs.identity_id WHERE i.environment_id <> fs.environment_id`],
    ['variant weight of an option of another feature', `SELECT v.id FROM multivariate_state_values v JOIN feature_states fs ON fs.id = v.feature_state_id JOIN multivariate_options o ON o.id = v.multivariate_option_id WHERE o.feature_id <> fs.feature_id`],
    ['tag of another project on a feature', `SELECT ft.feature_id FROM feature_tags ft JOIN features f ON f.id = ft.feature_id JOIN tags t ON t.id = ft.tag_id WHERE f.project_id <> t.project_id`],
    ['segment tied to a feature of another project', `SELECT s.id FROM segments s JOIN features f ON f.id = s.feature_id WHERE f.project_id <> s.project_id`],
  ];
  const out: string[] = [];
  for (const [label, query] of checks) {
    const rows = await sql.raw<{ id: number }>(query).execute(db);
    if (rows.rows.length > 0) out.push(`${label}: ${JSON.stringify(rows.rows.slice(0, 5))}`);
  }
  return out;
}

/** Parses a response body as JSON, or fails with the status and body. */
export function jsonOf(res: LightMyRequestResponse): unknown {
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) throw new Error(`${res.statusCode} answered ${type || 'no content type'}: ${res.body.slice(0, 300)}`);
  try {
    return JSON.parse(res.body);
  } catch {
    throw new Error(`${res.statusCode} answered invalid JSON: ${res.body.slice(0, 300)}`);
  }
}

export const MEMBER_PASSWORD = 'member-password-long-enough';

/** One organisation with one object of every kind, and the credentials that reach it. */
export interface FixtureSet {
  label: string;
  orgId: number;
  projectId: number;
  envId: number;
  envKey: string;
  serverKey: string;
  /** A second server key that write routes may rename, deactivate or revoke; `serverKey` stays usable. */
  targetServerKeyId: number;
  featureId: number;
  mvFeatureId: number;
  optionId: number;
  defaultStateId: number;
  segmentId: number;
  featureSegmentId: number;
  segmentStateId: number;
  identityId: number;
  identifier: string;
  traitId: number;
  identityOverrideId: number;
  tagId: number;
  /** A member whose role write routes may change. */
  roleTargetUserId: number;
  /** A user outside this organisation that disposables add and remove. */
  spareUserEmail: string;
  spareUserId: number;
  /** An open change request of the environment (flag changes) and of the project (segment changes). */
  envChangeRequestId: number;
  projectChangeRequestId: number;
  /** RBAC: a group (with the role-target user in it), a role, and an organisation API key to give roles to. */
  groupId: number;
  roleId: number;
  apiKeyId: number;
}

/**
 * Collections of RBAC items (grants and role assignments), with a body that creates one: the fixture creates one
 * item in each, and routes that address an item use the first one listed (re-creating it when it was deleted).
 */
export const RBAC_COLLECTIONS: Array<{ url: string; body: (s: FixtureSet) => unknown }> = [
  { url: '/api/v1/organisations/:id/roles/:role_id/organisation-permissions/', body: () => ({ permissions: ['CREATE_PROJECT'] }) },
  { url: '/api/v1/organisations/:id/roles/:role_id/projects-permissions/', body: (s) => ({ project: s.projectId, permissions: ['VIEW_PROJECT'] }) },
  { url: '/api/v1/organisations/:id/roles/:role_id/environments-permissions/', body: (s) => ({ environment: s.envId, permissions: ['VIEW_ENVIRONMENT'] }) },
  { url: '/api/v1/organisations/:id/roles/:role_id/users/', body: (s) => ({ user: s.roleTargetUserId }) },
  { url: '/api/v1/organisations/:id/roles/:role_id/groups/', body: (s) => ({ group: s.groupId }) },
  { url: '/api/v1/organisations/:id/roles/:role_id/master-api-keys/', body: (s) => ({ master_api_key: s.apiKeyId }) },
  { url: '/api/v1/organisations/:id/user-permissions/', body: (s) => ({ user: s.roleTargetUserId, permissions: ['CREATE_PROJECT'] }) },
  { url: '/api/v1/projects/:project_pk/user-permissions/', body: (s) => ({ user: s.roleTargetUserId, permissions: ['VIEW_PROJECT'] }) },
  { url: '/api/v1/environments/:env_key/user-permissions/', body: (s) => ({ user: s.roleTargetUserId, permissions: ['VIEW_ENVIRONMENT'] }) },
  { url: '/api/v1/organisations/:id/user-group-permissions/', body: (s) => ({ group: s.groupId, permissions: ['CREATE_PROJECT'] }) },
  { url: '/api/v1/projects/:project_pk/user-group-permissions/', body: (s) => ({ group: s.groupId, permissions: ['VIEW_PROJECT'] }) },
  { url: '/api/v1/environments/:env_key/user-group-permissions/', body: (s) => ({ group: s.groupId, permissions: ['VIEW_ENVIRONMENT'] }) },
];

/** Fills a route template's parameters from a fixture set by name (`:id` is the organisation under /organisations/, the project under /projects/). */
export function fillParams(url: string, s: FixtureSet): string {
  const byName: Record<string, string | number> = { project_pk: s.projectId, env_key: s.envKey, feature_pk: s.featureId, identity_pk: s.identityId, user_id: s.roleTargetUserId, group_id: s.groupId, role_id: s.roleId, key_id: s.apiKeyId };
  return url.replace(/:(\w+)/g, (_m, name: string) => {
    if (name in byName) return String(byName[name]);
    if (name === 'id' && url.startsWith('/api/v1/organisations/:id/')) return String(s.orgId);
    if (name === 'id' && url.startsWith('/api/v1/projects/:id/')) return String(s.projectId);
    throw new Error(`fillParams: no fixture value for :${name} in ${url}`);
  });
}

let unique = 0;
export const uid = (prefix: string) => `${prefix}-${process.pid}-${++unique}`;

/** Builds a full fixture set through the admin API (as the instance admin). */
export async function createFixtureSet(api: TestApi, label: string): Promise<FixtureSet> {
  const org = await api.admin('POST', '/api/v1/organisations/', { name: `${label} org` });
  const project = await api.admin('POST', '/api/v1/projects/', { name: `${label} project`, organisation: org.id });
  const env = await api.admin('POST', '/api/v1/environments/', { name: `${label} env`, project: project.id });
  const server = await api.admin('POST', `/api/v1/environments/${env.api_key}/api-keys/`, { name: 'server' });
  const target = await api.admin('POST', `/api/v1/environments/${env.api_key}/api-keys/`, { name: 'target' });
  const tag = await api.admin('POST', `/api/v1/projects/${project.id}/tags/`, { label: 'tag', color: '#000000' });
  const feature = await api.admin('POST', `/api/v1/projects/${project.id}/features/`, { name: 'standard', initial_value: 'v', tags: [tag.id] });
  const mv = await api.admin('POST', `/api/v1/projects/${project.id}/features/`, {
    name: 'multi',
    multivariate_options: [
      { type: 'unicode', string_value: 'a', default_percentage_allocation: 30 },
      { type: 'unicode', string_value: 'b', default_percentage_allocation: 20 },
    ],
  });
  const options = await api.admin('GET', `/api/v1/projects/${project.id}/features/${mv.id}/mv-options/`);
  const optionList = Array.isArray(options) ? options : options.results;
  const states = await api.admin('GET', `/api/v1/environments/${env.api_key}/featurestates/?feature=${feature.id}`);
  const segment = await api.admin('POST', `/api/v1/projects/${project.id}/segments/`, {
    name: 'segment',
    rules: [{ type: 'ALL', rules: [{ type: 'ANY', rules: [], conditions: [{ operator: 'EQUAL', property: 'plan', value: 'pro' }] }], conditions: [] }],
  });
  const override = await api.admin('POST', `/api/v1/environments/${env.api_key}/features/${feature.id}/create-segment-override/`, { segment: segment.id, enabled: true, feature_state_value: 'seg' });
  const identifier = `${label}-user`;
  const identity = await api.admin('POST', `/api/v1/environments/${env.api_key}/identities/`, { identifier });
  const trait = await api.admin('POST', `/api/v1/environments/${env.api_key}/identities/${identity.id}/traits/`, { trait_key: 'plan', trait_value: 'free' });
  const identityOverride = await api.admin('POST', `/api/v1/environments/${env.api_key}/identities/${identity.id}/featurestates/`, { feature: feature.id, enabled: true, feature_state_value: 'mine' });
  const roleTarget = await api.admin('POST', `/api/v1/organisations/${org.id}/users/`, { email: `${uid('role')}@example.com`, password: MEMBER_PASSWORD, role: 'USER' });
  // The spare user is created in a throwaway organisation, so it exists but is not a member of this one.
  const spareOrg = await api.admin('POST', '/api/v1/organisations/', { name: `${label} spare org` });
  const spareEmail = `${uid('spare')}@example.com`;
  const spare = await api.admin('POST', `/api/v1/organisations/${spareOrg.id}/users/`, { email: spareEmail, password: MEMBER_PASSWORD, role: 'USER' });
  const envCr = await api.admin('POST', `/api/v1/environments/${env.api_key}/create-change-request/`, { title: 'open', feature_states: [{ feature: feature.id, enabled: true }] });
  const projectCr = await api.admin('POST', `/api/v1/projects/${project.id}/change-requests/`, { title: 'open', segments: [{ segment: segment.id, name: 'renamed' }] });
  const group = await api.admin('POST', `/api/v1/organisations/${org.id}/groups/`, { name: `${label} group` });
  await api.admin('POST', `/api/v1/organisations/${org.id}/groups/${group.id}/add-users/`, { user_ids: [roleTarget.id] }, 200);
  const role = await api.admin('POST', `/api/v1/organisations/${org.id}/roles/`, { name: `${label} role` });
  const apiKey = await api.admin('POST', `/api/v1/organisations/${org.id}/master-api-keys/`, { name: `${label} role key`, is_admin: false });
  const featureSegment = typeof override.feature_segment === 'object' && override.feature_segment !== null ? override.feature_segment.id : override.feature_segment;
  const set: FixtureSet = {
    label,
    orgId: org.id,
    projectId: project.id,
    envId: env.id,
    envKey: env.api_key,
    serverKey: server.key,
    targetServerKeyId: target.id,
    featureId: feature.id,
    mvFeatureId: mv.id,
    optionId: optionList[0].id,
    defaultStateId: states.results[0].id,
    segmentId: segment.id,
    featureSegmentId: featureSegment,
    segmentStateId: override.id,
    identityId: identity.id,
    identifier,
    traitId: trait.id,
    identityOverrideId: identityOverride.id,
    tagId: tag.id,
    roleTargetUserId: roleTarget.id,
    spareUserEmail: spareEmail,
    spareUserId: spare.id,
    envChangeRequestId: envCr.id,
    projectChangeRequestId: projectCr.id,
    groupId: group.id,
    roleId: role.id,
    apiKeyId: apiKey.id,
  };
  for (const c of RBAC_COLLECTIONS) await api.admin('POST', fillParams(c.url, set), c.body(set));
  return set;
}

/** Logs in with a password and returns the token. */
export async function login(api: TestApi, email: string, password: string): Promise<string> {
  const res = await api.request('POST', '/api/v1/auth/login/', { body: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email} -> ${res.statusCode} ${res.body}`);
  return (res.json() as { key: string }).key;
}
