// FS-IAM1 (least privilege: only the kit's roles, scoped to single resources) and FS-PUB1 (no public storage; only
// the API itself is publicly invocable).
import { allResources, blocks, get, references, resourcesOf, type ResourceRef } from '../tf-json';
import { finding, type PolicyRule, type Finding } from './rule';

const AZURE_ROLES: Record<string, { scope: RegExp; principal: RegExp }> = {
  'Key Vault Secrets User': { scope: /^\$\{azurerm_key_vault\.[^}]+\.id\}$/, principal: /^\$\{azurerm_user_assigned_identity\.[^}]+\.principal_id\}$/ },
  'Key Vault Secrets Officer': { scope: /^\$\{azurerm_key_vault\.[^}]+\.id\}$/, principal: /^\$\{data\.azurerm_client_config\.[^}]+\.object_id\}$/ },
  'Storage Blob Data Owner': { scope: /^\$\{azurerm_storage_account\.[^}]+\.id\}$/, principal: /^\$\{azurerm_user_assigned_identity\.[^}]+\.principal_id\}$/ },
  'Storage Blob Data Contributor': { scope: /^\$\{azurerm_storage_account\.[^}]+\.id\}$/, principal: /^\$\{data\.azurerm_client_config\.[^}]+\.object_id\}$/ },
};

/** Project-level roles (GCP) the kit grants, and only to the build service account. */
export const GCP_PROJECT_ROLES = new Set(['roles/logging.logWriter', 'roles/artifactregistry.writer']);

export const leastPrivilege: PolicyRule = {
  id: 'FS-IAM1',
  title: 'least-privilege roles',
  check(json) {
    const out: Finding[] = [];
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-IAM1', r.address, m));
    for (const r of resourcesOf(json, 'azurerm_role_assignment')) {
      const role = String(r.props.role_definition_name ?? '');
      const allowed = AZURE_ROLES[role];
      if (!allowed || r.props.role_definition_id) {
        f(r, `role ${role || String(r.props.role_definition_id)} is not one the kit grants (${Object.keys(AZURE_ROLES).join(', ')})`);
        continue;
      }
      if (!allowed.scope.test(String(r.props.scope))) f(r, `${role} must be scoped to a single resource, not ${String(r.props.scope)}`);
      if (!allowed.principal.test(String(r.props.principal_id))) f(r, `${role} is granted to an unexpected principal (${String(r.props.principal_id)})`);
    }
    for (const r of resourcesOf(json, 'azurerm_key_vault')) {
      if (r.props.rbac_authorization_enabled !== true) f(r, 'rbac_authorization_enabled must be true (no vault-wide access policies)');
      if (blocks(r.props.access_policy).length > 0) f(r, 'access_policy must not be used');
    }
    for (const type of ['google_project_iam_binding', 'google_project_iam_policy', 'google_secret_manager_secret_iam_binding', 'google_secret_manager_secret_iam_policy']) {
      for (const r of resourcesOf(json, type)) f(r, 'authoritative IAM resources replace other grants; use *_iam_member');
    }
    for (const r of resourcesOf(json, 'google_project_iam_member')) {
      if (!GCP_PROJECT_ROLES.has(String(r.props.role))) f(r, `project-level role ${String(r.props.role)} is not one the kit grants`);
      const build = resourcesOf(json, 'google_service_account').find((sa) => String(sa.props.account_id ?? '').endsWith('-build'));
      if (!build || !references(r.props.member, build.address)) f(r, 'project-level roles go to the build service account only');
    }
    for (const r of allResources(json).filter((x) => x.type.startsWith('google_') && x.type.endsWith('_iam_member'))) {
      const role = String(r.props.role ?? '');
      if (/^roles\/(?:owner|editor|viewer)$/.test(role) || /\.admin$/.test(role)) f(r, `${role} is far broader than the kit needs`);
      if (role === 'roles/secretmanager.secretAccessor' && r.type !== 'google_secret_manager_secret_iam_member') f(r, 'secretAccessor must be granted on single secrets');
    }
    for (const r of [...resourcesOf(json, 'google_cloud_run_v2_service'), ...resourcesOf(json, 'google_cloud_run_v2_job')]) {
      const sa = get(r.props, 'template.service_account') ?? get(r.props, 'template.template.service_account');
      if (!sa) f(r, 'must run as the dedicated service account, not the default compute one');
    }
    for (const r of resourcesOf(json, 'google_cloudfunctions2_function')) {
      if (!get(r.props, 'service_config.service_account_email')) f(r, 'must run as the dedicated service account');
      if (!get(r.props, 'build_config.service_account')) f(r, 'must build with the dedicated build service account');
    }
    return out;
  },
};

export const noPublicStorage: PolicyRule = {
  id: 'FS-PUB1',
  title: 'no public storage; only the API is publicly invocable',
  check(json) {
    const out: Finding[] = [];
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-PUB1', r.address, m));
    for (const r of resourcesOf(json, 'azurerm_storage_account')) {
      if (r.props.allow_nested_items_to_be_public !== false) f(r, 'allow_nested_items_to_be_public must be false');
      if (r.props.shared_access_key_enabled !== false) f(r, 'shared_access_key_enabled must be false (Entra ID only)');
    }
    for (const r of resourcesOf(json, 'azurerm_storage_container')) {
      if ((r.props.container_access_type ?? 'private') !== 'private') f(r, 'container_access_type must be private');
    }
    for (const r of resourcesOf(json, 'google_storage_bucket')) {
      if (r.props.public_access_prevention !== 'enforced') f(r, 'public_access_prevention must be enforced');
      if (r.props.uniform_bucket_level_access !== true) f(r, 'uniform_bucket_level_access must be true');
    }
    const apiServices = new Set(
      [...resourcesOf(json, 'google_cloud_run_v2_service'), ...resourcesOf(json, 'google_cloudfunctions2_function')]
        .filter((r) => String(r.props.name ?? '').endsWith('-api'))
        .map((r) => r.address),
    );
    for (const r of allResources(json).filter((x) => x.type.startsWith('google_') && x.type.endsWith('_iam_member'))) {
      if (r.props.member !== 'allUsers' && r.props.member !== 'allAuthenticatedUsers') continue;
      const ok = r.type === 'google_cloud_run_v2_service_iam_member' && r.props.role === 'roles/run.invoker' && [...apiServices].some((a) => references(r.props.name, a));
      if (!ok) f(r, `${String(r.props.member)} may only invoke the API service`);
    }
    return out;
  },
};
