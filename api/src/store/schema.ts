// Table shapes as Kysely sees them. Column types are the portable common ground of the five engines:
// booleans come back as boolean (pg), 0/1 (sqlite, mysql) — repositories normalise with `toBool`; timestamps come
// back as Date (pg, mysql) or ISO text (sqlite) — repositories normalise with `toDate`. JSON is stored as text.
import type { ColumnType, Generated } from 'kysely';

/** A boolean as stored: written as boolean, read as boolean or 0/1 depending on the engine. */
export type Bool = ColumnType<boolean | number, boolean, boolean>;
/** A timestamp as stored: written as Date, read as Date or ISO text depending on the engine. */
export type Timestamp = ColumnType<Date | string, Date, Date>;
/** An auto-generated integer key. */
type Id = Generated<number>;

export interface OrganisationTable {
  id: Id;
  name: string;
  persist_trait_data: Bool;
  stop_serving_flags: Bool;
  feature_analytics: Bool;
  restrict_project_create_to_admin: Bool;
  created_at: Timestamp;
}

export interface UserTable {
  id: Id;
  email: string;
  password_hash: string | null;
  first_name: string;
  last_name: string;
  is_active: Bool;
  is_superuser: Bool;
  auth_provider: string;
  created_at: Timestamp;
  last_login_at: Timestamp | null;
}

export interface OrganisationUserTable {
  organisation_id: number;
  user_id: number;
  role: 'ADMIN' | 'USER';
}

export interface ApiTokenTable {
  id: Id;
  user_id: number;
  key_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp | null;
}

export interface OrganisationApiKeyTable {
  id: Id;
  organisation_id: number;
  name: string;
  prefix: string;
  key_hash: string;
  is_admin: Bool;
  revoked: Bool;
  expires_at: Timestamp | null;
  created_at: Timestamp;
}

export interface ProjectTable {
  id: Id;
  organisation_id: number;
  name: string;
  hide_disabled_flags: Bool;
  enable_realtime_updates: Bool;
  minimum_change_request_approvals: number | null;
  created_at: Timestamp;
}

export interface EnvironmentTable {
  id: Id;
  project_id: number;
  name: string;
  api_key: string;
  description: string | null;
  allow_client_traits: Bool;
  hide_sensitive_data: Bool;
  hide_disabled_flags: Bool | null;
  use_identity_composite_key_for_hashing: Bool;
  use_identity_overrides_in_local_eval: Bool;
  minimum_change_request_approvals: number | null;
  /** Bumped in the same transaction as every write that changes what the SDK endpoints serve. */
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EnvironmentApiKeyTable {
  id: Id;
  environment_id: number;
  name: string;
  /** First characters of the key, shown in lists so users can tell keys apart; the key itself is never stored. */
  key_prefix: string;
  key_hash: string;
  active: Bool;
  expires_at: Timestamp | null;
  created_at: Timestamp;
}

export interface FeatureTable {
  id: Id;
  project_id: number;
  name: string;
  type: 'STANDARD' | 'MULTIVARIATE';
  initial_value: string | null;
  default_enabled: Bool;
  description: string | null;
  is_server_key_only: Bool;
  is_archived: Bool;
  created_at: Timestamp;
}

export interface TagTable {
  id: Id;
  project_id: number;
  label: string;
  color: string;
  description: string | null;
}

export interface FeatureTagTable {
  feature_id: number;
  tag_id: number;
}

export interface MultivariateOptionTable {
  id: Id;
  feature_id: number;
  /** JSON text of the option's value (string, integer or boolean). */
  value_json: string;
  default_percentage_allocation: number;
}

export interface SegmentTable {
  id: Id;
  project_id: number;
  uuid: string;
  name: string;
  description: string | null;
  /** Set for a feature-specific segment. */
  feature_id: number | null;
  /** JSON text of the nested rules tree. */
  rules_json: string;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FeatureSegmentTable {
  id: Id;
  feature_id: number;
  segment_id: number;
  environment_id: number;
  priority: number;
}

export interface FeatureStateTable {
  id: Id;
  uuid: string;
  feature_id: number;
  environment_id: number;
  feature_segment_id: number | null;
  identity_id: number | null;
  /**
   * `env`, `seg:<feature_segment_id>` or `id:<identity_id>`: unique together with feature and environment, because
   * unique indexes treat NULLs differently on each engine.
   */
  scope_key: string;
  enabled: Bool;
  /** JSON text of the value (string, integer, boolean) or null. */
  value_json: string | null;
  version: number;
  live_from: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MultivariateStateValueTable {
  id: Id;
  uuid: string;
  feature_state_id: number;
  multivariate_option_id: number;
  percentage_allocation: number;
}

export interface IdentityTable {
  id: Id;
  environment_id: number;
  identifier: string;
  /** SHA-256 hex of the identifier: identifiers may be 2,000 characters, too long for a portable unique index. */
  identifier_hash: string;
  created_at: Timestamp;
}

export interface TraitTable {
  id: Id;
  identity_id: number;
  trait_key: string;
  /** JSON text of the value; floats keep a fraction (`5.0`) so they stay floats. */
  value_json: string;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Id;
  created_at: Timestamp;
  organisation_id: number | null;
  project_id: number | null;
  environment_id: number | null;
  actor_type: string;
  actor_id: number | null;
  actor_label: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  log: string;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
}

export interface FeatureEvaluationCountTable {
  environment_id: number;
  feature_id: number;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  count: number;
}

export interface ChangeRequestTable {
  id: Id;
  project_id: number;
  environment_id: number | null;
  title: string;
  description: string | null;
  author_id: number | null;
  author_label: string;
  live_from: Timestamp | null;
  committed_at: Timestamp | null;
  committed_by: number | null;
  published_at: Timestamp | null;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChangeRequestItemTable {
  id: Id;
  change_request_id: number;
  /** `feature_state` (environment default or segment override) or `segment`. */
  kind: 'feature_state' | 'segment';
  feature_id: number | null;
  feature_segment_id: number | null;
  segment_id: number | null;
  payload_json: string;
}

export interface ChangeRequestApprovalTable {
  id: Id;
  change_request_id: number;
  user_id: number;
  approved_at: Timestamp | null;
}

export interface ChangeRequestGroupTable {
  id: Id;
  change_request_id: number;
  group_id: number;
}

export interface Database {
  organisations: OrganisationTable;
  users: UserTable;
  organisation_users: OrganisationUserTable;
  api_tokens: ApiTokenTable;
  organisation_api_keys: OrganisationApiKeyTable;
  projects: ProjectTable;
  environments: EnvironmentTable;
  environment_api_keys: EnvironmentApiKeyTable;
  features: FeatureTable;
  tags: TagTable;
  feature_tags: FeatureTagTable;
  multivariate_options: MultivariateOptionTable;
  segments: SegmentTable;
  feature_segments: FeatureSegmentTable;
  feature_states: FeatureStateTable;
  multivariate_state_values: MultivariateStateValueTable;
  identities: IdentityTable;
  traits: TraitTable;
  audit_log: AuditLogTable;
  feature_evaluation_counts: FeatureEvaluationCountTable;
  change_requests: ChangeRequestTable;
  change_request_items: ChangeRequestItemTable;
  change_request_approvals: ChangeRequestApprovalTable;
  change_request_groups: ChangeRequestGroupTable;
}
