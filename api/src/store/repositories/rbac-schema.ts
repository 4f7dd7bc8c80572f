// Table shapes of migration 0002-rbac, merged into the store's `Database` type (module augmentation keeps the RBAC
// tables beside their repositories). Conventions as in ../schema.ts.
import type { Generated } from 'kysely';
import type { Bool, Timestamp } from '../schema';

export interface UserGroupTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  external_id: string | null;
  is_default: Bool;
  created_at: Timestamp;
}

export interface UserGroupMemberTable {
  group_id: number;
  user_id: number;
  group_admin: Bool;
}

export interface RoleTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  description: string | null;
  created_at: Timestamp;
}

/** One grant: exactly one principal (user, group or role) on one object (organisation, project or environment). */
export interface PermGrantTable {
  id: Generated<number>;
  organisation_id: number;
  /** Set for project and environment grants. */
  project_id: number | null;
  /** Set for environment grants. */
  environment_id: number | null;
  user_id: number | null;
  group_id: number | null;
  role_id: number | null;
  is_admin: Bool;
  /** The tag-limitable keys of this grant apply only to features carrying one of its tags (perm_grant_tags). */
  tag_limited: Bool;
  created_at: Timestamp;
}

export interface PermGrantKeyTable {
  grant_id: number;
  perm_key: string;
}

export interface PermGrantTagTable {
  grant_id: number;
  tag_id: number;
}

export interface RoleUserTable {
  id: Generated<number>;
  role_id: number;
  user_id: number;
}

export interface RoleGroupTable {
  id: Generated<number>;
  role_id: number;
  group_id: number;
}

export interface RoleApiKeyTable {
  id: Generated<number>;
  role_id: number;
  api_key_id: number;
}

declare module '../schema' {
  interface Database {
    user_groups: UserGroupTable;
    user_group_members: UserGroupMemberTable;
    roles: RoleTable;
    perm_grants: PermGrantTable;
    perm_grant_keys: PermGrantKeyTable;
    perm_grant_tags: PermGrantTagTable;
    role_users: RoleUserTable;
    role_groups: RoleGroupTable;
    role_api_keys: RoleApiKeyTable;
  }
}
