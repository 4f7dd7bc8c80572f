// Everything the SDK endpoints serve for one environment, read in a handful of queries. The environment-document
// cache builds its answers from this; nothing on the SDK path queries per feature.
import type { Executor } from '../rows';
import { findEnvironment, type Environment } from './environments';
import { findProject, type Project } from './projects';
import { findOrganisation, type Organisation } from './organisations';
import { listMultivariateOptions, listProjectFeatures, type FeatureRecord, type MultivariateOptionRecord } from './features';
import { listFeatureSegments, listFeatureStates, listMultivariateStateValues, type FeatureSegmentRecord, type FeatureStateRecord, type MultivariateStateValueRecord } from './feature-states';
import { listSegments, type SegmentRecord } from './segments';
import { listUnpublished, type ChangeRequestRecord } from './change-requests';

export interface EnvironmentSnapshot {
  environment: Environment;
  project: Project;
  organisation: Organisation;
  features: FeatureRecord[];
  options: MultivariateOptionRecord[];
  /** Environment defaults, segment overrides and identity overrides that are live now. */
  states: FeatureStateRecord[];
  stateValues: MultivariateStateValueRecord[];
  featureSegments: FeatureSegmentRecord[];
  segments: SegmentRecord[];
  /** Identifiers of identities that have overrides, by identity id. */
  overrideIdentities: Map<number, { identifier: string; createdAt: string | null }>;
  /** The earliest `live_from` still in the future, so the cache knows when to rebuild. */
  nextLiveFrom: Date | null;
  /** Committed, not yet published change requests of this environment and of its project's segments. */
  pendingChanges: ChangeRequestRecord[];
}

export async function loadEnvironmentSnapshot(db: Executor, environmentId: number, now = new Date()): Promise<EnvironmentSnapshot | undefined> {
  const environment = await findEnvironment(db, environmentId);
  if (!environment) return undefined;
  const project = await findProject(db, environment.project);
  const organisation = project && (await findOrganisation(db, project.organisation));
  if (!project || !organisation) return undefined;
  const features = await listProjectFeatures(db, project.id);
  const options = await listMultivariateOptions(db, features.map((f) => f.id));
  const allStates = await listFeatureStates(db, { environmentId });
  let nextLiveFrom: Date | null = null;
  const states = allStates.filter((s) => {
    const liveFrom = s.liveFrom ? new Date(s.liveFrom) : null;
    if (liveFrom && liveFrom > now) {
      if (!nextLiveFrom || liveFrom < nextLiveFrom) nextLiveFrom = liveFrom;
      return false;
    }
    return true;
  });
  const stateValues = await listMultivariateStateValues(db, states.map((s) => s.id));
  const featureSegments = await listFeatureSegments(db, { environmentId });
  const { rows: segments } = await listSegments(db, { projectId: project.id });
  const identityIds = [...new Set(states.filter((s) => s.identityId !== null).map((s) => s.identityId!))];
  const overrideIdentities = new Map<number, { identifier: string; createdAt: string | null }>();
  for (let i = 0; i < identityIds.length; i += 500) {
    const rows = await db.selectFrom('identities').select(['id', 'identifier', 'created_at']).where('id', 'in', identityIds.slice(i, i + 500)).execute();
    rows.forEach((r) => overrideIdentities.set(r.id, { identifier: r.identifier, createdAt: r.created_at ? new Date(r.created_at).toISOString() : null }));
  }
  const pendingChanges = [
    ...(await listUnpublished(db, { environmentId })),
    ...(await listUnpublished(db, { projectId: project.id })).filter((cr) => cr.environmentId === null),
  ];
  return { environment, project, organisation, features, options, states, stateValues, featureSegments, segments, overrideIdentities, nextLiveFrom, pendingChanges };
}
