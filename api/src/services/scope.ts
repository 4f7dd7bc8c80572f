// Resolves what a request names (an environment key, a project id, a feature state id…) to the organisation, project
// and environment the access check needs, loading the entity once so handlers can use it. Where a route acts on one
// feature, the scope carries it with its tags (tag-limited grants apply only to tagged features); where it acts on one
// group, the group.
import { NotFoundError } from '../domain/errors';
import type { AccessScope } from '../domain/permissions';
import type { Store } from '../store/store';
import { findEnvironment, findEnvironmentByKey, type Environment } from '../store/repositories/environments';
import { findProject, type Project } from '../store/repositories/projects';
import { findOrganisation } from '../store/repositories/organisations';
import { findFeature, listFeatureTagIds } from '../store/repositories/features';
import { findGroup, type GroupRecord } from '../store/repositories/groups';
import { findFeatureSegment, findFeatureState } from '../store/repositories/feature-states';
import { findSegment } from '../store/repositories/segments';
import { findIdentityById } from '../store/repositories/identities';
import { findChangeRequest } from '../store/repositories/change-requests';
import { organisationOfSamlObject } from '../store/repositories/saml';

/**
 * What a route's permission is checked against. `feature` / `featureState` beside a project or environment name the
 * feature the request acts on; one that is not in that project or environment is left out (the handler then answers
 * its own 400/404), so the scope never names a feature of another project.
 */
export type ScopeRef =
  | { organisation: number; group?: number }
  | { project: number; feature?: number }
  | { environmentKey: string; feature?: number; featureState?: number; features?: number[] }
  | { environment: number; feature?: number; featureState?: number }
  | { feature: number }
  | { featureState: number }
  | { featureSegment: number }
  | { segment: number }
  | { identity: number }
  | { changeRequest: number; features?: number[] }
  | { samlConfiguration: string }
  | { samlConfigurationId: number }
  | { samlAttributeMapping: number };

export interface ResolvedScope extends AccessScope {
  project?: Project;
  environment?: Environment;
  group?: GroupRecord;
}

function requirePositive(id: number, resource: string): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError(resource, String(id));
  return id;
}

async function fromProject(store: Store, projectId: number, extra: Partial<ResolvedScope> = {}): Promise<ResolvedScope> {
  const project = await findProject(store.db, projectId);
  if (!project) throw new NotFoundError('Project', projectId);
  return { organisationId: project.organisation, projectId: project.id, project, ...extra };
}

async function fromEnvironment(store: Store, environment: Environment | undefined, ref: string | number): Promise<ResolvedScope> {
  if (!environment) throw new NotFoundError('Environment', ref);
  return fromProject(store, environment.project, { environmentId: environment.id, environment });
}

const isId = (id: unknown): id is number => typeof id === 'number' && Number.isSafeInteger(id) && id > 0;

/**
 * Adds the feature a request acts on (given directly, or as one of its feature states) to a project or environment
 * scope, with its tags. Left out when it does not exist there.
 */
export async function withFeature(store: Store, scope: ResolvedScope, ref: { feature?: number; featureState?: number }): Promise<ResolvedScope> {
  let featureId = ref.feature;
  if (ref.featureState !== undefined) {
    if (!isId(ref.featureState)) return scope;
    const state = await findFeatureState(store.db, ref.featureState);
    if (!state || state.environmentId !== scope.environmentId) return scope;
    featureId = state.featureId;
  }
  if (!isId(featureId)) return scope;
  const feature = await findFeature(store.db, featureId);
  if (!feature || feature.projectId !== scope.projectId) return scope;
  const tagIds = (await listFeatureTagIds(store.db, [feature.id])).get(feature.id) ?? [];
  return { ...scope, feature: { id: feature.id, tagIds } };
}

/**
 * Adds several features the request acts on together (a change request's), with their tags. Left out entirely when
 * one of them is not in the scope's project: then no tag-limited grant counts, and the handler answers the bad id.
 */
export async function withFeatures(store: Store, scope: ResolvedScope, featureIds: readonly unknown[] | undefined): Promise<ResolvedScope> {
  if (!featureIds || featureIds.length === 0) return scope;
  const ids = [...new Set(featureIds)];
  if (!ids.every(isId) || scope.projectId === undefined) return scope;
  const rows = await store.db.selectFrom('features').select(['id', 'project_id']).where('id', 'in', ids as number[]).execute();
  if (rows.length !== ids.length || rows.some((r) => r.project_id !== scope.projectId)) return scope;
  const tags = await listFeatureTagIds(store.db, ids as number[]);
  return { ...scope, features: (ids as number[]).map((id) => ({ id, tagIds: tags.get(id) ?? [] })) };
}

