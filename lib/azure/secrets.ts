// Key Vault holding every secret the API reads, and the user-assigned managed identity the API, its jobs and the
// Function App run as, allowed to read them (Key Vault Secrets User on this vault only; RBAC, no access policies).
// Generated secrets are written from random_* straight into the vault. Secrets the platform team provides (OIDC
// client secrets, LDAP passwords, the AppDynamics access key) are created as placeholders named as the config says,
// which Terraform never overwrites afterwards (ignore_changes on the value): set the real value with
// `az keyvault secret set` and the apps pick it up (versionless references).
import { Construct } from 'constructs';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { secretKey, type SecretSource } from '../tf-common/api-env';
import { GeneratedSecrets } from '../tf-common/generated-secrets';
import { boundedName } from '../tf-common/names';
import type { AzureContext } from './context';

/** Value of a placeholder for a secret the platform team sets by hand. */
export const PLACEHOLDER_VALUE = 'not-set: replace with `az keyvault secret set`';
export const PLACEHOLDER_CONTENT_TYPE = 'flagstack: set by hand';

/** Names of the secrets the stack generates, in the vault. */
export const GENERATED_SECRET_NAMES: Record<string, string> = {
  'db-password': 'db-password',
  'encryption-key': 'encryption-key',
  'admin-password': 'admin-password',
};

export interface AzureSecretStoreProps {
  context: AzureContext;
  tenantId: string;
  /** Object id of whoever runs Terraform: it writes the secrets (Key Vault Secrets Officer on this vault). */
  deployerObjectId: string;
  generated: GeneratedSecrets;
}

export class AzureSecretStore extends Construct {
  readonly vault: KeyVault;
  readonly identity: UserAssignedIdentity;
  readonly readerRole: RoleAssignment;
  private readonly writerRole: RoleAssignment;
  private readonly secrets = new Map<string, KeyVaultSecret>();

  constructor(scope: Construct, id: string, private readonly props: AzureSecretStoreProps) {
    super(scope, id);
    const { env, resourceGroupName, location, tags, stem, suffix } = props.context;
    this.vault = new KeyVault(this, 'vault', {
      // 3–24 characters, globally unique: `<environment>-kv-<suffix>`.
      name: `${boundedName([env.name, 'kv'], { max: 17 })}-${suffix}`,
      resourceGroupName,
      location,
      tenantId: props.tenantId,
      skuName: 'standard',
      rbacAuthorizationEnabled: true,
      // Soft delete is always on; purge protection keeps a deleted prod vault (and its secrets) recoverable.
      purgeProtectionEnabled: env.prod,
      softDeleteRetentionDays: env.prod ? 90 : 7,
      tags,
    });
    this.identity = new UserAssignedIdentity(this, 'identity', { name: `${stem}-api`, resourceGroupName, location, tags });
    this.readerRole = new RoleAssignment(this, 'identity-reads-secrets', {
      scope: this.vault.id,
      roleDefinitionName: 'Key Vault Secrets User',
      principalId: this.identity.principalId,
      principalType: 'ServicePrincipal',
      description: 'flagstack API: read its own secrets',
    });
    this.writerRole = new RoleAssignment(this, 'deployer-writes-secrets', {
      scope: this.vault.id,
      roleDefinitionName: 'Key Vault Secrets Officer',
      principalId: props.deployerObjectId,
      description: 'flagstack deployer: write the generated secrets and placeholders',
    });
  }

  /** The vault secret behind a source: generated ones carry their value, referenced ones start as placeholders. */
  secretFor(source: SecretSource): KeyVaultSecret {
    const key = secretKey(source);
    const existing = this.secrets.get(key);
    if (existing) return existing;
    const value = this.props.generated.generatedValue(source);
    if (value !== undefined) return this.add(key, GENERATED_SECRET_NAMES[key], value);
    if (source.kind !== 'reference') throw new Error(`no value for secret ${key}`);
    if (Object.values(GENERATED_SECRET_NAMES).includes(source.secretName)) {
      throw new Error(`the secret name ${source.secretName} is used by the stack itself; choose another name in the config`);
    }
    return this.add(key, source.secretName, PLACEHOLDER_VALUE, true);
  }

  /** A secret the stack renders (e.g. appdynamics.cfg), stored under `name`. */
  addSecret(name: string, value: string): KeyVaultSecret {
    return this.add(`stack:${name}`, name, value);
  }

  private add(key: string, name: string, value: string, placeholder = false): KeyVaultSecret {
    const secret = new KeyVaultSecret(this, `secret-${name}`, {
      name,
      keyVaultId: this.vault.id,
      value,
      contentType: placeholder ? PLACEHOLDER_CONTENT_TYPE : 'flagstack: generated',
      dependsOn: [this.writerRole],
      lifecycle: placeholder ? { ignoreChanges: ['value', 'content_type'] } : undefined,
      tags: this.props.context.tags,
    });
    this.secrets.set(key, secret);
    return secret;
  }
}
