// Permission keys per FLAGSMITH-COMPAT.md §4.3. Every admin route names the key it needs; the access check in
// services/access.ts decides. Read keys are the ones organisation members hold without a role.

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

/** Pseudo-permissions for routes that need more than any single grant, or only membership. */
export const SPECIAL_PERMISSIONS = ['ORGANISATION_ADMIN', 'ORGANISATION_MEMBER', 'INSTANCE_ADMIN', 'ENVIRONMENT_ADMIN', 'PROJECT_ADMIN'] as const;

export type OrganisationPermission = (typeof ORGANISATION_PERMISSIONS)[number];
export type ProjectPermission = (typeof PROJECT_PERMISSIONS)[number];
export type EnvironmentPermission = (typeof ENVIRONMENT_PERMISSIONS)[number];
export type SpecialPermission = (typeof SPECIAL_PERMISSIONS)[number];
export type Permission = OrganisationPermission | ProjectPermission | EnvironmentPermission | SpecialPermission;

/** What members of an organisation may do without any role (read only, for now). */
export const MEMBER_READ_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'ORGANISATION_MEMBER',
  'VIEW_PROJECT',
  'VIEW_ENVIRONMENT',
  'VIEW_IDENTITIES',
  'VIEW_AUDIT_LOG',
]);

/** The organisation, project and environment a permission is checked against. */
export interface AccessScope {
  organisationId: number;
  projectId?: number;
  environmentId?: number;
}
