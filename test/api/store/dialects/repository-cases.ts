// Every repository function of the core store, called with fixed arguments against a recording database: the
// queries each one issues are asserted per dialect in repositories.test.ts.
import type { CompiledQuery, QueryResult } from 'kysely';
import type { EngineTraits } from '../../../../api/src/store/connect';
import type { Executor } from '../../../../api/src/store/rows';
import { Store } from '../../../../api/src/store/store';
import * as analytics from '../../../../api/src/store/repositories/analytics';
import * as audit from '../../../../api/src/store/repositories/audit';
import * as snapshot from '../../../../api/src/store/repositories/environment-snapshot';
import * as environments from '../../../../api/src/store/repositories/environments';
import * as states from '../../../../api/src/store/repositories/feature-states';
import * as features from '../../../../api/src/store/repositories/features';
import * as identities from '../../../../api/src/store/repositories/identities';
import * as identityReads from '../../../../api/src/store/repositories/identity-reads';
import * as orgKeys from '../../../../api/src/store/repositories/organisation-api-keys';
import * as organisations from '../../../../api/src/store/repositories/organisations';
import * as projects from '../../../../api/src/store/repositories/projects';
import * as segments from '../../../../api/src/store/repositories/segments';
import * as users from '../../../../api/src/store/repositories/users';

const when = new Date('2026-01-02T03:04:05.678Z');

/** A row every mapper accepts: what a query answers unless a case says otherwise. */
export const ANY_ROW = {
  id: 7,
  n: 2,
  identity_id: 7,
  trait_id: null,
  trait_key: null,
  project_id: 3,
  organisation_id: 2,
  environment_id: 4,
  feature_id: 5,
  feature_state_id: 6,
  multivariate_option_id: 8,
  segment_id: 9,
  feature_segment_id: null,
  name: 'n',
  api_key: 'k',
  email: 'e@example.com',
  rules_json: '[]',
  value_json: '1',
  version: 1,
  priority: 0,
  percentage_allocation: 50,
  default_percentage_allocation: 50,
  day: '2026-01-02',
  count: 1,
  active: true,
  log: 'l',
  created_at: when,
  updated_at: when,
  live_from: when,
};

export type Respond = (q: CompiledQuery) => QueryResult<unknown>;

/** Inserts get an id (RETURNING/OUTPUT), counts a number, other selects ANY_ROW; one row affected. */
export const defaultRespond: Respond = (q) => ({ rows: [ANY_ROW], numAffectedRows: 1n, ...(q.sql.startsWith('insert') ? { rows: [{ id: 7 }] } : {}) });
const none: Respond = (q) => ({ rows: q.sql.includes('count(*)') ? [{ n: 0 }] : [], numAffectedRows: 0n });

export interface RepositoryCase {
  name: string;
  run(db: Executor, traits: EngineTraits): Promise<unknown>;
  respond?: Respond;
}

