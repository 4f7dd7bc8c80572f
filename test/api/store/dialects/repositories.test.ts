// The SQL each repository function issues on SQL Server and on Oracle, asserted as explicit strings (no snapshots):
// paging as OFFSET/FETCH, quoting and Oracle's upper-case names, LIKE with its escape, ids read back by OUTPUT
// (SQL Server) or RETURNING … INTO (Oracle), Oracle's one-row inserts, and the children-first deletes of
// store/cascade.ts. The cases (functions and arguments) are in repository-cases.ts.
import { recordingDb } from './recording';
import { CASES, defaultRespond } from './repository-cases';

const EXPECTED: Record<string, { mssql: string[]; oracle: string[] }> = {
  "addEvaluationCounts (row exists: update only)": {
    mssql: [
      "update \"feature_evaluation_counts\" set \"count\" = \"count\" + @1 where \"environment_id\" = @2 and \"feature_id\" = @3 and \"day\" = @4",
    ],
    oracle: [
      "update \"FEATURE_EVALUATION_COUNTS\" set \"COUNT\" = \"COUNT\" + :1 where \"ENVIRONMENT_ID\" = :2 and \"FEATURE_ID\" = :3 and \"DAY\" = :4",
    ],
  },
  "addEvaluationCounts (first use: update, then insert)": {
    mssql: [
      "update \"feature_evaluation_counts\" set \"count\" = \"count\" + @1 where \"environment_id\" = @2 and \"feature_id\" = @3 and \"day\" = @4",
      "insert into \"feature_evaluation_counts\" (\"environment_id\", \"feature_id\", \"day\", \"count\") values (@1, @2, @3, @4)",
    ],
    oracle: [
      "update \"FEATURE_EVALUATION_COUNTS\" set \"COUNT\" = \"COUNT\" + :1 where \"ENVIRONMENT_ID\" = :2 and \"FEATURE_ID\" = :3 and \"DAY\" = :4",
      "insert into \"FEATURE_EVALUATION_COUNTS\" (\"ENVIRONMENT_ID\", \"FEATURE_ID\", \"DAY\", \"COUNT\") values (:1, :2, :3, :4)",
    ],
  },
  "listEvaluationCounts": {
    mssql: [
      "select \"day\", \"count\" from \"feature_evaluation_counts\" where \"environment_id\" = @1 and \"feature_id\" = @2 and \"day\" >= @3 order by \"day\"",
    ],
    oracle: [
      "select \"DAY\", \"COUNT\" from \"FEATURE_EVALUATION_COUNTS\" where \"ENVIRONMENT_ID\" = :1 and \"FEATURE_ID\" = :2 and \"DAY\" >= :3 order by \"DAY\"",
    ],
  },
  "listAuditLog (filters, search, page)": {
    mssql: [
      "select count(*) as \"n\" from \"audit_log\" where \"organisation_id\" in (@1) and \"project_id\" = @2 and \"environment_id\" in (@3) and \"log\" like @4 escape '\\'",
      "select * from \"audit_log\" where \"organisation_id\" in (@1) and \"project_id\" = @2 and \"environment_id\" in (@3) and \"log\" like @4 escape '\\' order by \"id\" desc offset @5 rows fetch next @6 rows only",
    ],
    oracle: [
      "select count(*) as \"N\" from \"AUDIT_LOG\" where \"ORGANISATION_ID\" in (:1) and \"PROJECT_ID\" = :2 and \"ENVIRONMENT_ID\" in (:3) and \"LOG\" like :4 escape '\\'",
      "select * from \"AUDIT_LOG\" where \"ORGANISATION_ID\" in (:1) and \"PROJECT_ID\" = :2 and \"ENVIRONMENT_ID\" in (:3) and \"LOG\" like :4 escape '\\' order by \"ID\" desc offset :5 rows fetch next :6 rows only",
    ],
  },
  "loadEnvironmentSnapshot": {
    mssql: [
      "select * from \"environments\" where \"id\" = @1",
      "select * from \"projects\" where \"id\" = @1",
      "select * from \"organisations\" where \"id\" = @1",
      "select * from \"features\" where \"project_id\" = @1 order by \"id\"",
      "select * from \"multivariate_options\" where \"feature_id\" in (@1) order by \"id\"",
      "select * from \"feature_states\" where \"environment_id\" = @1 order by \"id\"",
      "select * from \"multivariate_state_values\" where \"feature_state_id\" in (@1) order by \"id\"",
      "select * from \"feature_segments\" where \"environment_id\" = @1 order by \"priority\", \"id\"",
      "select count(*) as \"n\" from \"segments\" where \"project_id\" = @1",
      "select * from \"segments\" where \"project_id\" = @1 order by \"id\"",
      "select \"id\", \"identifier\", \"created_at\" from \"identities\" where \"id\" in (@1)",
      "select * from \"change_requests\" where \"committed_at\" is not null and \"published_at\" is null and \"environment_id\" = @1 order by \"live_from\", \"id\"",
      "select * from \"change_request_items\" where \"change_request_id\" in (@1) order by \"id\"",
      "select * from \"change_request_approvals\" where \"change_request_id\" in (@1) order by \"id\"",
      "select * from \"change_request_groups\" where \"change_request_id\" in (@1) order by \"id\"",
      "select * from \"change_requests\" where \"committed_at\" is not null and \"published_at\" is null and \"project_id\" = @1 order by \"live_from\", \"id\"",
      "select * from \"change_request_items\" where \"change_request_id\" in (@1) order by \"id\"",
      "select * from \"change_request_approvals\" where \"change_request_id\" in (@1) order by \"id\"",
      "select * from \"change_request_groups\" where \"change_request_id\" in (@1) order by \"id\"",
    ],
    oracle: [
      "select * from \"ENVIRONMENTS\" where \"ID\" = :1",
      "select * from \"PROJECTS\" where \"ID\" = :1",
      "select * from \"ORGANISATIONS\" where \"ID\" = :1",
      "select * from \"FEATURES\" where \"PROJECT_ID\" = :1 order by \"ID\"",
      "select * from \"MULTIVARIATE_OPTIONS\" where \"FEATURE_ID\" in (:1) order by \"ID\"",
      "select * from \"FEATURE_STATES\" where \"ENVIRONMENT_ID\" = :1 order by \"ID\"",
      "select * from \"MULTIVARIATE_STATE_VALUES\" where \"FEATURE_STATE_ID\" in (:1) order by \"ID\"",
      "select * from \"FEATURE_SEGMENTS\" where \"ENVIRONMENT_ID\" = :1 order by \"PRIORITY\", \"ID\"",
      "select count(*) as \"N\" from \"SEGMENTS\" where \"PROJECT_ID\" = :1",
      "select * from \"SEGMENTS\" where \"PROJECT_ID\" = :1 order by \"ID\"",
      "select \"ID\", \"IDENTIFIER\", \"CREATED_AT\" from \"IDENTITIES\" where \"ID\" in (:1)",
      "select * from \"CHANGE_REQUESTS\" where \"COMMITTED_AT\" is not null and \"PUBLISHED_AT\" is null and \"ENVIRONMENT_ID\" = :1 order by \"LIVE_FROM\", \"ID\"",
      "select * from \"CHANGE_REQUEST_ITEMS\" where \"CHANGE_REQUEST_ID\" in (:1) order by \"ID\"",
      "select * from \"CHANGE_REQUEST_APPROVALS\" where \"CHANGE_REQUEST_ID\" in (:1) order by \"ID\"",
      "select * from \"CHANGE_REQUEST_GROUPS\" where \"CHANGE_REQUEST_ID\" in (:1) order by \"ID\"",
      "select * from \"CHANGE_REQUESTS\" where \"COMMITTED_AT\" is not null and \"PUBLISHED_AT\" is null and \"PROJECT_ID\" = :1 order by \"LIVE_FROM\", \"ID\"",
      "select * from \"CHANGE_REQUEST_ITEMS\" where \"CHANGE_REQUEST_ID\" in (:1) order by \"ID\"",
      "select * from \"CHANGE_REQUEST_APPROVALS\" where \"CHANGE_REQUEST_ID\" in (:1) order by \"ID\"",
      "select * from \"CHANGE_REQUEST_GROUPS\" where \"CHANGE_REQUEST_ID\" in (:1) order by \"ID\"",
    ],
  },
  "insertEnvironment": {
    mssql: [
      "insert into \"environments\" (\"project_id\", \"name\", \"api_key\", \"description\", \"allow_client_traits\", \"hide_sensitive_data\", \"hide_disabled_flags\", \"use_identity_composite_key_for_hashing\", \"use_identity_overrides_in_local_eval\", \"minimum_change_request_approvals\", \"version\", \"created_at\", \"updated_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12, @13)",
    ],
    oracle: [
      "insert into \"ENVIRONMENTS\" (\"PROJECT_ID\", \"NAME\", \"API_KEY\", \"DESCRIPTION\", \"ALLOW_CLIENT_TRAITS\", \"HIDE_SENSITIVE_DATA\", \"HIDE_DISABLED_FLAGS\", \"USE_IDENTITY_COMP_KEY_HASHING\", \"USE_IDENTITY_OVR_IN_LOCAL_EVAL\", \"MIN_CHANGE_REQUEST_APPROVALS\", \"VERSION\", \"CREATED_AT\", \"UPDATED_AT\") values (:1, :2, :3, :4, :5, :6, :7, :8, :9, :10, :11, :12, :13) returning \"ID\" into :14",
    ],
  },
  "findEnvironmentByKey": {
    mssql: [
      "select * from \"environments\" where \"api_key\" = @1",
    ],
    oracle: [
      "select * from \"ENVIRONMENTS\" where \"API_KEY\" = :1",
    ],
  },
  "findEnvironment": {
    mssql: [
      "select * from \"environments\" where \"id\" = @1",
    ],
    oracle: [
      "select * from \"ENVIRONMENTS\" where \"ID\" = :1",
    ],
  },
  "listEnvironments": {
    mssql: [
      "select * from \"environments\" where \"project_id\" in (@1, @2) order by \"id\"",
    ],
    oracle: [
      "select * from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:1, :2) order by \"ID\"",
    ],
  },
  "listEnvironmentIds": {
    mssql: [
      "select \"id\" from \"environments\" where \"project_id\" = @1",
    ],
    oracle: [
      "select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" = :1",
    ],
  },
  "updateEnvironment": {
    mssql: [
      "update \"environments\" set \"name\" = @1, \"allow_client_traits\" = @2 where \"id\" = @3",
    ],
    oracle: [
      "update \"ENVIRONMENTS\" set \"NAME\" = :1, \"ALLOW_CLIENT_TRAITS\" = :2 where \"ID\" = :3",
    ],
  },
  "deleteEnvironment": {
    mssql: [
      "delete from \"environment_api_keys\" where \"environment_id\" in (@1)",
      "delete from \"multivariate_state_values\" where \"feature_state_id\" in (select \"id\" from \"feature_states\" where (\"environment_id\" in (@1) or \"feature_segment_id\" in (select \"id\" from \"feature_segments\" where \"environment_id\" in (@2)) or \"identity_id\" in (select \"id\" from \"identities\" where \"environment_id\" in (@3))))",
      "delete from \"feature_states\" where (\"environment_id\" in (@1) or \"feature_segment_id\" in (select \"id\" from \"feature_segments\" where \"environment_id\" in (@2)) or \"identity_id\" in (select \"id\" from \"identities\" where \"environment_id\" in (@3)))",
      "delete from \"feature_segments\" where \"environment_id\" in (@1)",
      "delete from \"traits\" where \"identity_id\" in (select \"id\" from \"identities\" where \"environment_id\" in (@1))",
      "delete from \"identities\" where \"environment_id\" in (@1)",
      "delete from \"feature_evaluation_counts\" where \"environment_id\" in (@1)",
      "delete from \"perm_grant_keys\" where \"grant_id\" in (select \"id\" from \"perm_grants\" where \"environment_id\" in (@1))",
      "delete from \"perm_grant_tags\" where \"grant_id\" in (select \"id\" from \"perm_grants\" where \"environment_id\" in (@1))",
      "delete from \"perm_grants\" where \"environment_id\" in (@1)",
      "delete from \"environments\" where \"id\" = @1",
    ],
    oracle: [
      "delete from \"ENVIRONMENT_API_KEYS\" where \"ENVIRONMENT_ID\" in (:1)",
      "delete from \"MULTIVARIATE_STATE_VALUES\" where \"FEATURE_STATE_ID\" in (select \"ID\" from \"FEATURE_STATES\" where (\"ENVIRONMENT_ID\" in (:1) or \"FEATURE_SEGMENT_ID\" in (select \"ID\" from \"FEATURE_SEGMENTS\" where \"ENVIRONMENT_ID\" in (:2)) or \"IDENTITY_ID\" in (select \"ID\" from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (:3))))",
      "delete from \"FEATURE_STATES\" where (\"ENVIRONMENT_ID\" in (:1) or \"FEATURE_SEGMENT_ID\" in (select \"ID\" from \"FEATURE_SEGMENTS\" where \"ENVIRONMENT_ID\" in (:2)) or \"IDENTITY_ID\" in (select \"ID\" from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (:3)))",
      "delete from \"FEATURE_SEGMENTS\" where \"ENVIRONMENT_ID\" in (:1)",
      "delete from \"TRAITS\" where \"IDENTITY_ID\" in (select \"ID\" from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (:1))",
      "delete from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (:1)",
      "delete from \"FEATURE_EVALUATION_COUNTS\" where \"ENVIRONMENT_ID\" in (:1)",
      "delete from \"PERM_GRANT_KEYS\" where \"GRANT_ID\" in (select \"ID\" from \"PERM_GRANTS\" where \"ENVIRONMENT_ID\" in (:1))",
      "delete from \"PERM_GRANT_TAGS\" where \"GRANT_ID\" in (select \"ID\" from \"PERM_GRANTS\" where \"ENVIRONMENT_ID\" in (:1))",
      "delete from \"PERM_GRANTS\" where \"ENVIRONMENT_ID\" in (:1)",
      "delete from \"ENVIRONMENTS\" where \"ID\" = :1",
    ],
  },
  "listEnvironmentVersions": {
    mssql: [
      "select \"id\", \"version\" from \"environments\"",
    ],
    oracle: [
      "select \"ID\", \"VERSION\" from \"ENVIRONMENTS\"",
    ],
  },
  "insertEnvironmentApiKey": {
    mssql: [
      "insert into \"environment_api_keys\" (\"environment_id\", \"name\", \"key_prefix\", \"key_hash\", \"active\", \"expires_at\", \"created_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4, @5, @6, @7)",
    ],
    oracle: [
      "insert into \"ENVIRONMENT_API_KEYS\" (\"ENVIRONMENT_ID\", \"NAME\", \"KEY_PREFIX\", \"KEY_HASH\", \"ACTIVE\", \"EXPIRES_AT\", \"CREATED_AT\") values (:1, :2, :3, :4, :5, :6, :7) returning \"ID\" into :8",
    ],
  },
  "listEnvironmentApiKeys": {
    mssql: [
      "select * from \"environment_api_keys\" where \"environment_id\" = @1 order by \"id\"",
    ],
    oracle: [
      "select * from \"ENVIRONMENT_API_KEYS\" where \"ENVIRONMENT_ID\" = :1 order by \"ID\"",
    ],
  },
  "updateEnvironmentApiKey": {
    mssql: [
      "update \"environment_api_keys\" set \"active\" = @1 where \"id\" = @2 and \"environment_id\" = @3",
    ],
    oracle: [
      "update \"ENVIRONMENT_API_KEYS\" set \"ACTIVE\" = :1 where \"ID\" = :2 and \"ENVIRONMENT_ID\" = :3",
    ],
  },
  "deleteEnvironmentApiKey": {
    mssql: [
      "delete from \"environment_api_keys\" where \"id\" = @1 and \"environment_id\" = @2",
    ],
    oracle: [
      "delete from \"ENVIRONMENT_API_KEYS\" where \"ID\" = :1 and \"ENVIRONMENT_ID\" = :2",
    ],
  },
  "findEnvironmentByServerKeyHash": {
    mssql: [
      "select \"environments\".\"api_key\", \"environment_api_keys\".\"active\", \"environment_api_keys\".\"expires_at\" from \"environment_api_keys\" inner join \"environments\" on \"environments\".\"id\" = \"environment_api_keys\".\"environment_id\" where \"environment_api_keys\".\"key_hash\" = @1",
    ],
    oracle: [
      "select \"ENVIRONMENTS\".\"API_KEY\", \"ENVIRONMENT_API_KEYS\".\"ACTIVE\", \"ENVIRONMENT_API_KEYS\".\"EXPIRES_AT\" from \"ENVIRONMENT_API_KEYS\" inner join \"ENVIRONMENTS\" on \"ENVIRONMENTS\".\"ID\" = \"ENVIRONMENT_API_KEYS\".\"ENVIRONMENT_ID\" where \"ENVIRONMENT_API_KEYS\".\"KEY_HASH\" = :1",
    ],
  },
  "insertFeatureState": {
    mssql: [
      "insert into \"feature_states\" (\"uuid\", \"feature_id\", \"environment_id\", \"feature_segment_id\", \"identity_id\", \"scope_key\", \"enabled\", \"value_json\", \"version\", \"live_from\", \"created_at\", \"updated_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12)",
    ],
    oracle: [
      "insert into \"FEATURE_STATES\" (\"UUID\", \"FEATURE_ID\", \"ENVIRONMENT_ID\", \"FEATURE_SEGMENT_ID\", \"IDENTITY_ID\", \"SCOPE_KEY\", \"ENABLED\", \"VALUE_JSON\", \"VERSION\", \"LIVE_FROM\", \"CREATED_AT\", \"UPDATED_AT\") values (:1, :2, :3, :4, :5, :6, :7, :8, :9, :10, :11, :12) returning \"ID\" into :13",
    ],
  },
  "updateFeatureState (optimistic)": {
    mssql: [
      "update \"feature_states\" set \"updated_at\" = @1, \"enabled\" = @2, \"value_json\" = @3, \"version\" = \"version\" + @4 where \"id\" = @5 and \"version\" = @6",
    ],
    oracle: [
      "update \"FEATURE_STATES\" set \"UPDATED_AT\" = :1, \"ENABLED\" = :2, \"VALUE_JSON\" = :3, \"VERSION\" = \"VERSION\" + :4 where \"ID\" = :5 and \"VERSION\" = :6",
    ],
  },
  "deleteFeatureState": {
    mssql: [
      "delete from \"multivariate_state_values\" where \"feature_state_id\" in (@1)",
      "delete from \"feature_states\" where \"id\" = @1",
    ],
    oracle: [
      "delete from \"MULTIVARIATE_STATE_VALUES\" where \"FEATURE_STATE_ID\" in (:1)",
      "delete from \"FEATURE_STATES\" where \"ID\" = :1",
    ],
  },
  "findFeatureState": {
    mssql: [
      "select * from \"feature_states\" where \"id\" = @1",
    ],
    oracle: [
      "select * from \"FEATURE_STATES\" where \"ID\" = :1",
    ],
  },
  "findFeatureStateByScope": {
    mssql: [
      "select * from \"feature_states\" where \"feature_id\" = @1 and \"environment_id\" = @2 and \"scope_key\" = @3",
    ],
    oracle: [
      "select * from \"FEATURE_STATES\" where \"FEATURE_ID\" = :1 and \"ENVIRONMENT_ID\" = :2 and \"SCOPE_KEY\" = :3",
    ],
  },
  "listFeatureStates (segment overrides of a feature)": {
    mssql: [
      "select * from \"feature_states\" where \"environment_id\" = @1 and \"feature_id\" = @2 and \"identity_id\" is null and \"feature_segment_id\" is not null order by \"id\"",
    ],
    oracle: [
      "select * from \"FEATURE_STATES\" where \"ENVIRONMENT_ID\" = :1 and \"FEATURE_ID\" = :2 and \"IDENTITY_ID\" is null and \"FEATURE_SEGMENT_ID\" is not null order by \"ID\"",
    ],
  },
  "listMultivariateStateValues": {
    mssql: [
      "select * from \"multivariate_state_values\" where \"feature_state_id\" in (@1, @2) order by \"id\"",
    ],
    oracle: [
      "select * from \"MULTIVARIATE_STATE_VALUES\" where \"FEATURE_STATE_ID\" in (:1, :2) order by \"ID\"",
    ],
  },
  "replaceMultivariateStateValues": {
    mssql: [
      "select * from \"multivariate_state_values\" where \"feature_state_id\" in (@1) order by \"id\"",
      "insert into \"multivariate_state_values\" (\"uuid\", \"feature_state_id\", \"multivariate_option_id\", \"percentage_allocation\") values (@1, @2, @3, @4)",
      "update \"multivariate_state_values\" set \"percentage_allocation\" = @1 where \"id\" = @2",
    ],
    oracle: [
      "select * from \"MULTIVARIATE_STATE_VALUES\" where \"FEATURE_STATE_ID\" in (:1) order by \"ID\"",
      "insert into \"MULTIVARIATE_STATE_VALUES\" (\"UUID\", \"FEATURE_STATE_ID\", \"MULTIVARIATE_OPTION_ID\", \"PERCENTAGE_ALLOCATION\") values (:1, :2, :3, :4)",
      "update \"MULTIVARIATE_STATE_VALUES\" set \"PERCENTAGE_ALLOCATION\" = :1 where \"ID\" = :2",
    ],
  },
  "insertMultivariateStateValuesForOption (two rows)": {
    mssql: [
      "insert into \"multivariate_state_values\" (\"uuid\", \"feature_state_id\", \"multivariate_option_id\", \"percentage_allocation\") values (@1, @2, @3, @4), (@5, @6, @7, @8)",
    ],
    oracle: [
      "insert into \"MULTIVARIATE_STATE_VALUES\" (\"UUID\", \"FEATURE_STATE_ID\", \"MULTIVARIATE_OPTION_ID\", \"PERCENTAGE_ALLOCATION\") values (:1, :2, :3, :4)",
    ],
  },
  "listFeatureSegments": {
    mssql: [
      "select * from \"feature_segments\" where \"environment_id\" = @1 and \"feature_id\" = @2 order by \"priority\", \"id\"",
    ],
    oracle: [
      "select * from \"FEATURE_SEGMENTS\" where \"ENVIRONMENT_ID\" = :1 and \"FEATURE_ID\" = :2 order by \"PRIORITY\", \"ID\"",
    ],
  },
  "findFeatureSegment": {
    mssql: [
      "select * from \"feature_segments\" where \"id\" = @1",
    ],
    oracle: [
      "select * from \"FEATURE_SEGMENTS\" where \"ID\" = :1",
    ],
  },
  "insertFeatureSegment": {
    mssql: [
      "insert into \"feature_segments\" (\"feature_id\", \"segment_id\", \"environment_id\", \"priority\") output \"inserted\".\"id\" values (@1, @2, @3, @4)",
    ],
    oracle: [
      "insert into \"FEATURE_SEGMENTS\" (\"FEATURE_ID\", \"SEGMENT_ID\", \"ENVIRONMENT_ID\", \"PRIORITY\") values (:1, :2, :3, :4) returning \"ID\" into :5",
    ],
  },
  "setFeatureSegmentPriority": {
    mssql: [
      "update \"feature_segments\" set \"priority\" = @1 where \"id\" = @2",
    ],
    oracle: [
      "update \"FEATURE_SEGMENTS\" set \"PRIORITY\" = :1 where \"ID\" = :2",
    ],
  },
  "deleteFeatureSegment": {
    mssql: [
      "delete from \"multivariate_state_values\" where \"feature_state_id\" in (select \"id\" from \"feature_states\" where \"feature_segment_id\" in (@1))",
      "delete from \"feature_states\" where \"feature_segment_id\" in (@1)",
      "delete from \"feature_segments\" where \"id\" = @1",
    ],
    oracle: [
      "delete from \"MULTIVARIATE_STATE_VALUES\" where \"FEATURE_STATE_ID\" in (select \"ID\" from \"FEATURE_STATES\" where \"FEATURE_SEGMENT_ID\" in (:1))",
      "delete from \"FEATURE_STATES\" where \"FEATURE_SEGMENT_ID\" in (:1)",
      "delete from \"FEATURE_SEGMENTS\" where \"ID\" = :1",
    ],
  },
  "insertFeature": {
    mssql: [
      "insert into \"features\" (\"project_id\", \"name\", \"type\", \"initial_value\", \"default_enabled\", \"description\", \"is_server_key_only\", \"is_archived\", \"created_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4, @5, @6, @7, @8, @9)",
    ],
    oracle: [
      "insert into \"FEATURES\" (\"PROJECT_ID\", \"NAME\", \"TYPE\", \"INITIAL_VALUE\", \"DEFAULT_ENABLED\", \"DESCRIPTION\", \"IS_SERVER_KEY_ONLY\", \"IS_ARCHIVED\", \"CREATED_AT\") values (:1, :2, :3, :4, :5, :6, :7, :8, :9) returning \"ID\" into :10",
    ],
  },
  "updateFeature": {
    mssql: [
      "update \"features\" set \"description\" = @1, \"is_archived\" = @2 where \"id\" = @3",
    ],
    oracle: [
      "update \"FEATURES\" set \"DESCRIPTION\" = :1, \"IS_ARCHIVED\" = :2 where \"ID\" = :3",
    ],
  },
  "deleteFeature": {
    mssql: [
      "delete from \"multivariate_state_values\" where (\"feature_state_id\" in (select \"id\" from \"feature_states\" where (\"feature_id\" in (@1) or \"feature_segment_id\" in (select \"id\" from \"feature_segments\" where (\"feature_id\" in (@2) or \"segment_id\" in (select \"id\" from \"segments\" where \"feature_id\" in (@3)))))) or \"multivariate_option_id\" in (select \"id\" from \"multivariate_options\" where \"feature_id\" in (@4)))",
      "delete from \"feature_states\" where (\"feature_id\" in (@1) or \"feature_segment_id\" in (select \"id\" from \"feature_segments\" where (\"feature_id\" in (@2) or \"segment_id\" in (select \"id\" from \"segments\" where \"feature_id\" in (@3)))))",
      "delete from \"feature_segments\" where (\"feature_id\" in (@1) or \"segment_id\" in (select \"id\" from \"segments\" where \"feature_id\" in (@2)))",
      "delete from \"feature_evaluation_counts\" where \"feature_id\" in (@1)",
      "delete from \"feature_tags\" where \"feature_id\" in (@1)",
      "delete from \"multivariate_options\" where \"feature_id\" in (@1)",
      "delete from \"segments\" where \"feature_id\" in (@1)",
      "delete from \"features\" where \"id\" = @1",
    ],
    oracle: [
      "delete from \"MULTIVARIATE_STATE_VALUES\" where (\"FEATURE_STATE_ID\" in (select \"ID\" from \"FEATURE_STATES\" where (\"FEATURE_ID\" in (:1) or \"FEATURE_SEGMENT_ID\" in (select \"ID\" from \"FEATURE_SEGMENTS\" where (\"FEATURE_ID\" in (:2) or \"SEGMENT_ID\" in (select \"ID\" from \"SEGMENTS\" where \"FEATURE_ID\" in (:3)))))) or \"MULTIVARIATE_OPTION_ID\" in (select \"ID\" from \"MULTIVARIATE_OPTIONS\" where \"FEATURE_ID\" in (:4)))",
      "delete from \"FEATURE_STATES\" where (\"FEATURE_ID\" in (:1) or \"FEATURE_SEGMENT_ID\" in (select \"ID\" from \"FEATURE_SEGMENTS\" where (\"FEATURE_ID\" in (:2) or \"SEGMENT_ID\" in (select \"ID\" from \"SEGMENTS\" where \"FEATURE_ID\" in (:3)))))",
      "delete from \"FEATURE_SEGMENTS\" where (\"FEATURE_ID\" in (:1) or \"SEGMENT_ID\" in (select \"ID\" from \"SEGMENTS\" where \"FEATURE_ID\" in (:2)))",
      "delete from \"FEATURE_EVALUATION_COUNTS\" where \"FEATURE_ID\" in (:1)",
      "delete from \"FEATURE_TAGS\" where \"FEATURE_ID\" in (:1)",
      "delete from \"MULTIVARIATE_OPTIONS\" where \"FEATURE_ID\" in (:1)",
      "delete from \"SEGMENTS\" where \"FEATURE_ID\" in (:1)",
      "delete from \"FEATURES\" where \"ID\" = :1",
    ],
  },
  "findFeature": {
    mssql: [
      "select * from \"features\" where \"id\" = @1",
    ],
    oracle: [
      "select * from \"FEATURES\" where \"ID\" = :1",
    ],
  },
  "findFeatureByName": {
    mssql: [
      "select * from \"features\" where \"project_id\" = @1 and \"name\" = @2",
    ],
    oracle: [
      "select * from \"FEATURES\" where \"PROJECT_ID\" = :1 and \"NAME\" = :2",
    ],
  },
  "listFeatures (search, tags, archived, page)": {
    mssql: [
      "select count(*) as \"n\" from \"features\" where \"project_id\" = @1 and \"name\" like @2 escape '\\' and \"is_archived\" = @3 and \"id\" in (select \"feature_id\" from \"feature_tags\" where \"tag_id\" in (@4, @5))",
      "select * from \"features\" where \"project_id\" = @1 and \"name\" like @2 escape '\\' and \"is_archived\" = @3 and \"id\" in (select \"feature_id\" from \"feature_tags\" where \"tag_id\" in (@4, @5)) order by \"id\" offset @6 rows fetch next @7 rows only",
    ],
    oracle: [
      "select count(*) as \"N\" from \"FEATURES\" where \"PROJECT_ID\" = :1 and \"NAME\" like :2 escape '\\' and \"IS_ARCHIVED\" = :3 and \"ID\" in (select \"FEATURE_ID\" from \"FEATURE_TAGS\" where \"TAG_ID\" in (:4, :5))",
      "select * from \"FEATURES\" where \"PROJECT_ID\" = :1 and \"NAME\" like :2 escape '\\' and \"IS_ARCHIVED\" = :3 and \"ID\" in (select \"FEATURE_ID\" from \"FEATURE_TAGS\" where \"TAG_ID\" in (:4, :5)) order by \"ID\" offset :6 rows fetch next :7 rows only",
    ],
  },
  "listProjectFeatures": {
    mssql: [
      "select * from \"features\" where \"project_id\" = @1 order by \"id\"",
    ],
    oracle: [
      "select * from \"FEATURES\" where \"PROJECT_ID\" = :1 order by \"ID\"",
    ],
  },
  "listFeatureTagIds": {
    mssql: [
      "select * from \"feature_tags\" where \"feature_id\" in (@1) order by \"tag_id\"",
    ],
    oracle: [
      "select * from \"FEATURE_TAGS\" where \"FEATURE_ID\" in (:1) order by \"TAG_ID\"",
    ],
  },
  "setFeatureTags (two tags)": {
    mssql: [
      "delete from \"feature_tags\" where \"feature_id\" = @1",
      "insert into \"feature_tags\" (\"feature_id\", \"tag_id\") values (@1, @2), (@3, @4)",
    ],
    oracle: [
      "delete from \"FEATURE_TAGS\" where \"FEATURE_ID\" = :1",
      "insert into \"FEATURE_TAGS\" (\"FEATURE_ID\", \"TAG_ID\") values (:1, :2)",
    ],
  },
  "countProjectTags": {
    mssql: [
      "select count(*) as \"n\" from \"tags\" where \"project_id\" = @1 and \"id\" in (@2, @3)",
    ],
    oracle: [
      "select count(*) as \"N\" from \"TAGS\" where \"PROJECT_ID\" = :1 and \"ID\" in (:2, :3)",
    ],
  },
  "listTags": {
    mssql: [
      "select * from \"tags\" where \"project_id\" = @1 order by \"id\"",
    ],
    oracle: [
      "select * from \"TAGS\" where \"PROJECT_ID\" = :1 order by \"ID\"",
    ],
  },
  "insertTag": {
    mssql: [
      "insert into \"tags\" (\"project_id\", \"label\", \"color\", \"description\") output \"inserted\".\"id\" values (@1, @2, @3, @4)",
    ],
    oracle: [
      "insert into \"TAGS\" (\"PROJECT_ID\", \"LABEL\", \"COLOR\", \"DESCRIPTION\") values (:1, :2, :3, :4) returning \"ID\" into :5",
    ],
  },
  "updateTag": {
    mssql: [
      "update \"tags\" set \"color\" = @1 where \"id\" = @2 and \"project_id\" = @3",
    ],
    oracle: [
      "update \"TAGS\" set \"COLOR\" = :1 where \"ID\" = :2 and \"PROJECT_ID\" = :3",
    ],
  },
  "deleteTag": {
    mssql: [
      "select \"id\" from \"tags\" where \"id\" = @1 and \"project_id\" = @2",
      "delete from \"perm_grant_tags\" where \"tag_id\" in (@1)",
      "delete from \"feature_tags\" where \"tag_id\" in (@1)",
      "delete from \"tags\" where \"id\" = @1 and \"project_id\" = @2",
    ],
    oracle: [
      "select \"ID\" from \"TAGS\" where \"ID\" = :1 and \"PROJECT_ID\" = :2",
      "delete from \"PERM_GRANT_TAGS\" where \"TAG_ID\" in (:1)",
      "delete from \"FEATURE_TAGS\" where \"TAG_ID\" in (:1)",
      "delete from \"TAGS\" where \"ID\" = :1 and \"PROJECT_ID\" = :2",
    ],
  },
  "listMultivariateOptions": {
    mssql: [
      "select * from \"multivariate_options\" where \"feature_id\" in (@1) order by \"id\"",
    ],
    oracle: [
      "select * from \"MULTIVARIATE_OPTIONS\" where \"FEATURE_ID\" in (:1) order by \"ID\"",
    ],
  },
  "insertMultivariateOption": {
    mssql: [
      "insert into \"multivariate_options\" (\"feature_id\", \"value_json\", \"default_percentage_allocation\") output \"inserted\".\"id\" values (@1, @2, @3)",
    ],
    oracle: [
      "insert into \"MULTIVARIATE_OPTIONS\" (\"FEATURE_ID\", \"VALUE_JSON\", \"DEFAULT_PERCENTAGE_ALLOCATION\") values (:1, :2, :3) returning \"ID\" into :4",
    ],
  },
  "updateMultivariateOption": {
    mssql: [
      "update \"multivariate_options\" set \"default_percentage_allocation\" = @1 where \"id\" = @2",
    ],
    oracle: [
      "update \"MULTIVARIATE_OPTIONS\" set \"DEFAULT_PERCENTAGE_ALLOCATION\" = :1 where \"ID\" = :2",
    ],
  },
  "deleteMultivariateOption": {
    mssql: [
      "delete from \"multivariate_state_values\" where \"multivariate_option_id\" in (@1)",
      "delete from \"multivariate_options\" where \"id\" = @1",
    ],
    oracle: [
      "delete from \"MULTIVARIATE_STATE_VALUES\" where \"MULTIVARIATE_OPTION_ID\" in (:1)",
      "delete from \"MULTIVARIATE_OPTIONS\" where \"ID\" = :1",
    ],
  },
  "findIdentity": {
    mssql: [
      "select * from \"identities\" where \"environment_id\" = @1 and \"identifier_hash\" = @2",
    ],
    oracle: [
      "select * from \"IDENTITIES\" where \"ENVIRONMENT_ID\" = :1 and \"IDENTIFIER_HASH\" = :2",
    ],
  },
  "findIdentityById": {
    mssql: [
      "select * from \"identities\" where \"id\" = @1",
    ],
    oracle: [
      "select * from \"IDENTITIES\" where \"ID\" = :1",
    ],
  },
  "insertIdentity": {
    mssql: [
      "insert into \"identities\" (\"environment_id\", \"identifier\", \"identifier_hash\", \"created_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4)",
    ],
    oracle: [
      "insert into \"IDENTITIES\" (\"ENVIRONMENT_ID\", \"IDENTIFIER\", \"IDENTIFIER_HASH\", \"CREATED_AT\") values (:1, :2, :3, :4) returning \"ID\" into :5",
    ],
  },
  "ensureIdentity (new)": {
    mssql: [
      "select * from \"identities\" where \"environment_id\" = @1 and \"identifier_hash\" = @2",
      "insert into \"identities\" (\"environment_id\", \"identifier\", \"identifier_hash\", \"created_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4)",
    ],
    oracle: [
      "select * from \"IDENTITIES\" where \"ENVIRONMENT_ID\" = :1 and \"IDENTIFIER_HASH\" = :2",
      "insert into \"IDENTITIES\" (\"ENVIRONMENT_ID\", \"IDENTIFIER\", \"IDENTIFIER_HASH\", \"CREATED_AT\") values (:1, :2, :3, :4) returning \"ID\" into :5",
    ],
  },
  "listIdentities (search, page)": {
    mssql: [
      "select count(*) as \"n\" from \"identities\" where \"environment_id\" = @1 and \"identifier\" like @2 escape '\\'",
      "select * from \"identities\" where \"environment_id\" = @1 and \"identifier\" like @2 escape '\\' order by \"id\" offset @3 rows fetch next @4 rows only",
    ],
    oracle: [
      "select count(*) as \"N\" from \"IDENTITIES\" where \"ENVIRONMENT_ID\" = :1 and \"IDENTIFIER\" like :2 escape '\\'",
      "select * from \"IDENTITIES\" where \"ENVIRONMENT_ID\" = :1 and \"IDENTIFIER\" like :2 escape '\\' order by \"ID\" offset :3 rows fetch next :4 rows only",
    ],
  },
  "deleteIdentity": {
    mssql: [
      "delete from \"multivariate_state_values\" where \"feature_state_id\" in (select \"id\" from \"feature_states\" where \"identity_id\" in (@1))",
      "delete from \"feature_states\" where \"identity_id\" in (@1)",
      "delete from \"traits\" where \"identity_id\" in (@1)",
      "delete from \"identities\" where \"id\" = @1",
    ],
    oracle: [
      "delete from \"MULTIVARIATE_STATE_VALUES\" where \"FEATURE_STATE_ID\" in (select \"ID\" from \"FEATURE_STATES\" where \"IDENTITY_ID\" in (:1))",
      "delete from \"FEATURE_STATES\" where \"IDENTITY_ID\" in (:1)",
      "delete from \"TRAITS\" where \"IDENTITY_ID\" in (:1)",
      "delete from \"IDENTITIES\" where \"ID\" = :1",
    ],
  },
  "listTraits": {
    mssql: [
      "select \"id\", \"trait_key\", \"value_json\" from \"traits\" where \"identity_id\" = @1 order by \"id\"",
    ],
    oracle: [
      "select \"ID\", \"TRAIT_KEY\", \"VALUE_JSON\" from \"TRAITS\" where \"IDENTITY_ID\" = :1 order by \"ID\"",
    ],
  },
  "applyTraitChanges (insert one, delete one)": {
    mssql: [
      "insert into \"traits\" (\"identity_id\", \"trait_key\", \"value_json\", \"created_at\") values (@1, @2, @3, @4)",
      "delete from \"traits\" where \"id\" = @1",
    ],
    oracle: [
      "insert into \"TRAITS\" (\"IDENTITY_ID\", \"TRAIT_KEY\", \"VALUE_JSON\", \"CREATED_AT\") values (:1, :2, :3, :4)",
      "delete from \"TRAITS\" where \"ID\" = :1",
    ],
  },
  "deleteTrait": {
    mssql: [
      "delete from \"traits\" where \"id\" = @1 and \"identity_id\" = @2",
    ],
    oracle: [
      "delete from \"TRAITS\" where \"ID\" = :1 and \"IDENTITY_ID\" = :2",
    ],
  },
  "loadIdentityWithTraits": {
    mssql: [
      "select \"identities\".\"id\" as \"identity_id\", \"traits\".\"id\" as \"trait_id\", \"traits\".\"trait_key\", \"traits\".\"value_json\" from \"identities\" left join \"traits\" on \"traits\".\"identity_id\" = \"identities\".\"id\" where \"identities\".\"environment_id\" = @1 and \"identities\".\"identifier_hash\" = @2 order by \"traits\".\"id\"",
    ],
    oracle: [
      "select \"IDENTITIES\".\"ID\" as \"IDENTITY_ID\", \"TRAITS\".\"ID\" as \"TRAIT_ID\", \"TRAITS\".\"TRAIT_KEY\", \"TRAITS\".\"VALUE_JSON\" from \"IDENTITIES\" left join \"TRAITS\" on \"TRAITS\".\"IDENTITY_ID\" = \"IDENTITIES\".\"ID\" where \"IDENTITIES\".\"ENVIRONMENT_ID\" = :1 and \"IDENTITIES\".\"IDENTIFIER_HASH\" = :2 order by \"TRAITS\".\"ID\"",
    ],
  },
  "insertOrganisationApiKey": {
    mssql: [
      "insert into \"organisation_api_keys\" (\"organisation_id\", \"name\", \"prefix\", \"key_hash\", \"is_admin\", \"revoked\", \"expires_at\", \"created_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4, @5, @6, @7, @8)",
    ],
    oracle: [
      "insert into \"ORGANISATION_API_KEYS\" (\"ORGANISATION_ID\", \"NAME\", \"PREFIX\", \"KEY_HASH\", \"IS_ADMIN\", \"REVOKED\", \"EXPIRES_AT\", \"CREATED_AT\") values (:1, :2, :3, :4, :5, :6, :7, :8) returning \"ID\" into :9",
    ],
  },
  "listOrganisationApiKeys": {
    mssql: [
      "select * from \"organisation_api_keys\" where \"organisation_id\" = @1 order by \"id\"",
    ],
    oracle: [
      "select * from \"ORGANISATION_API_KEYS\" where \"ORGANISATION_ID\" = :1 order by \"ID\"",
    ],
  },
  "findOrganisationApiKeyByHash": {
    mssql: [
      "select * from \"organisation_api_keys\" where \"key_hash\" = @1",
    ],
    oracle: [
      "select * from \"ORGANISATION_API_KEYS\" where \"KEY_HASH\" = :1",
    ],
  },
  "revokeOrganisationApiKey": {
    mssql: [
      "update \"organisation_api_keys\" set \"revoked\" = @1 where \"id\" = @2 and \"organisation_id\" = @3",
    ],
    oracle: [
      "update \"ORGANISATION_API_KEYS\" set \"REVOKED\" = :1 where \"ID\" = :2 and \"ORGANISATION_ID\" = :3",
    ],
  },
  "insertOrganisation": {
    mssql: [
      "insert into \"organisations\" (\"name\", \"persist_trait_data\", \"stop_serving_flags\", \"feature_analytics\", \"restrict_project_create_to_admin\", \"created_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4, @5, @6)",
    ],
    oracle: [
      "insert into \"ORGANISATIONS\" (\"NAME\", \"PERSIST_TRAIT_DATA\", \"STOP_SERVING_FLAGS\", \"FEATURE_ANALYTICS\", \"RESTRICT_PROJECT_CREATE_ADMIN\", \"CREATED_AT\") values (:1, :2, :3, :4, :5, :6) returning \"ID\" into :7",
    ],
  },
  "findOrganisation": {
    mssql: [
      "select * from \"organisations\" where \"id\" = @1",
    ],
    oracle: [
      "select * from \"ORGANISATIONS\" where \"ID\" = :1",
    ],
  },
  "listOrganisations (of a user)": {
    mssql: [
      "select \"organisations\".* from \"organisations\" inner join \"organisation_users\" on \"organisation_users\".\"organisation_id\" = \"organisations\".\"id\" where \"organisation_users\".\"user_id\" = @1 order by \"organisations\".\"id\"",
    ],
    oracle: [
      "select \"ORGANISATIONS\".* from \"ORGANISATIONS\" inner join \"ORGANISATION_USERS\" on \"ORGANISATION_USERS\".\"ORGANISATION_ID\" = \"ORGANISATIONS\".\"ID\" where \"ORGANISATION_USERS\".\"USER_ID\" = :1 order by \"ORGANISATIONS\".\"ID\"",
    ],
  },
  "updateOrganisation": {
    mssql: [
      "update \"organisations\" set \"stop_serving_flags\" = @1 where \"id\" = @2",
    ],
    oracle: [
      "update \"ORGANISATIONS\" set \"STOP_SERVING_FLAGS\" = :1 where \"ID\" = :2",
    ],
  },
  "deleteOrganisation": {
    mssql: [
      "delete from \"change_request_approvals\" where \"change_request_id\" in (select \"id\" from \"change_requests\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1)))",
      "delete from \"change_request_groups\" where \"change_request_id\" in (select \"id\" from \"change_requests\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1)))",
      "delete from \"change_request_items\" where \"change_request_id\" in (select \"id\" from \"change_requests\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1)))",
      "delete from \"change_requests\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1))",
      "delete from \"environment_api_keys\" where \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1)))",
      "delete from \"multivariate_state_values\" where (\"feature_state_id\" in (select \"id\" from \"feature_states\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1))) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@2))) or \"feature_segment_id\" in (select \"id\" from \"feature_segments\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@3))) or \"segment_id\" in (select \"id\" from \"segments\" where (\"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@4)) or \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@5))))) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@6))))) or \"identity_id\" in (select \"id\" from \"identities\" where \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@7)))))) or \"multivariate_option_id\" in (select \"id\" from \"multivariate_options\" where \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@8)))))",
      "delete from \"feature_states\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1))) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@2))) or \"feature_segment_id\" in (select \"id\" from \"feature_segments\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@3))) or \"segment_id\" in (select \"id\" from \"segments\" where (\"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@4)) or \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@5))))) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@6))))) or \"identity_id\" in (select \"id\" from \"identities\" where \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@7)))))",
      "delete from \"feature_segments\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1))) or \"segment_id\" in (select \"id\" from \"segments\" where (\"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@2)) or \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@3))))) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@4))))",
      "delete from \"traits\" where \"identity_id\" in (select \"id\" from \"identities\" where \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1))))",
      "delete from \"identities\" where \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1)))",
      "delete from \"feature_evaluation_counts\" where (\"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1))) or \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@2))))",
      "delete from \"perm_grant_keys\" where \"grant_id\" in (select \"id\" from \"perm_grants\" where (\"organisation_id\" in (@1) or \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@2)) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@3))) or \"group_id\" in (select \"id\" from \"user_groups\" where \"organisation_id\" in (@4)) or \"role_id\" in (select \"id\" from \"roles\" where \"organisation_id\" in (@5))))",
      "delete from \"perm_grant_tags\" where (\"grant_id\" in (select \"id\" from \"perm_grants\" where (\"organisation_id\" in (@1) or \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@2)) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@3))) or \"group_id\" in (select \"id\" from \"user_groups\" where \"organisation_id\" in (@4)) or \"role_id\" in (select \"id\" from \"roles\" where \"organisation_id\" in (@5)))) or \"tag_id\" in (select \"id\" from \"tags\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@6))))",
      "delete from \"perm_grants\" where (\"organisation_id\" in (@1) or \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@2)) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@3))) or \"group_id\" in (select \"id\" from \"user_groups\" where \"organisation_id\" in (@4)) or \"role_id\" in (select \"id\" from \"roles\" where \"organisation_id\" in (@5)))",
      "delete from \"environments\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1))",
      "delete from \"feature_tags\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1))) or \"tag_id\" in (select \"id\" from \"tags\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@2))))",
      "delete from \"multivariate_options\" where \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1)))",
      "delete from \"segments\" where (\"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1)) or \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@2))))",
      "delete from \"features\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1))",
      "delete from \"oidc_providers\" where \"organisation_id\" in (@1)",
      "delete from \"role_api_keys\" where (\"role_id\" in (select \"id\" from \"roles\" where \"organisation_id\" in (@1)) or \"api_key_id\" in (select \"id\" from \"organisation_api_keys\" where \"organisation_id\" in (@2)))",
      "delete from \"organisation_api_keys\" where \"organisation_id\" in (@1)",
      "delete from \"organisation_users\" where \"organisation_id\" in (@1)",
      "delete from \"tags\" where \"project_id\" in (select \"id\" from \"projects\" where \"organisation_id\" in (@1))",
      "delete from \"projects\" where \"organisation_id\" in (@1)",
      "delete from \"user_group_members\" where \"group_id\" in (select \"id\" from \"user_groups\" where \"organisation_id\" in (@1))",
      "delete from \"role_groups\" where (\"role_id\" in (select \"id\" from \"roles\" where \"organisation_id\" in (@1)) or \"group_id\" in (select \"id\" from \"user_groups\" where \"organisation_id\" in (@2)))",
      "delete from \"user_groups\" where \"organisation_id\" in (@1)",
      "delete from \"role_users\" where \"role_id\" in (select \"id\" from \"roles\" where \"organisation_id\" in (@1))",
      "delete from \"roles\" where \"organisation_id\" in (@1)",
      "delete from \"saml_attribute_mappings\" where \"saml_configuration_id\" in (select \"id\" from \"saml_configurations\" where \"organisation_id\" in (@1))",
      "delete from \"saml_configurations\" where \"organisation_id\" in (@1)",
      "delete from \"organisations\" where \"id\" = @1",
    ],
    oracle: [
      "delete from \"CHANGE_REQUEST_APPROVALS\" where \"CHANGE_REQUEST_ID\" in (select \"ID\" from \"CHANGE_REQUESTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1)))",
      "delete from \"CHANGE_REQUEST_GROUPS\" where \"CHANGE_REQUEST_ID\" in (select \"ID\" from \"CHANGE_REQUESTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1)))",
      "delete from \"CHANGE_REQUEST_ITEMS\" where \"CHANGE_REQUEST_ID\" in (select \"ID\" from \"CHANGE_REQUESTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1)))",
      "delete from \"CHANGE_REQUESTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1))",
      "delete from \"ENVIRONMENT_API_KEYS\" where \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1)))",
      "delete from \"MULTIVARIATE_STATE_VALUES\" where (\"FEATURE_STATE_ID\" in (select \"ID\" from \"FEATURE_STATES\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1))) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:2))) or \"FEATURE_SEGMENT_ID\" in (select \"ID\" from \"FEATURE_SEGMENTS\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:3))) or \"SEGMENT_ID\" in (select \"ID\" from \"SEGMENTS\" where (\"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:4)) or \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:5))))) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:6))))) or \"IDENTITY_ID\" in (select \"ID\" from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:7)))))) or \"MULTIVARIATE_OPTION_ID\" in (select \"ID\" from \"MULTIVARIATE_OPTIONS\" where \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:8)))))",
      "delete from \"FEATURE_STATES\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1))) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:2))) or \"FEATURE_SEGMENT_ID\" in (select \"ID\" from \"FEATURE_SEGMENTS\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:3))) or \"SEGMENT_ID\" in (select \"ID\" from \"SEGMENTS\" where (\"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:4)) or \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:5))))) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:6))))) or \"IDENTITY_ID\" in (select \"ID\" from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:7)))))",
      "delete from \"FEATURE_SEGMENTS\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1))) or \"SEGMENT_ID\" in (select \"ID\" from \"SEGMENTS\" where (\"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:2)) or \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:3))))) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:4))))",
      "delete from \"TRAITS\" where \"IDENTITY_ID\" in (select \"ID\" from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1))))",
      "delete from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1)))",
      "delete from \"FEATURE_EVALUATION_COUNTS\" where (\"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1))) or \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:2))))",
      "delete from \"PERM_GRANT_KEYS\" where \"GRANT_ID\" in (select \"ID\" from \"PERM_GRANTS\" where (\"ORGANISATION_ID\" in (:1) or \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:2)) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:3))) or \"GROUP_ID\" in (select \"ID\" from \"USER_GROUPS\" where \"ORGANISATION_ID\" in (:4)) or \"ROLE_ID\" in (select \"ID\" from \"ROLES\" where \"ORGANISATION_ID\" in (:5))))",
      "delete from \"PERM_GRANT_TAGS\" where (\"GRANT_ID\" in (select \"ID\" from \"PERM_GRANTS\" where (\"ORGANISATION_ID\" in (:1) or \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:2)) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:3))) or \"GROUP_ID\" in (select \"ID\" from \"USER_GROUPS\" where \"ORGANISATION_ID\" in (:4)) or \"ROLE_ID\" in (select \"ID\" from \"ROLES\" where \"ORGANISATION_ID\" in (:5)))) or \"TAG_ID\" in (select \"ID\" from \"TAGS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:6))))",
      "delete from \"PERM_GRANTS\" where (\"ORGANISATION_ID\" in (:1) or \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:2)) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:3))) or \"GROUP_ID\" in (select \"ID\" from \"USER_GROUPS\" where \"ORGANISATION_ID\" in (:4)) or \"ROLE_ID\" in (select \"ID\" from \"ROLES\" where \"ORGANISATION_ID\" in (:5)))",
      "delete from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1))",
      "delete from \"FEATURE_TAGS\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1))) or \"TAG_ID\" in (select \"ID\" from \"TAGS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:2))))",
      "delete from \"MULTIVARIATE_OPTIONS\" where \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1)))",
      "delete from \"SEGMENTS\" where (\"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1)) or \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:2))))",
      "delete from \"FEATURES\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1))",
      "delete from \"OIDC_PROVIDERS\" where \"ORGANISATION_ID\" in (:1)",
      "delete from \"ROLE_API_KEYS\" where (\"ROLE_ID\" in (select \"ID\" from \"ROLES\" where \"ORGANISATION_ID\" in (:1)) or \"API_KEY_ID\" in (select \"ID\" from \"ORGANISATION_API_KEYS\" where \"ORGANISATION_ID\" in (:2)))",
      "delete from \"ORGANISATION_API_KEYS\" where \"ORGANISATION_ID\" in (:1)",
      "delete from \"ORGANISATION_USERS\" where \"ORGANISATION_ID\" in (:1)",
      "delete from \"TAGS\" where \"PROJECT_ID\" in (select \"ID\" from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1))",
      "delete from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1)",
      "delete from \"USER_GROUP_MEMBERS\" where \"GROUP_ID\" in (select \"ID\" from \"USER_GROUPS\" where \"ORGANISATION_ID\" in (:1))",
      "delete from \"ROLE_GROUPS\" where (\"ROLE_ID\" in (select \"ID\" from \"ROLES\" where \"ORGANISATION_ID\" in (:1)) or \"GROUP_ID\" in (select \"ID\" from \"USER_GROUPS\" where \"ORGANISATION_ID\" in (:2)))",
      "delete from \"USER_GROUPS\" where \"ORGANISATION_ID\" in (:1)",
      "delete from \"ROLE_USERS\" where \"ROLE_ID\" in (select \"ID\" from \"ROLES\" where \"ORGANISATION_ID\" in (:1))",
      "delete from \"ROLES\" where \"ORGANISATION_ID\" in (:1)",
      "delete from \"SAML_ATTRIBUTE_MAPPINGS\" where \"SAML_CONFIGURATION_ID\" in (select \"ID\" from \"SAML_CONFIGURATIONS\" where \"ORGANISATION_ID\" in (:1))",
      "delete from \"SAML_CONFIGURATIONS\" where \"ORGANISATION_ID\" in (:1)",
      "delete from \"ORGANISATIONS\" where \"ID\" = :1",
    ],
  },
  "findMembership": {
    mssql: [
      "select \"role\" from \"organisation_users\" where \"organisation_id\" = @1 and \"user_id\" = @2",
    ],
    oracle: [
      "select \"ROLE\" from \"ORGANISATION_USERS\" where \"ORGANISATION_ID\" = :1 and \"USER_ID\" = :2",
    ],
  },
  "upsertMembership (new)": {
    mssql: [
      "select \"role\" from \"organisation_users\" where \"organisation_id\" = @1 and \"user_id\" = @2",
      "insert into \"organisation_users\" (\"organisation_id\", \"user_id\", \"role\") values (@1, @2, @3)",
    ],
    oracle: [
      "select \"ROLE\" from \"ORGANISATION_USERS\" where \"ORGANISATION_ID\" = :1 and \"USER_ID\" = :2",
      "insert into \"ORGANISATION_USERS\" (\"ORGANISATION_ID\", \"USER_ID\", \"ROLE\") values (:1, :2, :3)",
    ],
  },
  "deleteMembership": {
    mssql: [
      "delete from \"organisation_users\" where \"organisation_id\" = @1 and \"user_id\" = @2",
    ],
    oracle: [
      "delete from \"ORGANISATION_USERS\" where \"ORGANISATION_ID\" = :1 and \"USER_ID\" = :2",
    ],
  },
  "listMembers": {
    mssql: [
      "select \"users\".\"id\", \"users\".\"email\", \"users\".\"first_name\", \"users\".\"last_name\", \"users\".\"last_login_at\", \"users\".\"is_active\", \"organisation_users\".\"role\" from \"organisation_users\" inner join \"users\" on \"users\".\"id\" = \"organisation_users\".\"user_id\" where \"organisation_users\".\"organisation_id\" = @1 order by \"users\".\"id\"",
    ],
    oracle: [
      "select \"USERS\".\"ID\", \"USERS\".\"EMAIL\", \"USERS\".\"FIRST_NAME\", \"USERS\".\"LAST_NAME\", \"USERS\".\"LAST_LOGIN_AT\", \"USERS\".\"IS_ACTIVE\", \"ORGANISATION_USERS\".\"ROLE\" from \"ORGANISATION_USERS\" inner join \"USERS\" on \"USERS\".\"ID\" = \"ORGANISATION_USERS\".\"USER_ID\" where \"ORGANISATION_USERS\".\"ORGANISATION_ID\" = :1 order by \"USERS\".\"ID\"",
    ],
  },
  "insertProject": {
    mssql: [
      "insert into \"projects\" (\"organisation_id\", \"name\", \"hide_disabled_flags\", \"enable_realtime_updates\", \"minimum_change_request_approvals\", \"created_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4, @5, @6)",
    ],
    oracle: [
      "insert into \"PROJECTS\" (\"ORGANISATION_ID\", \"NAME\", \"HIDE_DISABLED_FLAGS\", \"ENABLE_REALTIME_UPDATES\", \"MIN_CHANGE_REQUEST_APPROVALS\", \"CREATED_AT\") values (:1, :2, :3, :4, :5, :6) returning \"ID\" into :7",
    ],
  },
  "findProject": {
    mssql: [
      "select * from \"projects\" where \"id\" = @1",
    ],
    oracle: [
      "select * from \"PROJECTS\" where \"ID\" = :1",
    ],
  },
  "listProjects": {
    mssql: [
      "select * from \"projects\" where \"organisation_id\" in (@1) order by \"id\"",
    ],
    oracle: [
      "select * from \"PROJECTS\" where \"ORGANISATION_ID\" in (:1) order by \"ID\"",
    ],
  },
  "updateProject": {
    mssql: [
      "update \"projects\" set \"hide_disabled_flags\" = @1 where \"id\" = @2",
    ],
    oracle: [
      "update \"PROJECTS\" set \"HIDE_DISABLED_FLAGS\" = :1 where \"ID\" = :2",
    ],
  },
  "deleteProject": {
    mssql: [
      "delete from \"change_request_approvals\" where \"change_request_id\" in (select \"id\" from \"change_requests\" where \"project_id\" in (@1))",
      "delete from \"change_request_groups\" where \"change_request_id\" in (select \"id\" from \"change_requests\" where \"project_id\" in (@1))",
      "delete from \"change_request_items\" where \"change_request_id\" in (select \"id\" from \"change_requests\" where \"project_id\" in (@1))",
      "delete from \"change_requests\" where \"project_id\" in (@1)",
      "delete from \"environment_api_keys\" where \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@1))",
      "delete from \"multivariate_state_values\" where (\"feature_state_id\" in (select \"id\" from \"feature_states\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@1)) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@2)) or \"feature_segment_id\" in (select \"id\" from \"feature_segments\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@3)) or \"segment_id\" in (select \"id\" from \"segments\" where (\"project_id\" in (@4) or \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@5)))) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@6)))) or \"identity_id\" in (select \"id\" from \"identities\" where \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@7))))) or \"multivariate_option_id\" in (select \"id\" from \"multivariate_options\" where \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@8))))",
      "delete from \"feature_states\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@1)) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@2)) or \"feature_segment_id\" in (select \"id\" from \"feature_segments\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@3)) or \"segment_id\" in (select \"id\" from \"segments\" where (\"project_id\" in (@4) or \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@5)))) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@6)))) or \"identity_id\" in (select \"id\" from \"identities\" where \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@7))))",
      "delete from \"feature_segments\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@1)) or \"segment_id\" in (select \"id\" from \"segments\" where (\"project_id\" in (@2) or \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@3)))) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@4)))",
      "delete from \"traits\" where \"identity_id\" in (select \"id\" from \"identities\" where \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@1)))",
      "delete from \"identities\" where \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@1))",
      "delete from \"feature_evaluation_counts\" where (\"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@1)) or \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@2)))",
      "delete from \"perm_grant_keys\" where \"grant_id\" in (select \"id\" from \"perm_grants\" where (\"project_id\" in (@1) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@2))))",
      "delete from \"perm_grant_tags\" where (\"grant_id\" in (select \"id\" from \"perm_grants\" where (\"project_id\" in (@1) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@2)))) or \"tag_id\" in (select \"id\" from \"tags\" where \"project_id\" in (@3)))",
      "delete from \"perm_grants\" where (\"project_id\" in (@1) or \"environment_id\" in (select \"id\" from \"environments\" where \"project_id\" in (@2)))",
      "delete from \"environments\" where \"project_id\" in (@1)",
      "delete from \"feature_tags\" where (\"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@1)) or \"tag_id\" in (select \"id\" from \"tags\" where \"project_id\" in (@2)))",
      "delete from \"multivariate_options\" where \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@1))",
      "delete from \"segments\" where (\"project_id\" in (@1) or \"feature_id\" in (select \"id\" from \"features\" where \"project_id\" in (@2)))",
      "delete from \"features\" where \"project_id\" in (@1)",
      "delete from \"tags\" where \"project_id\" in (@1)",
      "delete from \"projects\" where \"id\" = @1",
    ],
    oracle: [
      "delete from \"CHANGE_REQUEST_APPROVALS\" where \"CHANGE_REQUEST_ID\" in (select \"ID\" from \"CHANGE_REQUESTS\" where \"PROJECT_ID\" in (:1))",
      "delete from \"CHANGE_REQUEST_GROUPS\" where \"CHANGE_REQUEST_ID\" in (select \"ID\" from \"CHANGE_REQUESTS\" where \"PROJECT_ID\" in (:1))",
      "delete from \"CHANGE_REQUEST_ITEMS\" where \"CHANGE_REQUEST_ID\" in (select \"ID\" from \"CHANGE_REQUESTS\" where \"PROJECT_ID\" in (:1))",
      "delete from \"CHANGE_REQUESTS\" where \"PROJECT_ID\" in (:1)",
      "delete from \"ENVIRONMENT_API_KEYS\" where \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:1))",
      "delete from \"MULTIVARIATE_STATE_VALUES\" where (\"FEATURE_STATE_ID\" in (select \"ID\" from \"FEATURE_STATES\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:1)) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:2)) or \"FEATURE_SEGMENT_ID\" in (select \"ID\" from \"FEATURE_SEGMENTS\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:3)) or \"SEGMENT_ID\" in (select \"ID\" from \"SEGMENTS\" where (\"PROJECT_ID\" in (:4) or \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:5)))) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:6)))) or \"IDENTITY_ID\" in (select \"ID\" from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:7))))) or \"MULTIVARIATE_OPTION_ID\" in (select \"ID\" from \"MULTIVARIATE_OPTIONS\" where \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:8))))",
      "delete from \"FEATURE_STATES\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:1)) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:2)) or \"FEATURE_SEGMENT_ID\" in (select \"ID\" from \"FEATURE_SEGMENTS\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:3)) or \"SEGMENT_ID\" in (select \"ID\" from \"SEGMENTS\" where (\"PROJECT_ID\" in (:4) or \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:5)))) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:6)))) or \"IDENTITY_ID\" in (select \"ID\" from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:7))))",
      "delete from \"FEATURE_SEGMENTS\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:1)) or \"SEGMENT_ID\" in (select \"ID\" from \"SEGMENTS\" where (\"PROJECT_ID\" in (:2) or \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:3)))) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:4)))",
      "delete from \"TRAITS\" where \"IDENTITY_ID\" in (select \"ID\" from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:1)))",
      "delete from \"IDENTITIES\" where \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:1))",
      "delete from \"FEATURE_EVALUATION_COUNTS\" where (\"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:1)) or \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:2)))",
      "delete from \"PERM_GRANT_KEYS\" where \"GRANT_ID\" in (select \"ID\" from \"PERM_GRANTS\" where (\"PROJECT_ID\" in (:1) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:2))))",
      "delete from \"PERM_GRANT_TAGS\" where (\"GRANT_ID\" in (select \"ID\" from \"PERM_GRANTS\" where (\"PROJECT_ID\" in (:1) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:2)))) or \"TAG_ID\" in (select \"ID\" from \"TAGS\" where \"PROJECT_ID\" in (:3)))",
      "delete from \"PERM_GRANTS\" where (\"PROJECT_ID\" in (:1) or \"ENVIRONMENT_ID\" in (select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:2)))",
      "delete from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:1)",
      "delete from \"FEATURE_TAGS\" where (\"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:1)) or \"TAG_ID\" in (select \"ID\" from \"TAGS\" where \"PROJECT_ID\" in (:2)))",
      "delete from \"MULTIVARIATE_OPTIONS\" where \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:1))",
      "delete from \"SEGMENTS\" where (\"PROJECT_ID\" in (:1) or \"FEATURE_ID\" in (select \"ID\" from \"FEATURES\" where \"PROJECT_ID\" in (:2)))",
      "delete from \"FEATURES\" where \"PROJECT_ID\" in (:1)",
      "delete from \"TAGS\" where \"PROJECT_ID\" in (:1)",
      "delete from \"PROJECTS\" where \"ID\" = :1",
    ],
  },
  "insertSegment": {
    mssql: [
      "insert into \"segments\" (\"project_id\", \"uuid\", \"name\", \"description\", \"feature_id\", \"rules_json\", \"version\", \"created_at\", \"updated_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4, @5, @6, @7, @8, @9)",
    ],
    oracle: [
      "insert into \"SEGMENTS\" (\"PROJECT_ID\", \"UUID\", \"NAME\", \"DESCRIPTION\", \"FEATURE_ID\", \"RULES_JSON\", \"VERSION\", \"CREATED_AT\", \"UPDATED_AT\") values (:1, :2, :3, :4, :5, :6, :7, :8, :9) returning \"ID\" into :10",
    ],
  },
  "updateSegment (optimistic)": {
    mssql: [
      "update \"segments\" set \"updated_at\" = @1, \"name\" = @2, \"version\" = \"version\" + @3 where \"id\" = @4 and \"version\" = @5",
    ],
    oracle: [
      "update \"SEGMENTS\" set \"UPDATED_AT\" = :1, \"NAME\" = :2, \"VERSION\" = \"VERSION\" + :3 where \"ID\" = :4 and \"VERSION\" = :5",
    ],
  },
  "deleteSegment": {
    mssql: [
      "delete from \"multivariate_state_values\" where \"feature_state_id\" in (select \"id\" from \"feature_states\" where \"feature_segment_id\" in (select \"id\" from \"feature_segments\" where \"segment_id\" in (@1)))",
      "delete from \"feature_states\" where \"feature_segment_id\" in (select \"id\" from \"feature_segments\" where \"segment_id\" in (@1))",
      "delete from \"feature_segments\" where \"segment_id\" in (@1)",
      "delete from \"segments\" where \"id\" = @1",
    ],
    oracle: [
      "delete from \"MULTIVARIATE_STATE_VALUES\" where \"FEATURE_STATE_ID\" in (select \"ID\" from \"FEATURE_STATES\" where \"FEATURE_SEGMENT_ID\" in (select \"ID\" from \"FEATURE_SEGMENTS\" where \"SEGMENT_ID\" in (:1)))",
      "delete from \"FEATURE_STATES\" where \"FEATURE_SEGMENT_ID\" in (select \"ID\" from \"FEATURE_SEGMENTS\" where \"SEGMENT_ID\" in (:1))",
      "delete from \"FEATURE_SEGMENTS\" where \"SEGMENT_ID\" in (:1)",
      "delete from \"SEGMENTS\" where \"ID\" = :1",
    ],
  },
  "findSegment": {
    mssql: [
      "select * from \"segments\" where \"id\" = @1",
    ],
    oracle: [
      "select * from \"SEGMENTS\" where \"ID\" = :1",
    ],
  },
  "listSegments (search, page)": {
    mssql: [
      "select count(*) as \"n\" from \"segments\" where \"project_id\" = @1 and \"name\" like @2 escape '\\'",
      "select * from \"segments\" where \"project_id\" = @1 and \"name\" like @2 escape '\\' order by \"id\" offset @3 rows fetch next @4 rows only",
    ],
    oracle: [
      "select count(*) as \"N\" from \"SEGMENTS\" where \"PROJECT_ID\" = :1 and \"NAME\" like :2 escape '\\'",
      "select * from \"SEGMENTS\" where \"PROJECT_ID\" = :1 and \"NAME\" like :2 escape '\\' order by \"ID\" offset :3 rows fetch next :4 rows only",
    ],
  },
  "findUserByEmail": {
    mssql: [
      "select * from \"users\" where \"email\" = @1",
    ],
    oracle: [
      "select * from \"USERS\" where \"EMAIL\" = :1",
    ],
  },
  "findUserById": {
    mssql: [
      "select * from \"users\" where \"id\" = @1",
    ],
    oracle: [
      "select * from \"USERS\" where \"ID\" = :1",
    ],
  },
  "countUsers": {
    mssql: [
      "select count(*) as \"n\" from \"users\"",
    ],
    oracle: [
      "select count(*) as \"N\" from \"USERS\"",
    ],
  },
  "insertUser": {
    mssql: [
      "insert into \"users\" (\"email\", \"password_hash\", \"first_name\", \"last_name\", \"is_active\", \"is_superuser\", \"auth_provider\", \"created_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4, @5, @6, @7, @8)",
    ],
    oracle: [
      "insert into \"USERS\" (\"EMAIL\", \"PASSWORD_HASH\", \"FIRST_NAME\", \"LAST_NAME\", \"IS_ACTIVE\", \"IS_SUPERUSER\", \"AUTH_PROVIDER\", \"CREATED_AT\") values (:1, :2, :3, :4, :5, :6, :7, :8) returning \"ID\" into :9",
    ],
  },
  "updateUser": {
    mssql: [
      "update \"users\" set \"is_active\" = @1, \"last_login_at\" = @2 where \"id\" = @3",
    ],
    oracle: [
      "update \"USERS\" set \"IS_ACTIVE\" = :1, \"LAST_LOGIN_AT\" = :2 where \"ID\" = :3",
    ],
  },
  "insertApiToken": {
    mssql: [
      "insert into \"api_tokens\" (\"user_id\", \"key_hash\", \"created_at\", \"expires_at\") output \"inserted\".\"id\" values (@1, @2, @3, @4)",
    ],
    oracle: [
      "insert into \"API_TOKENS\" (\"USER_ID\", \"KEY_HASH\", \"CREATED_AT\", \"EXPIRES_AT\") values (:1, :2, :3, :4) returning \"ID\" into :5",
    ],
  },
  "findUserByTokenHash": {
    mssql: [
      "select \"users\".*, \"api_tokens\".\"expires_at\" as \"token_expires_at\" from \"api_tokens\" inner join \"users\" on \"users\".\"id\" = \"api_tokens\".\"user_id\" where \"api_tokens\".\"key_hash\" = @1",
    ],
    oracle: [
      "select \"USERS\".*, \"API_TOKENS\".\"EXPIRES_AT\" as \"TOKEN_EXPIRES_AT\" from \"API_TOKENS\" inner join \"USERS\" on \"USERS\".\"ID\" = \"API_TOKENS\".\"USER_ID\" where \"API_TOKENS\".\"KEY_HASH\" = :1",
    ],
  },
  "deleteApiToken": {
    mssql: [
      "delete from \"api_tokens\" where \"key_hash\" = @1",
    ],
    oracle: [
      "delete from \"API_TOKENS\" where \"KEY_HASH\" = :1",
    ],
  },
  "Store.write (touch a project, two audit rows)": {
    mssql: [
      "select \"id\" from \"environments\" where \"project_id\" in (@1)",
      "update \"environments\" set \"version\" = \"version\" + @1, \"updated_at\" = @2 where \"id\" in (@3)",
      "insert into \"audit_log\" (\"created_at\", \"organisation_id\", \"project_id\", \"environment_id\", \"actor_type\", \"actor_id\", \"actor_label\", \"action\", \"resource_type\", \"resource_id\", \"log\", \"before_json\", \"after_json\", \"ip\") values (@1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12, @13, @14), (@15, @16, @17, @18, @19, @20, @21, @22, @23, @24, @25, @26, @27, @28)",
    ],
    oracle: [
      "select \"ID\" from \"ENVIRONMENTS\" where \"PROJECT_ID\" in (:1)",
      "update \"ENVIRONMENTS\" set \"VERSION\" = \"VERSION\" + :1, \"UPDATED_AT\" = :2 where \"ID\" in (:3)",
      "insert into \"AUDIT_LOG\" (\"CREATED_AT\", \"ORGANISATION_ID\", \"PROJECT_ID\", \"ENVIRONMENT_ID\", \"ACTOR_TYPE\", \"ACTOR_ID\", \"ACTOR_LABEL\", \"ACTION\", \"RESOURCE_TYPE\", \"RESOURCE_ID\", \"LOG\", \"BEFORE_JSON\", \"AFTER_JSON\", \"IP\") values (:1, :2, :3, :4, :5, :6, :7, :8, :9, :10, :11, :12, :13, :14)",
    ],
  },
};

describe.each(['mssql', 'oracle'] as const)('repository SQL on %s', (engine) => {
  it('covers every case', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(CASES.map((c) => c.name).sort());
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const r = recordingDb(engine, c.respond ?? defaultRespond);
    await c.run(r.db, r.traits);
    expect(r.sqls()).toEqual(EXPECTED[c.name]![engine]);
  });
});
