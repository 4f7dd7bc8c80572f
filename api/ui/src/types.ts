// The admin API's shapes (Flagsmith's), as far as the UI reads them.
export type FlagValue = string | number | boolean | null;

export interface User {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  is_superuser: boolean;
  auth_type: string;
}

export interface SessionView {
  user: User;
  csrf_token: string;
  expires_at: string;
  idle_timeout_seconds: number;
}

export interface LoginProvider {
  id: string;
  type: 'password' | 'ldap' | 'oidc' | 'saml';
  label: string;
  login_url?: string;
}

export interface Providers {
  providers: LoginProvider[];
  locked_to: string | null;
  break_glass_password: boolean;
}

export interface Organisation {
  id: number;
  name: string;
}

export interface Project {
  id: number;
  name: string;
  organisation: number;
}

export interface Environment {
  id: number;
  name: string;
  api_key: string;
  project: number;
  description: string | null;
  /** Set (a number): changes to this environment's flags go through change requests. */
  minimum_change_request_approvals: number | null;
}

export interface Tag {
  id: number;
  label: string;
  color: string;
}

export interface MvOption {
  id: number;
  feature: number;
  type: 'unicode' | 'int' | 'bool';
  string_value: string | null;
  integer_value: number | null;
  boolean_value: boolean | null;
  default_percentage_allocation: number;
}

export interface Feature {
  id: number;
  name: string;
  type: 'STANDARD' | 'MULTIVARIATE';
  default_enabled: boolean;
  initial_value: string | null;
  description: string | null;
  project: number;
  tags: number[];
  multivariate_options: MvOption[];
  is_server_key_only: boolean;
  is_archived: boolean;
  created_date: string | null;
}

export interface MvStateValue {
  id?: number;
  multivariate_feature_option: number;
  percentage_allocation: number;
}

export interface FeatureState {
  id: number;
  feature: number;
  environment: number;
  identity: number | null;
  feature_segment: number | null;
  enabled: boolean;
  feature_state_value: FlagValue;
  multivariate_feature_state_values: MvStateValue[];
  version: number;
}

export interface FeatureSegment {
  id: number;
  feature: number;
  segment: number;
  environment: number;
  priority: number;
}

export const RULE_TYPES = ['ALL', 'ANY', 'NONE'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export interface Condition {
  operator: string;
  property: string | null;
  value: string | null;
  description?: string | null;
}

export interface Rule {
  type: RuleType;
  rules: Rule[];
  conditions: Condition[];
}

export interface Segment {
  id: number;
  name: string;
  description: string | null;
  project: number;
  feature: number | null;
  rules: Rule[];
  version: number;
}

export interface Identity {
  id: number;
  identifier: string;
  environment: number;
  created_date: string | null;
}

export interface Trait {
  id: number;
  trait_key: string;
  trait_value: string | number | boolean;
}

export interface OrgUser {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  last_login: string | null;
  /** Absent from APIs older than the account switches: treat as active. */
  is_active?: boolean;
  role: 'ADMIN' | 'USER';
}

export interface ServerKey {
  id: number;
  name: string;
  key: string;
  active: boolean;
  expires_at: string | null;
  created_at: string | null;
}

export interface AuditEntry {
  id: number;
  created_date: string | null;
  log: string;
  author: { id: number | null; type: string; label: string };
  environment: number | null;
  related_object_type: string;
  action: string;
}

export interface SettingLine {
  key: string;
  value: string;
  variables: string[];
  source: 'env' | 'default' | 'unset' | 'derived';
}

export interface ChangeRequest {
  id: number;
  title: string;
  description: string | null;
  project: number;
  environment: number | null;
  user: number | null;
  author: string;
  created_at: string;
  live_from: string | null;
  committed_at: string | null;
  published_at: string | null;
  is_approved: boolean;
  is_committed: boolean;
  is_scheduled: boolean;
  version: number;
  approvals: Array<{ user: number; approved_at: string | null }>;
  feature_states: Array<{ feature: number; feature_segment: number | null; enabled?: boolean; feature_state_value?: FlagValue }>;
  segments: Array<{ segment: number; name?: string }>;
}

export interface Group {
  id: number;
  name: string;
  organisation: number;
  is_default: boolean;
  external_id: string | null;
  users: Array<{ id: number; email: string; first_name: string; last_name: string; group_admin: boolean }>;
}

export interface Role {
  id: number;
  name: string;
  description: string | null;
  organisation: number;
}

export interface PermissionKeyInfo {
  key: string;
  description: string;
  supports_tag: boolean;
}

export interface Grant {
  id: number;
  role?: number;
  project?: number;
  environment?: number;
  permissions: string[];
  admin?: boolean;
}

export interface Assignment {
  id: number;
  role: number;
  user?: number;
  group?: number;
}
