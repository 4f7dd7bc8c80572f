// The repositories' deletes must not rely on ON DELETE CASCADE: SQL Server gets several keys without it
// (api/src/store/cascade.ts). Here the schema is migrated with every cascade turned into NO ACTION, on each engine
// under test with its foreign keys enforced, and every repository delete runs against a dataset that fills every
// table: a dependent row the repository forgot makes the engine reject the delete. A second organisation's rows
// must all survive.
import { Kysely, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { connect, type Connection } from '../../../api/src/store/connect';
import { migrateToLatest } from '../../../api/src/store/migrate';
import { FOREIGN_KEYS, deleteDependents } from '../../../api/src/store/cascade';
import { insertReturningId } from '../../../api/src/store/rows';
import * as features from '../../../api/src/store/repositories/features';
import * as environments from '../../../api/src/store/repositories/environments';
import * as states from '../../../api/src/store/repositories/feature-states';
import * as identities from '../../../api/src/store/repositories/identities';
import * as organisations from '../../../api/src/store/repositories/organisations';
import * as projects from '../../../api/src/store/repositories/projects';
import * as segments from '../../../api/src/store/repositories/segments';
import * as groups from '../../../api/src/store/repositories/groups';
import * as roles from '../../../api/src/store/repositories/roles';
import { createTestDatabase, enginesUnderTest, type TestDatabase } from '../../support/databases';

/** Rewrites every `on delete cascade` of the DDL to NO ACTION. */
export const noCascadePlugin: KyselyPlugin = {
  transformQuery: ({ node }) => stripCascades(node) as RootOperationNode,
  transformResult: async ({ result }) => result,
};

function stripCascades(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripCascades);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'onDelete' && value === 'cascade' ? 'no action' : stripCascades(value);
  return out;
}

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Dataset {
  org: number;
  user: number;
  project: number;
  env: number;
  feature: number;
  specificSegment: number;
  segment: number;
  featureSegment: number;
  identity: number;
  tag: number;
  option: number;
  overrideState: number;
  group: number;
  role: number;
}

