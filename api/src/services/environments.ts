// Environments and their server-side SDK keys. A new environment gets a state for every feature of its project.
import { NotFoundError } from '../domain/errors';
import { inferFlagValue } from '../domain/values';
import { hashSecret, newClientEnvironmentKey, newServerEnvironmentKey } from '../auth/keys';
import * as envs from '../store/repositories/environments';
import { listMultivariateOptions, listProjectFeatures } from '../store/repositories/features';
import { insertFeatureState, replaceMultivariateStateValues } from '../store/repositories/feature-states';
import type { WriteScope } from '../store/store';
import { listProjects as listProjectRows } from '../store/repositories/projects';
import { accessView, viewAllows } from './access';
import { write, type ServiceContext } from './context';
import { recordCreatorAdmin } from './rbac/grants';

/** The environments the actor may view (VIEW_ENVIRONMENT, environment or project admin, organisation admin). */
export async function listEnvironments(ctx: ServiceContext, projectId?: number): Promise<envs.Environment[]> {
  const view = await accessView(ctx.store, ctx.actor);
  const projects = await listProjectRows(ctx.store.db, view.all ? {} : { organisationIds: view.organisationIds });
  const organisationOf = new Map(projects.map((p) => [p.id, p.organisation]));
  const projectIds = projectId !== undefined ? (organisationOf.has(projectId) ? [projectId] : []) : [...organisationOf.keys()];
  const list = await envs.listEnvironments(ctx.store.db, projectIds);
  return list.filter((e) => viewAllows(view, 'VIEW_ENVIRONMENT', { organisationId: organisationOf.get(e.project)!, projectId: e.project, environmentId: e.id }));
}

export async function getEnvironment(ctx: ServiceContext, apiKey: string): Promise<envs.Environment> {
  const env = await envs.findEnvironmentByKey(ctx.store.db, apiKey);
  if (!env) throw new NotFoundError('Environment', apiKey);
  return env;
}

/** Gives an environment a default state for every feature of its project that has none. */
async function createDefaultStates(w: WriteScope, projectId: number, environmentId: number): Promise<void> {
  const features = await listProjectFeatures(w.trx, projectId);
  const options = await listMultivariateOptions(w.trx, features.map((f) => f.id));
  for (const feature of features) {
    const stateId = await insertFeatureState(w.trx, w.traits, {
      featureId: feature.id,
      environmentId,
      enabled: feature.defaultEnabled,
      value: inferFlagValue(feature.initialValue),
    });
    const weights = options
      .filter((o) => o.featureId === feature.id)
      .map((o) => ({ multivariateOptionId: o.id, percentageAllocation: o.defaultPercentageAllocation }));
    if (weights.length > 0) await replaceMultivariateStateValues(w.trx, stateId, weights);
  }
}

export async function createEnvironment(
  ctx: ServiceContext,
  organisationId: number,
  projectId: number,
  input: envs.EnvironmentSettings & { name: string },
): Promise<envs.Environment> {
  const apiKey = newClientEnvironmentKey();
  await write(ctx, async (w) => {
    const id = await envs.insertEnvironment(w.trx, w.traits, projectId, apiKey, input);
    await createDefaultStates(w, projectId, id);
    w.touchEnvironments(id);
    w.audit({ action: 'create', resourceType: 'environment', resourceId: id, organisationId, projectId, environmentId: id, log: `Environment created: ${input.name}`, after: input });
    await recordCreatorAdmin(w, ctx.actor, { level: 'environment', organisationId, projectId, environmentId: id });
  });
  return getEnvironment(ctx, apiKey);
}

export async function updateEnvironment(ctx: ServiceContext, organisationId: number, env: envs.Environment, input: envs.EnvironmentSettings): Promise<envs.Environment> {
  await write(ctx, async (w) => {
    await envs.updateEnvironment(w.trx, env.id, input);
    w.touchEnvironments(env.id);
    w.audit({ action: 'update', resourceType: 'environment', resourceId: env.id, organisationId, projectId: env.project, environmentId: env.id, log: `Environment updated: ${env.name}`, before: env, after: input });
  });
  return getEnvironment(ctx, env.api_key);
}

export async function deleteEnvironment(ctx: ServiceContext, organisationId: number, env: envs.Environment): Promise<void> {
  await write(ctx, async (w) => {
    w.audit({ action: 'delete', resourceType: 'environment', resourceId: env.id, organisationId, projectId: env.project, log: `Environment deleted: ${env.name}`, before: env });
    await envs.deleteEnvironment(w.trx, env.id);
  });
  // A deleted environment has no version left to bump: tell this process's cache directly.
  ctx.store.emit([env.id]);
}

export async function createServerKey(
  ctx: ServiceContext,
  organisationId: number,
  env: envs.Environment,
  input: { name: string; expires_at?: string | null },
): Promise<envs.EnvironmentApiKey> {
  const key = newServerEnvironmentKey();
  const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
  const id = await write(ctx, async (w) => {
    const id = await envs.insertEnvironmentApiKey(w.trx, w.traits, {
      environmentId: env.id,
      name: input.name,
      keyPrefix: key.slice(0, 8),
      keyHash: hashSecret(key),
      expiresAt,
    });
    w.touchEnvironments(env.id);
    w.audit({ action: 'create', resourceType: 'environment_api_key', resourceId: id, organisationId, projectId: env.project, environmentId: env.id, log: `Server-side key created: ${input.name}` });
    return id;
  });
  // The only time the key is shown.
  return { id, name: input.name, key, active: true, expires_at: expiresAt?.toISOString() ?? null, created_at: new Date().toISOString() };
}

export async function updateServerKey(
  ctx: ServiceContext,
  organisationId: number,
  env: envs.Environment,
  id: number,
  input: { name?: string; active?: boolean; expires_at?: string | null },
): Promise<envs.EnvironmentApiKey> {
  // Checked first: an update that changes no column cannot tell a missing key, and must not be audited as a change.
  if (!(await envs.listEnvironmentApiKeys(ctx.store.db, env.id)).some((k) => k.id === id)) throw new NotFoundError('Server-side key', id);
  await write(ctx, async (w) => {
    const found = await envs.updateEnvironmentApiKey(w.trx, env.id, id, {
      name: input.name,
      active: input.active,
      expiresAt: input.expires_at === undefined ? undefined : input.expires_at === null ? null : new Date(input.expires_at),
    });
    if (!found) throw new NotFoundError('Server-side key', id);
    w.touchEnvironments(env.id);
    w.audit({ action: 'update', resourceType: 'environment_api_key', resourceId: id, organisationId, projectId: env.project, environmentId: env.id, log: `Server-side key updated`, after: input });
  });
  const key = (await envs.listEnvironmentApiKeys(ctx.store.db, env.id)).find((k) => k.id === id);
  if (!key) throw new NotFoundError('Server-side key', id);
  return key;
}

export async function revokeServerKey(ctx: ServiceContext, organisationId: number, env: envs.Environment, id: number): Promise<void> {
  await write(ctx, async (w) => {
    const found = await envs.deleteEnvironmentApiKey(w.trx, env.id, id);
    if (!found) throw new NotFoundError('Server-side key', id);
    w.touchEnvironments(env.id);
    w.audit({ action: 'delete', resourceType: 'environment_api_key', resourceId: id, organisationId, projectId: env.project, environmentId: env.id, log: `Server-side key revoked` });
  });
}