export const CASES: RepositoryCase[] = [
  // analytics
  { name: 'addEvaluationCounts (row exists: update only)', run: (db) => analytics.addEvaluationCounts(db, 4, '2026-01-02', new Map([[5, 3]])) },
  { name: 'addEvaluationCounts (first use: update, then insert)', run: (db) => analytics.addEvaluationCounts(db, 4, '2026-01-02', new Map([[5, 3]])), respond: (q) => ({ rows: [], numAffectedRows: q.sql.startsWith('update') ? 0n : 1n }) },
  { name: 'listEvaluationCounts', run: (db) => analytics.listEvaluationCounts(db, 4, 5, '2026-01-01') },
  // audit
  { name: 'listAuditLog (filters, search, page)', run: (db) => audit.listAuditLog(db, { organisationIds: [2], projectId: 3, environmentIds: [4], search: '50%_off', offset: 20, limit: 10 }) },
  // environment snapshot (the SDK document's reads)
  { name: 'loadEnvironmentSnapshot', run: (db) => snapshot.loadEnvironmentSnapshot(db, 4, when) },
  // environments
  { name: 'insertEnvironment', run: (db, t) => environments.insertEnvironment(db, t, 3, 'key', { name: 'Production', hide_disabled_flags: true }) },
  { name: 'findEnvironmentByKey', run: (db) => environments.findEnvironmentByKey(db, 'key') },
  { name: 'findEnvironment', run: (db) => environments.findEnvironment(db, 4) },
  { name: 'listEnvironments', run: (db) => environments.listEnvironments(db, [3, 13]) },
  { name: 'listEnvironmentIds', run: (db) => environments.listEnvironmentIds(db, 3) },
  { name: 'updateEnvironment', run: (db) => environments.updateEnvironment(db, 4, { name: 'P', allow_client_traits: false }) },
  { name: 'deleteEnvironment', run: (db) => environments.deleteEnvironment(db, 4) },
  { name: 'listEnvironmentVersions', run: (db) => environments.listEnvironmentVersions(db) },
  { name: 'insertEnvironmentApiKey', run: (db, t) => environments.insertEnvironmentApiKey(db, t, { environmentId: 4, name: 's', keyPrefix: 'ser.', keyHash: 'h', expiresAt: null }) },
  { name: 'listEnvironmentApiKeys', run: (db) => environments.listEnvironmentApiKeys(db, 4) },
  { name: 'updateEnvironmentApiKey', run: (db) => environments.updateEnvironmentApiKey(db, 4, 1, { active: false }) },
  { name: 'deleteEnvironmentApiKey', run: (db) => environments.deleteEnvironmentApiKey(db, 4, 1) },
  { name: 'findEnvironmentByServerKeyHash', run: (db) => environments.findEnvironmentByServerKeyHash(db, 'h', when) },
  // feature states, multivariate values, feature segments
  { name: 'insertFeatureState', run: (db, t) => states.insertFeatureState(db, t, { featureId: 5, environmentId: 4, identityId: 7, enabled: true, value: 'v' }) },
  { name: 'updateFeatureState (optimistic)', run: (db) => states.updateFeatureState(db, 6, { enabled: false, value: 2 }, 3) },
  { name: 'deleteFeatureState', run: (db) => states.deleteFeatureState(db, 6) },
  { name: 'findFeatureState', run: (db) => states.findFeatureState(db, 6) },
  { name: 'findFeatureStateByScope', run: (db) => states.findFeatureStateByScope(db, 5, 4, 9, null) },
  { name: 'listFeatureStates (segment overrides of a feature)', run: (db) => states.listFeatureStates(db, { environmentId: 4, featureId: 5, identityId: null, defaultsOnly: false }) },
  { name: 'listMultivariateStateValues', run: (db) => states.listMultivariateStateValues(db, [6, 16]) },
  { name: 'replaceMultivariateStateValues', run: (db) => states.replaceMultivariateStateValues(db, 6, [{ multivariateOptionId: 18, percentageAllocation: 30 }, { multivariateOptionId: 8, percentageAllocation: 20 }]) },
  { name: 'insertMultivariateStateValuesForOption (two rows)', run: (db) => states.insertMultivariateStateValuesForOption(db, [6, 16], 8, 25) },
  { name: 'listFeatureSegments', run: (db) => states.listFeatureSegments(db, { environmentId: 4, featureId: 5 }) },
  { name: 'findFeatureSegment', run: (db) => states.findFeatureSegment(db, 9) },
  { name: 'insertFeatureSegment', run: (db, t) => states.insertFeatureSegment(db, t, { featureId: 5, segmentId: 9, environmentId: 4, priority: 0 }) },
  { name: 'setFeatureSegmentPriority', run: (db) => states.setFeatureSegmentPriority(db, 9, 2) },
  { name: 'deleteFeatureSegment', run: (db) => states.deleteFeatureSegment(db, 9) },
  // features, tags, options
  { name: 'insertFeature', run: (db, t) => features.insertFeature(db, t, 3, { name: 'f', defaultEnabled: true }) },
  { name: 'updateFeature', run: (db) => features.updateFeature(db, 5, { description: 'd', isArchived: true }) },
  { name: 'deleteFeature', run: (db) => features.deleteFeature(db, 5) },
  { name: 'findFeature', run: (db) => features.findFeature(db, 5) },
  { name: 'findFeatureByName', run: (db) => features.findFeatureByName(db, 3, 'f') },
  { name: 'listFeatures (search, tags, archived, page)', run: (db) => features.listFeatures(db, { projectId: 3, search: 'a[b]_', tagIds: [1, 2], isArchived: false, offset: 0, limit: 25 }) },
  { name: 'listProjectFeatures', run: (db) => features.listProjectFeatures(db, 3) },
  { name: 'listFeatureTagIds', run: (db) => features.listFeatureTagIds(db, [5]) },
  { name: 'setFeatureTags (two tags)', run: (db) => features.setFeatureTags(db, 5, [1, 2]) },
  { name: 'countProjectTags', run: (db) => features.countProjectTags(db, 3, [1, 2]) },
  { name: 'listTags', run: (db) => features.listTags(db, 3) },
  { name: 'insertTag', run: (db, t) => features.insertTag(db, t, 3, { label: 'l', color: '', description: null }) },
  { name: 'updateTag', run: (db) => features.updateTag(db, 3, 1, { color: '#fff' }) },
  { name: 'deleteTag', run: (db) => features.deleteTag(db, 3, 1) },
  { name: 'listMultivariateOptions', run: (db) => features.listMultivariateOptions(db, [5]) },
  { name: 'insertMultivariateOption', run: (db, t) => features.insertMultivariateOption(db, t, 5, { value: true, defaultPercentageAllocation: 12.5 }) },
  { name: 'updateMultivariateOption', run: (db) => features.updateMultivariateOption(db, 8, { defaultPercentageAllocation: 10 }) },
  { name: 'deleteMultivariateOption', run: (db) => features.deleteMultivariateOption(db, 8) },
  // identities and traits
  { name: 'findIdentity', run: (db) => identities.findIdentity(db, 4, 'alice') },
  { name: 'findIdentityById', run: (db) => identities.findIdentityById(db, 7) },
  { name: 'insertIdentity', run: (db, t) => identities.insertIdentity(db, t, 4, 'alice') },
  { name: 'ensureIdentity (new)', run: (db, t) => identities.ensureIdentity(db, t, 4, 'alice'), respond: (q) => (q.sql.startsWith('insert') ? { rows: [{ id: 7 }], numAffectedRows: 1n } : none(q)) },
  { name: 'listIdentities (search, page)', run: (db) => identities.listIdentities(db, { environmentId: 4, search: 'ali', offset: 10, limit: 5 }) },
  { name: 'deleteIdentity', run: (db) => identities.deleteIdentity(db, 7) },
  { name: 'listTraits', run: (db) => identities.listTraits(db, 7) },
  { name: 'applyTraitChanges (insert one, delete one)', run: (db) => identities.applyTraitChanges(db, 7, [{ key: 'a', value: 1 }, { key: 'b', value: null }], [{ id: 3, key: 'b', value: 'x' }]) },
  { name: 'deleteTrait', run: (db) => identities.deleteTrait(db, 7, 3) },
  { name: 'loadIdentityWithTraits', run: (db) => identityReads.loadIdentityWithTraits(db, 4, 'alice') },
  // organisation API keys
  { name: 'insertOrganisationApiKey', run: (db, t) => orgKeys.insertOrganisationApiKey(db, t, { organisationId: 2, name: 'k', prefix: 'p', keyHash: 'h', isAdmin: true, expiresAt: when }) },
  { name: 'listOrganisationApiKeys', run: (db) => orgKeys.listOrganisationApiKeys(db, 2) },
  { name: 'findOrganisationApiKeyByHash', run: (db) => orgKeys.findOrganisationApiKeyByHash(db, 'h') },
  { name: 'revokeOrganisationApiKey', run: (db) => orgKeys.revokeOrganisationApiKey(db, 2, 1) },
  // organisations and members
  { name: 'insertOrganisation', run: (db, t) => organisations.insertOrganisation(db, t, { name: 'o' }) },
  { name: 'findOrganisation', run: (db) => organisations.findOrganisation(db, 2) },
  { name: 'listOrganisations (of a user)', run: (db) => organisations.listOrganisations(db, 1) },
  { name: 'updateOrganisation', run: (db) => organisations.updateOrganisation(db, 2, { stop_serving_flags: true }) },
  { name: 'deleteOrganisation', run: (db) => organisations.deleteOrganisation(db, 2) },
  { name: 'findMembership', run: (db) => organisations.findMembership(db, 2, 1) },
  { name: 'upsertMembership (new)', run: (db) => organisations.upsertMembership(db, 2, 1, 'ADMIN'), respond: none },
  { name: 'deleteMembership', run: (db) => organisations.deleteMembership(db, 2, 1) },
  { name: 'listMembers', run: (db) => organisations.listMembers(db, 2) },
  // projects
  { name: 'insertProject', run: (db, t) => projects.insertProject(db, t, 2, { name: 'p' }) },
  { name: 'findProject', run: (db) => projects.findProject(db, 3) },
  { name: 'listProjects', run: (db) => projects.listProjects(db, { organisationIds: [2] }) },
  { name: 'updateProject', run: (db) => projects.updateProject(db, 3, { hide_disabled_flags: true }) },
  { name: 'deleteProject', run: (db) => projects.deleteProject(db, 3) },
  // segments
  { name: 'insertSegment', run: (db, t) => segments.insertSegment(db, t, 3, { name: 's', description: null, featureId: null, rules: [] }) },
  { name: 'updateSegment (optimistic)', run: (db) => segments.updateSegment(db, 9, { name: 's2' }, 1) },
  { name: 'deleteSegment', run: (db) => segments.deleteSegment(db, 9) },
  { name: 'findSegment', run: (db) => segments.findSegment(db, 9) },
  { name: 'listSegments (search, page)', run: (db) => segments.listSegments(db, { projectId: 3, search: 's', offset: 0, limit: 10 }) },
  // users and tokens
  { name: 'findUserByEmail', run: (db) => users.findUserByEmail(db, 'A@example.com') },
  { name: 'findUserById', run: (db) => users.findUserById(db, 1) },
  { name: 'countUsers', run: (db) => users.countUsers(db) },
  { name: 'insertUser', run: (db, t) => users.insertUser(db, t, { email: 'a@example.com', passwordHash: 'x' }) },
  { name: 'updateUser', run: (db) => users.updateUser(db, 1, { lastLoginAt: when, isActive: true }) },
  { name: 'insertApiToken', run: (db, t) => users.insertApiToken(db, t, 1, 'h', null) },
  { name: 'findUserByTokenHash', run: (db) => users.findUserByTokenHash(db, 'h') },
  { name: 'deleteApiToken', run: (db) => users.deleteApiToken(db, 'h') },
  // the write path: a change, its audit rows and the version bump in one transaction
  {
    name: 'Store.write (touch a project, two audit rows)',
    run: (db, traits) =>
      new Store({ db: db as never, traits, description: 'recording', close: async () => undefined }).write({ type: 'user', userId: 1, email: 'a@example.com' } as never, async (w) => {
        w.touchProject(3);
        w.audit({ action: 'update', resourceType: 'feature', resourceId: 5, log: 'one' });
        w.audit({ action: 'update', resourceType: 'feature', resourceId: 5, log: 'two' });
      }),
  },
];
