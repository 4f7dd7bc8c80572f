// Permission keys per FLAGSMITH-COMPAT.md §4.3 and AUTH-NOTES.md §1.2. Every admin route names the key it needs; the
// access check in services/access.ts decides. Keys are granted at their own level (organisation, project, environment)
// to users, groups and roles; the pseudo-permissions below name what no single key gives.

export const ORGANISATION_PERMISSIONS = ['CREATE_PROJECT', 'MANAGE_USER_GROUPS'] as const;

export const PROJECT_PERMISSIONS = [
  'VIEW_PROJECT',
  'CREATE_ENVIRONMENT',
  'CREATE_FEATURE',
  'EDIT_FEATURE',
  'DELETE_FEATURE',
  'MANAGE_SEGMENTS',
  'VIEW_AUDIT_LOG',
  'MANAGE_TAGS',
  'CREATE_PROJECT_LEVEL_CHANGE_REQUESTS',
  'APPROVE_PROJECT_LEVEL_CHANGE_REQUESTS',
  'MANAGE_PROJECT_LEVEL_CHANGE_REQUESTS',
] as const;

export const ENVIRONMENT_PERMISSIONS = [
  'VIEW_ENVIRONMENT',
  'UPDATE_FEATURE_STATE',
  'MANAGE_IDENTITIES',
  'VIEW_IDENTITIES',
  'CREATE_CHANGE_REQUEST',
  'APPROVE_CHANGE_REQUEST',
  'MANAGE_SEGMENT_OVERRIDES',
] as const;

/**
 * Pseudo-permissions for routes that need more than any single key, or only membership:
 * - ORGANISATION_ADMIN: the organisation role ADMIN (or an admin API key of the organisation);
 * - ORGANISATION_MEMBER: any member (or API key) of the organisation;
 * - INSTANCE_ADMIN: the instance-wide superuser;
 * - PROJECT_ADMIN / ENVIRONMENT_ADMIN: the `admin` flag of a project / environment grant;
 * - GROUP_ADMIN: `group_admin` on the membership of the group the route names (MANAGE_USER_GROUPS implies it).
 */
export const SPECIAL_PERMISSIONS = ['ORGANISATION_ADMIN', 'ORGANISATION_MEMBER', 'INSTANCE_ADMIN', 'ENVIRONMENT_ADMIN', 'PROJECT_ADMIN', 'GROUP_ADMIN'] as const;

export type OrganisationPermission = (typeof ORGANISATION_PERMISSIONS)[number];
export type ProjectPermission = (typeof PROJECT_PERMISSIONS)[number];
export type EnvironmentPermission = (typeof ENVIRONMENT_PERMISSIONS)[number];
export type SpecialPermission = (typeof SPECIAL_PERMISSIONS)[number];
export type PermissionKey = OrganisationPermission | ProjectPermission | EnvironmentPermission;
export type Permission = PermissionKey | SpecialPermission;

export type PermissionLevel = 'organisation' | 'project' | 'environment';

export const ALL_PERMISSIONS: readonly Permission[] = [...ORGANISATION_PERMISSIONS, ...PROJECT_PERMISSIONS, ...ENVIRONMENT_PERMISSIONS, ...SPECIAL_PERMISSIONS];

const ORG_SET = new Set<string>(ORGANISATION_PERMISSIONS);
const PROJECT_SET = new Set<string>(PROJECT_PERMISSIONS);
const ENV_SET = new Set<string>(ENVIRONMENT_PERMISSIONS);

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as readonly string[]).includes(value);
}

/** The level a grantable key belongs to, or undefined for pseudo-permissions and unknown names. */
export function levelOf(key: string): PermissionLevel | undefined {
  if (ORG_SET.has(key)) return 'organisation';
  if (PROJECT_SET.has(key)) return 'project';
  if (ENV_SET.has(key)) return 'environment';
  return undefined;
}

