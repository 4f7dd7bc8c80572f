// What a set of grants allows: pure functions over the grants that reach one subject (its own, its groups', its
// roles'). Effective rights are their union; admin flags cascade (project admin ⇒ every project and environment key of
// the project; environment admin ⇒ every key of the environment); a tag-limited grant gives its tag-limitable keys only
// for a feature carrying one of its tags. services/access.ts loads the grants and asks these.
import {
  ENVIRONMENT_PERMISSIONS,
  ORGANISATION_PERMISSIONS,
  PROJECT_PERMISSIONS,
  TAG_LIMITABLE_PERMISSIONS,
  levelOf,
  type AccessScope,
  type FeatureRef,
  type Permission,
  type PermissionKey,
} from '../../domain/permissions';
import type { GrantRecord } from '../../store/repositories/grants';

/** Whether one grant gives `key` (by listing it; admin flags are handled by the callers) for `feature`, if any. */
export function grantGives(grant: GrantRecord, key: string, feature?: FeatureRef): boolean {
  if (!grant.keys.includes(key)) return false;
  if (!grant.tagLimited || !TAG_LIMITABLE_PERMISSIONS.has(key as PermissionKey)) return true;
  return feature !== undefined && feature.tagIds.some((t) => grant.tagIds.includes(t));
}

export function isProjectAdmin(grants: readonly GrantRecord[], projectId: number): boolean {
  return grants.some((g) => g.level === 'project' && g.projectId === projectId && g.isAdmin);
}

export function isEnvironmentAdmin(grants: readonly GrantRecord[], projectId: number, environmentId: number): boolean {
  return isProjectAdmin(grants, projectId) || grants.some((g) => g.level === 'environment' && g.environmentId === environmentId && g.isAdmin);
}

/**
 * Whether the grants give `permission` on `scope` (for a subject that is a member, and not an organisation admin,
 * of scope's organisation). ORGANISATION_ADMIN, ORGANISATION_MEMBER, INSTANCE_ADMIN and GROUP_ADMIN are not grants:
 * the access check answers those itself.
 */
export function grantsAllow(grants: readonly GrantRecord[], permission: Permission, scope: AccessScope): boolean {
  if (scope.features && scope.features.length > 0 && TAG_LIMITABLE_PERMISSIONS.has(permission as PermissionKey)) {
    // Acting on several features at once: each must be reached, possibly by different grants.
    return scope.features.every((feature) => grantsAllow(grants, permission, { ...scope, features: undefined, feature }));
  }
  const { organisationId, projectId, environmentId, feature } = scope;
  if (permission === 'PROJECT_ADMIN') return projectId !== undefined && isProjectAdmin(grants, projectId);
  if (permission === 'ENVIRONMENT_ADMIN') return projectId !== undefined && environmentId !== undefined && isEnvironmentAdmin(grants, projectId, environmentId);
  switch (levelOf(permission)) {
    case 'organisation':
      return grants.some((g) => g.level === 'organisation' && g.organisationId === organisationId && grantGives(g, permission, feature));
    case 'project':
      if (projectId === undefined) return false;
      return isProjectAdmin(grants, projectId) || grants.some((g) => g.level === 'project' && g.projectId === projectId && grantGives(g, permission, feature));
    case 'environment':
      if (projectId === undefined || environmentId === undefined) return false;
      return (
        isEnvironmentAdmin(grants, projectId, environmentId) ||
        grants.some((g) => g.level === 'environment' && g.environmentId === environmentId && grantGives(g, permission, feature))
      );
    default:
      return false;
  }
}

export interface PermissionSummary {
  /** Keys held without a tag limit (every key of the level for an admin). */
  permissions: string[];
  admin: boolean;
  /** Keys held only for features with one of `tags`, one entry per tag-limited grant. */
  tag_based_permissions: Array<{ permissions: string[]; tags: number[] }>;
}

function summarise(grants: readonly GrantRecord[], all: readonly string[], admin: boolean): PermissionSummary {
  if (admin) return { permissions: [...all], admin: true, tag_based_permissions: [] };
  const held = new Set<string>();
  const tagged: PermissionSummary['tag_based_permissions'] = [];
  for (const g of grants) {
    const limited: string[] = [];
    for (const key of g.keys) {
      if (!all.includes(key)) continue;
      if (g.tagLimited && TAG_LIMITABLE_PERMISSIONS.has(key as PermissionKey)) limited.push(key);
      else held.add(key);
    }
    if (limited.length > 0) tagged.push({ permissions: limited, tags: [...g.tagIds] });
  }
  return { permissions: all.filter((k) => held.has(k)), admin: false, tag_based_permissions: tagged.filter((t) => t.permissions.some((k) => !held.has(k))) };
}

export function organisationSummary(grants: readonly GrantRecord[], organisationId: number, admin: boolean): PermissionSummary {
  return summarise(grants.filter((g) => g.level === 'organisation' && g.organisationId === organisationId), ORGANISATION_PERMISSIONS, admin);
}

export function projectSummary(grants: readonly GrantRecord[], projectId: number, admin: boolean): PermissionSummary {
  return summarise(grants.filter((g) => g.level === 'project' && g.projectId === projectId), PROJECT_PERMISSIONS, admin || isProjectAdmin(grants, projectId));
}

export function environmentSummary(grants: readonly GrantRecord[], projectId: number, environmentId: number, admin: boolean): PermissionSummary {
  return summarise(
    grants.filter((g) => g.level === 'environment' && g.environmentId === environmentId),
    ENVIRONMENT_PERMISSIONS,
    admin || isEnvironmentAdmin(grants, projectId, environmentId),
  );
}
