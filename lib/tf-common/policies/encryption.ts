// FS-ENC1: every resource type is classified; data stores are ones that encrypt at rest, with the switches that
// exist turned on.
import { resourcesOf } from '../tf-json';
import { finding, type PolicyRule, type Finding } from './rule';

export const DATA_STORES = new Set([
  'azurerm_postgresql_flexible_server',
  'azurerm_postgresql_flexible_server_database',
  'azurerm_mysql_flexible_server',
  'azurerm_mysql_flexible_database',
  'azurerm_mssql_server',
  'azurerm_mssql_database', // transparent data encryption, checked below
  'azurerm_key_vault',
  'azurerm_key_vault_secret',
  'azurerm_storage_account', // infrastructure (double) encryption, checked below
  'azurerm_storage_container',
  'azurerm_storage_blob',
  'azurerm_log_analytics_workspace',
  'azurerm_application_insights',
  'google_sql_database_instance',
  'google_sql_database',
  'google_secret_manager_secret',
  'google_secret_manager_secret_version',
  'google_storage_bucket',
  'google_storage_bucket_object',
]);

/** Resource types that keep no data at rest of their own (compute, network, identity, configuration). */
export const NOT_DATA_STORES = new Set([
  'azurerm_resource_group',
  'azurerm_virtual_network',
  'azurerm_subnet',
  'azurerm_private_dns_zone',
  'azurerm_private_dns_zone_virtual_network_link',
  'azurerm_private_endpoint',
  'azurerm_postgresql_flexible_server_configuration',
  'azurerm_mysql_flexible_server_configuration',
  'azurerm_management_lock',
  'azurerm_user_assigned_identity',
  'azurerm_role_assignment',
  'azurerm_container_app_environment',
  'azurerm_container_app',
  'azurerm_container_app_job',
  'azurerm_service_plan',
  'azurerm_linux_function_app',
  'google_project_service',
  'google_compute_network',
  'google_compute_subnetwork',
  'google_compute_global_address',
  'google_service_networking_connection',
  'google_vpc_access_connector',
  'google_service_account',
  'google_project_iam_member',
  'google_secret_manager_secret_iam_member',
  'google_storage_bucket_iam_member',
  'google_sql_user',
  'google_cloud_run_v2_service',
  'google_cloud_run_v2_service_iam_member',
  'google_cloud_run_v2_job',
  'google_cloud_run_v2_job_iam_member',
  'google_cloud_scheduler_job',
  'google_cloudfunctions2_function',
  'random_password',
  'random_id',
  'random_string',
]);

export const encryptionAtRest: PolicyRule = {
  id: 'FS-ENC1',
  title: 'encryption at rest',
  check(json) {
    const out: Finding[] = [];
    for (const type of Object.keys(json.resource ?? {})) {
      if (!DATA_STORES.has(type) && !NOT_DATA_STORES.has(type)) {
        out.push(finding('FS-ENC1', type, 'resource type not classified: add it to DATA_STORES (with its encryption checked) or NOT_DATA_STORES in lib/tf-common/policies/encryption.ts'));
      }
    }
    for (const r of resourcesOf(json, 'azurerm_storage_account')) {
      if (r.props.infrastructure_encryption_enabled !== true) out.push(finding('FS-ENC1', r.address, 'infrastructure_encryption_enabled must be true'));
    }
    for (const r of resourcesOf(json, 'azurerm_mssql_database')) {
      if (r.props.transparent_data_encryption_enabled === false) out.push(finding('FS-ENC1', r.address, 'transparent_data_encryption_enabled must not be false'));
    }
    return out;
  },
};

/** References that carry a secret value; none may reach an environment variable, an app setting or an output. */
