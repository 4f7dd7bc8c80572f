// `my-permissions` on an organisation, a project or an environment: what the caller holds there, in Flagsmith's
// shape ({permissions, admin} and, for projects and environments, the tag-limited grants apart).
import { ENVIRONMENT_PERMISSIONS, ORGANISATION_PERMISSIONS, PROJECT_PERMISSIONS } from '../../domain/permissions';
import { ForbiddenError } from '../../domain/errors';
import { loadSubjectGrants } from '../../store/repositories/grants';
import { findOrganisation } from '../../store/repositories/organisations';
import { standingIn } from '../access';
import type { ServiceContext } from '../context';
import { environmentSummary, organisationSummary, projectSummary, type PermissionSummary } from './effective';

export async function myOrganisationPermissions(ctx: ServiceContext, organisationId: number): Promise<{ permissions: string[]; admin: boolean }> {
  const standing = await standingIn(ctx.store, ctx.actor, organisationId);
  if (!standing) throw new ForbiddenError();
  if (standing.everything) return { permissions: [...ORGANISATION_PERMISSIONS], admin: true };
  const grants = await loadSubjectGrants(ctx.store.db, standing.subject, { organisationIds: [organisationId], organisationLevelOnly: true });
  let { permissions } = organisationSummary(grants, organisationId, false);
  if ((await findOrganisation(ctx.store.db, organisationId))?.restrict_project_create_to_admin) permissions = permissions.filter((p) => p !== 'CREATE_PROJECT');
  return { permissions, admin: false };
}

export async function myProjectPermissions(ctx: ServiceContext, organisationId: number, projectId: number): Promise<PermissionSummary> {
  const standing = await standingIn(ctx.store, ctx.actor, organisationId);
  if (!standing) throw new ForbiddenError();
  if (standing.everything) return { permissions: [...PROJECT_PERMISSIONS], admin: true, tag_based_permissions: [] };
  const grants = await loadSubjectGrants(ctx.store.db, standing.subject, { organisationIds: [organisationId], projectId });
  return projectSummary(grants, projectId, false);
}

export async function myEnvironmentPermissions(ctx: ServiceContext, organisationId: number, projectId: number, environmentId: number): Promise<PermissionSummary> {
  const standing = await standingIn(ctx.store, ctx.actor, organisationId);
  if (!standing) throw new ForbiddenError();
  if (standing.everything) return { permissions: [...ENVIRONMENT_PERMISSIONS], admin: true, tag_based_permissions: [] };
  const grants = await loadSubjectGrants(ctx.store.db, standing.subject, { organisationIds: [organisationId], projectId, environmentId });
  return environmentSummary(grants, projectId, environmentId, false);
}