/** Keys in the order the key lists give them (unknown names last, alphabetically). */
export function sortKeys(keys: Iterable<string>): string[] {
  const rank = (k: string) => {
    const i = (ALL_PERMISSIONS as readonly string[]).indexOf(k);
    return i < 0 ? ALL_PERMISSIONS.length : i;
  };
  return [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function keysOfLevel(level: PermissionLevel): readonly PermissionKey[] {
  return level === 'organisation' ? ORGANISATION_PERMISSIONS : level === 'project' ? PROJECT_PERMISSIONS : ENVIRONMENT_PERMISSIONS;
}

/** Keys a grant may limit to features carrying given tags (Flagsmith: `supports_tag`). */
export const TAG_LIMITABLE_PERMISSIONS: ReadonlySet<PermissionKey> = new Set<PermissionKey>([
  'DELETE_FEATURE',
  'UPDATE_FEATURE_STATE',
  'CREATE_CHANGE_REQUEST',
  'APPROVE_CHANGE_REQUEST',
  'MANAGE_SEGMENT_OVERRIDES',
]);

export const PERMISSION_DESCRIPTIONS: Readonly<Record<PermissionKey, string>> = {
  CREATE_PROJECT: 'Allows the user to create projects in this organisation.',
  MANAGE_USER_GROUPS: 'Allows the user to manage the groups in the organisation and their members.',
  VIEW_PROJECT: 'View permission for the given project.',
  CREATE_ENVIRONMENT: 'Ability to create an environment in the given project.',
  CREATE_FEATURE: 'Ability to create and edit features in the given project.',
  EDIT_FEATURE: 'Legacy key kept for compatibility; feature edits need CREATE_FEATURE.',
  DELETE_FEATURE: 'Ability to delete features in the given project (may be limited to tagged features).',
  MANAGE_SEGMENTS: 'Ability to create, edit and delete segments in the given project.',
  VIEW_AUDIT_LOG: 'Allows the user to view the audit log of the given project.',
  MANAGE_TAGS: 'Allows the user to create, edit and delete tags in the given project.',
  CREATE_PROJECT_LEVEL_CHANGE_REQUESTS: 'Ability to create project level change requests.',
  APPROVE_PROJECT_LEVEL_CHANGE_REQUESTS: 'Ability to approve project level change requests.',
  MANAGE_PROJECT_LEVEL_CHANGE_REQUESTS: 'Ability to publish and delete project level change requests.',
  VIEW_ENVIRONMENT: 'View permission for the given environment.',
  UPDATE_FEATURE_STATE: 'Update the state or value of a feature in the given environment (may be limited to tagged features).',
  MANAGE_IDENTITIES: 'Create, edit and delete identities, their traits and overrides in the given environment.',
  VIEW_IDENTITIES: 'View identities in the given environment.',
  CREATE_CHANGE_REQUEST: 'Create change requests in the given environment (may be limited to tagged features).',
  APPROVE_CHANGE_REQUEST: 'Approve change requests in the given environment (may be limited to tagged features).',
  MANAGE_SEGMENT_OVERRIDES: 'Create, edit, reorder and delete segment overrides in the given environment (may be limited to tagged features).',
};

/**
 * Whether holding `held` (one key granted at its level on the route's object, or a pseudo-permission) is enough for
 * a route that declares `needed`. This is the specification the access check implements and the permission matrix
 * test checks every route against:
 * - instance admins and organisation admins may do everything (in their organisation);
 * - every holder is a member of the organisation, so ORGANISATION_MEMBER is implied by everything;
 * - project admin implies every project and environment key of that project and ENVIRONMENT_ADMIN;
 * - environment admin implies every key of that environment;
 * - MANAGE_USER_GROUPS implies GROUP_ADMIN.
 */
export function implies(held: Permission, needed: Permission): boolean {
  if (held === needed) return true;
  if (held === 'INSTANCE_ADMIN') return true;
  if (needed === 'INSTANCE_ADMIN') return false;
  if (held === 'ORGANISATION_ADMIN') return true;
  if (needed === 'ORGANISATION_MEMBER') return true;
  if (held === 'PROJECT_ADMIN') return needed === 'ENVIRONMENT_ADMIN' || PROJECT_SET.has(needed) || ENV_SET.has(needed);
  if (held === 'ENVIRONMENT_ADMIN') return ENV_SET.has(needed);
  if (held === 'MANAGE_USER_GROUPS') return needed === 'GROUP_ADMIN';
  return false;
}

/** A feature a route acts on, with its tags: tag-limited grants apply only to features carrying one of their tags. */
export interface FeatureRef {
  id: number;
  tagIds: number[];
}

/** The organisation, project, environment (and feature or group, where the route acts on one) a permission is checked against. */
export interface AccessScope {
  organisationId: number;
  projectId?: number;
  environmentId?: number;
  feature?: FeatureRef;
  /** Several features the request acts on together (a change request): a tag-limited key must reach every one. */
  features?: FeatureRef[];
  groupId?: number;
}