/** A SAML configuration (by name or id) or one of its attribute mappings: checked against its organisation. */
async function fromSaml(store: Store, ref: { samlConfiguration: string } | { samlConfigurationId: number } | { samlAttributeMapping: number }): Promise<ResolvedScope> {
  const organisationId =
    'samlConfiguration' in ref
      ? await organisationOfSamlObject(store.db, { name: ref.samlConfiguration })
      : 'samlConfigurationId' in ref
        ? await organisationOfSamlObject(store.db, { id: requirePositive(ref.samlConfigurationId, 'SAML configuration') })
        : await organisationOfSamlObject(store.db, { mapping: requirePositive(ref.samlAttributeMapping, 'SAML attribute mapping') });
  if (organisationId === undefined) throw new NotFoundError('samlAttributeMapping' in ref ? 'SAML attribute mapping' : 'SAML configuration');
  return { organisationId };
}

export async function resolveScope(store: Store, ref: ScopeRef): Promise<ResolvedScope> {
  if ('samlConfiguration' in ref || 'samlConfigurationId' in ref || 'samlAttributeMapping' in ref) return fromSaml(store, ref);
  if ('organisation' in ref) {
    const org = await findOrganisation(store.db, requirePositive(ref.organisation, 'Organisation'));
    if (!org) throw new NotFoundError('Organisation', ref.organisation);
    if (ref.group === undefined) return { organisationId: org.id };
    const group = await findGroup(store.db, requirePositive(ref.group, 'Group'));
    if (!group || group.organisationId !== org.id) throw new NotFoundError('Group', ref.group);
    return { organisationId: org.id, groupId: group.id, group };
  }
  if ('project' in ref) return withFeature(store, await fromProject(store, requirePositive(ref.project, 'Project')), ref);
  if ('environmentKey' in ref) {
    const scope = await withFeature(store, await fromEnvironment(store, await findEnvironmentByKey(store.db, ref.environmentKey), ref.environmentKey), ref);
    return withFeatures(store, scope, ref.features);
  }
  if ('environment' in ref) return withFeature(store, await fromEnvironment(store, await findEnvironment(store.db, requirePositive(ref.environment, 'Environment')), ref.environment), ref);
  if ('feature' in ref) {
    const feature = await findFeature(store.db, requirePositive(ref.feature, 'Feature'));
    if (!feature) throw new NotFoundError('Feature', ref.feature);
    return withFeature(store, await fromProject(store, feature.projectId), { feature: feature.id });
  }
  if ('segment' in ref) {
    const segment = await findSegment(store.db, requirePositive(ref.segment, 'Segment'));
    if (!segment) throw new NotFoundError('Segment', ref.segment);
    return fromProject(store, segment.projectId);
  }
  if ('featureState' in ref) {
    const state = await findFeatureState(store.db, requirePositive(ref.featureState, 'Feature state'));
    if (!state) throw new NotFoundError('Feature state', ref.featureState);
    return withFeature(store, await fromEnvironment(store, await findEnvironment(store.db, state.environmentId), state.environmentId), { feature: state.featureId });
  }
  if ('featureSegment' in ref) {
    const fs = await findFeatureSegment(store.db, requirePositive(ref.featureSegment, 'Feature segment'));
    if (!fs) throw new NotFoundError('Feature segment', ref.featureSegment);
    return withFeature(store, await fromEnvironment(store, await findEnvironment(store.db, fs.environmentId), fs.environmentId), { feature: fs.featureId });
  }
  if ('changeRequest' in ref) {
    // A change request is checked against its environment, or its project for segment requests.
    const cr = await findChangeRequest(store.db, requirePositive(ref.changeRequest, 'Change request'));
    if (!cr) throw new NotFoundError('Change request', ref.changeRequest);
    if (cr.environmentId === null) return fromProject(store, cr.projectId);
    // Its features (and those a change to it names) decide tag-limited grants.
    const own = cr.items.flatMap((item) => (item.kind === 'feature_state' ? [item.featureId] : []));
    return withFeatures(store, await fromEnvironment(store, await findEnvironment(store.db, cr.environmentId), cr.environmentId), [...own, ...(ref.features ?? [])]);
  }
  const identity = await findIdentityById(store.db, requirePositive(ref.identity, 'Identity'));
  if (!identity) throw new NotFoundError('Identity', ref.identity);
  return fromEnvironment(store, await findEnvironment(store.db, identity.environmentId), identity.environmentId);
}