describe.each(enginesUnderTest())('repository deletes without database cascades (%s)', (engine) => {
  let database: TestDatabase;
  let connection: Connection;
  let db: Db;
  let n = 0;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    const raw = await connect(database.url, { poolMax: 2 });
    connection = raw;
    await migrateToLatest({ ...raw, db: raw.db.withPlugin(noCascadePlugin) });
    db = raw.db as Db;
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await database?.drop();
  });

  const now = () => new Date();
  const id = (table: string, values: Record<string, unknown>) => insertReturningId(db, connection.traits, table as never, values as never);
  const row = (table: string, values: Record<string, unknown>) => db.insertInto(table).values(values).execute();

  /** One organisation with a row in every table of the schema. */
  async function dataset(): Promise<Dataset> {
    n += 1;
    const org = await organisations.insertOrganisation(db, connection.traits, { name: `org ${n}` });
    const user = await id('users', { email: `u${n}@example.com`, password_hash: null, first_name: '', last_name: '', is_active: true, is_superuser: false, auth_provider: 'password', created_at: now() });
    await organisations.upsertMembership(db, org, user, 'ADMIN');
    await id('api_tokens', { user_id: user, key_hash: `t${n}`.padEnd(64, '0'), created_at: now(), expires_at: null });
    const apiKey = await id('organisation_api_keys', { organisation_id: org, name: 'k', prefix: 'p', key_hash: `o${n}`.padEnd(64, '0'), is_admin: true, revoked: false, expires_at: null, created_at: now() });
    const project = await projects.insertProject(db, connection.traits, org, { name: 'p' });
    const env = await environments.insertEnvironment(db, connection.traits, project, `env-${n}`, { name: 'e' });
    await environments.insertEnvironmentApiKey(db, connection.traits, { environmentId: env, name: 's', keyPrefix: 'ser.', keyHash: `e${n}`.padEnd(64, '0'), expiresAt: null });
    const feature = await features.insertFeature(db, connection.traits, project, { name: 'f', type: 'MULTIVARIATE' });
    const tag = await features.insertTag(db, connection.traits, project, { label: 't', color: '', description: null });
    await features.setFeatureTags(db, feature, [tag]);
    const option = await features.insertMultivariateOption(db, connection.traits, feature, { value: 'a', defaultPercentageAllocation: 50 });
    const segment = await segments.insertSegment(db, connection.traits, project, { name: 's', description: null, featureId: null, rules: [] });
    const specificSegment = await segments.insertSegment(db, connection.traits, project, { name: 'fs', description: '', featureId: feature, rules: [] });
    const featureSegment = await states.insertFeatureSegment(db, connection.traits, { featureId: feature, segmentId: segment, environmentId: env, priority: 0 });
    const specificOverride = await states.insertFeatureSegment(db, connection.traits, { featureId: feature, segmentId: specificSegment, environmentId: env, priority: 1 });
    const identity = await identities.insertIdentity(db, connection.traits, env, `id-${n}`);
    await identities.applyTraitChanges(db, identity, [{ key: 'k', value: 'v' }]);
    const envState = await states.insertFeatureState(db, connection.traits, { featureId: feature, environmentId: env, enabled: true, value: 'x' });
    const overrideState = await states.insertFeatureState(db, connection.traits, { featureId: feature, environmentId: env, featureSegmentId: featureSegment, enabled: true, value: 'y' });
    await states.insertFeatureState(db, connection.traits, { featureId: feature, environmentId: env, featureSegmentId: specificOverride, enabled: true, value: 'z' });
    const identityState = await states.insertFeatureState(db, connection.traits, { featureId: feature, environmentId: env, identityId: identity, enabled: false, value: null });
    await states.insertMultivariateStateValuesForOption(db, [envState, overrideState, identityState], option, 50);
    await row('feature_evaluation_counts', { environment_id: env, feature_id: feature, day: '2026-01-01', count: 3 });
    // RBAC, sessions and workflows
    const group = await id('user_groups', { organisation_id: org, name: 'g', external_id: null, is_default: false, created_at: now() });
    await row('user_group_members', { group_id: group, user_id: user, group_admin: false });
    const role = await id('roles', { organisation_id: org, name: 'r', description: null, created_at: now() });
    for (const grant of [
      { project_id: null, environment_id: null, user_id: user, group_id: null, role_id: null },
      { project_id: project, environment_id: null, user_id: null, group_id: group, role_id: null },
      { project_id: project, environment_id: env, user_id: null, group_id: null, role_id: role },
    ]) {
      const g = await id('perm_grants', { organisation_id: org, ...grant, is_admin: false, tag_limited: true, created_at: now() });
      await row('perm_grant_keys', { grant_id: g, perm_key: 'VIEW_PROJECT' });
      await row('perm_grant_tags', { grant_id: g, tag_id: tag });
    }
    await id('role_users', { role_id: role, user_id: user });
    await id('role_groups', { role_id: role, group_id: group });
    await id('role_api_keys', { role_id: role, api_key_id: apiKey });
    await id('sessions', { key_hash: `s${n}`.padEnd(64, '0'), user_id: user, created_at: now(), last_seen_at: now(), expires_at: now() });
    const cr = await id('change_requests', { project_id: project, environment_id: env, title: 'c', author_label: 'a', version: 1, created_at: now(), updated_at: now() });
    await id('change_request_items', { change_request_id: cr, kind: 'feature_state', feature_id: feature, feature_segment_id: null, segment_id: null, payload_json: '{}' });
    await id('change_request_approvals', { change_request_id: cr, user_id: user, approved_at: null });
    await id('change_request_groups', { change_request_id: cr, group_id: group });
    await id('user_identities', { user_id: user, provider: 'ldap', subject: `u${n}`, created_at: now(), last_login_at: null });
    const saml = await id('saml_configurations', { name: `saml-${n}`, organisation_id: org, frontend_url: 'https://flags.example.com/', idp_metadata_xml: null, allow_idp_initiated: false, want_response_signed: false, created_at: now(), updated_at: now() });
    await id('saml_attribute_mappings', { saml_configuration_id: saml, django_attribute_name: 'email', idp_attribute_name: 'mail' });
    await id('oidc_providers', { name: `oidc-${n}`, kind: 'oidc', issuer: 'https://idp.example.com', client_id: 'c', client_secret: null, scopes: 'openid', email_claim: 'email', first_name_claim: 'given_name', last_name_claim: 'family_name', groups_claim: null, organisation_id: org, allow_signup: false, created_at: now(), updated_at: now() });
    return { org, user, project, env, feature, specificSegment, segment, featureSegment, identity, tag, option, overrideState, group, role };
  }

  async function counts(): Promise<Record<string, number>> {
    const tables = [...new Set(FOREIGN_KEYS.flatMap((k) => [k.table, k.references]))].sort();
    const out: Record<string, number> = {};
    for (const t of tables) {
      const r = await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      out[t] = Number(r.n);
    }
    return out;
  }

  it('fills every table the foreign keys name', async () => {
    await dataset();
    const c = await counts();
    expect(Object.entries(c).filter(([, v]) => v === 0)).toEqual([]);
  });

  it('deletes overrides, options, tags, identities, segments, features, groups and roles with what depends on them', async () => {
    const d = await dataset();
    await states.deleteFeatureState(db, d.overrideState);
    await states.deleteFeatureSegment(db, d.featureSegment);
    await features.deleteMultivariateOption(db, d.option);
    expect(await features.deleteTag(db, d.project, d.tag)).toBe(true);
    await identities.deleteIdentity(db, d.identity);
    await segments.deleteSegment(db, d.segment);
    await features.deleteFeature(db, d.feature);
    await groups.deleteGroup(db, d.group);
    await roles.deleteRole(db, d.role);
    expect(await db.selectFrom('segments').select('id').where('id', '=', d.specificSegment).execute()).toEqual([]);
    expect(await db.selectFrom('feature_states').select('id').where('environment_id', '=', d.env).execute()).toEqual([]);
  });

  it('deletes an environment, a project and an organisation with everything below them, and nothing else', async () => {
    const keep = await dataset();
    const before = await counts();
    const a = await dataset();
    const b = await dataset();
    const c = await dataset();
    // A change request pointing at an environment blocks its deletion on every engine (0004 has no cascade there):
    // the environment's own delete is tested without one.
    const crs = await db.selectFrom('change_requests').select('id').where('environment_id', '=', a.env).execute();
    await deleteDependents(db, 'change_requests', crs.map((r) => r.id));
    await db.deleteFrom('change_requests').where('environment_id', '=', a.env).execute();
    await environments.deleteEnvironment(db, a.env);
    await projects.deleteProject(db, b.project);
    await organisations.deleteOrganisation(db, a.org);
    await organisations.deleteOrganisation(db, b.org);
    await organisations.deleteOrganisation(db, c.org);
    const after = await counts();
    // Users are not part of an organisation's tree: the three extra users (and what hangs off users only) remain.
    const userTables = new Set(['users', 'api_tokens', 'sessions', 'user_identities']);
    for (const [table, count] of Object.entries(after)) {
      expect([table, count]).toEqual([table, userTables.has(table) ? before[table]! + 3 : before[table]]);
    }
    expect(await organisations.findOrganisation(db, keep.org)).toBeDefined();
  });
});
