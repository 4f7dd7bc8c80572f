// Resolves what a request names (an environment key, a project id, a feature state id…) to the organisation, project
// and environment the access check needs, loading the entity once so handlers can use it.
import { NotFoundError } from '../domain/errors';
import type { AccessScope } from '../domain/permissions';
import type { Store } from '../store/store';
import { findEnvironment, findEnvironmentByKey, type Environment } from '../store/repositories/environments';
import { findProject, type Project } from '../store/repositories/projects';
import { findOrganisation } from '../store/repositories/organisations';
import { findFeature } from '../store/repositories/features';
import { findFeatureSegment, findFeatureState } from '../store/repositories/feature-states';
import { findSegment } from '../store/repositories/segments';
import { findIdentityById } from '../store/repositories/identities';
import { findChangeRequest } from '../store/repositories/change-requests';

export type ScopeRef =
  | { organisation: number }
  | { project: number }
  | { environmentKey: string }
  | { environment: number }
  | { feature: number }
  | { featureState: number }
  | { featureSegment: number }
  | { segment: number }
  | { identity: number }
  | { changeRequest: number };

export interface ResolvedScope extends AccessScope {
  project?: Project;
  environment?: Environment;
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

export async function resolveScope(store: Store, ref: ScopeRef): Promise<ResolvedScope> {
  if ('organisation' in ref) {
    const org = await findOrganisation(store.db, requirePositive(ref.organisation, 'Organisation'));
    if (!org) throw new NotFoundError('Organisation', ref.organisation);
    return { organisationId: org.id };
  }
  if ('project' in ref) return fromProject(store, requirePositive(ref.project, 'Project'));
  if ('environmentKey' in ref) return fromEnvironment(store, await findEnvironmentByKey(store.db, ref.environmentKey), ref.environmentKey);
  if ('environment' in ref) return fromEnvironment(store, await findEnvironment(store.db, requirePositive(ref.environment, 'Environment')), ref.environment);
  if ('feature' in ref) {
    const feature = await findFeature(store.db, requirePositive(ref.feature, 'Feature'));
    if (!feature) throw new NotFoundError('Feature', ref.feature);
    return fromProject(store, feature.projectId);
  }
  if ('segment' in ref) {
    const segment = await findSegment(store.db, requirePositive(ref.segment, 'Segment'));
    if (!segment) throw new NotFoundError('Segment', ref.segment);
    return fromProject(store, segment.projectId);
  }
  if ('featureState' in ref) {
    const state = await findFeatureState(store.db, requirePositive(ref.featureState, 'Feature state'));
    if (!state) throw new NotFoundError('Feature state', ref.featureState);
    return fromEnvironment(store, await findEnvironment(store.db, state.environmentId), state.environmentId);
  }
  if ('featureSegment' in ref) {
    const fs = await findFeatureSegment(store.db, requirePositive(ref.featureSegment, 'Feature segment'));
    if (!fs) throw new NotFoundError('Feature segment', ref.featureSegment);
    return fromEnvironment(store, await findEnvironment(store.db, fs.environmentId), fs.environmentId);
  }
  if ('changeRequest' in ref) {
    // A change request is checked against its environment, or its project for segment requests.
    const cr = await findChangeRequest(store.db, requirePositive(ref.changeRequest, 'Change request'));
    if (!cr) throw new NotFoundError('Change request', ref.changeRequest);
    if (cr.environmentId === null) return fromProject(store, cr.projectId);
    return fromEnvironment(store, await findEnvironment(store.db, cr.environmentId), cr.environmentId);
  }
  const identity = await findIdentityById(store.db, requirePositive(ref.identity, 'Identity'));
  if (!identity) throw new NotFoundError('Identity', ref.identity);
  return fromEnvironment(store, await findEnvironment(store.db, identity.environmentId), identity.environmentId);
}
