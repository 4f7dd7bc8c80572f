// Secret Manager: the secrets the stack generates (database password, encryption key, first admin's password),
// written from random_* straight into secret versions, and the secrets the platform team creates by hand before the
// first deploy (named in the config). Access is granted per secret (secretAccessor on that secret only), never at
// project level. Cloud Run and Cloud Functions reference `latest`, so a new version takes effect on the next
// revision or instance.
import { Construct } from 'constructs';
import { DataGoogleSecretManagerSecretVersion } from '@cdktf/provider-google/lib/data-google-secret-manager-secret-version';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version';
import { secretKey, type SecretSource } from '../tf-common/api-env';
import type { GeneratedSecrets } from '../tf-common/generated-secrets';
import type { GcpContext } from './context';

export interface GcpSecret {
  /** The secret's id (short name) in the project: a reference to the resource when the stack creates it. */
  secretId: string;
  /** The same id as a literal (for construct ids). */
  name: string;
  /** Terraform dependency: the secret's version resource (generated) — references must wait for it. */
  version?: SecretManagerSecretVersion;
}

export class GcpSecretStore extends Construct {
  private readonly secrets = new Map<string, GcpSecret>();
  private readonly grants = new Set<string>();
  /** Every secret-level grant: whatever reads a secret at deploy time (a revision, a function) must wait for them. */
  readonly grantResources: SecretManagerSecretIamMember[] = [];

  constructor(scope: Construct, id: string, private readonly props: { context: GcpContext; generated: GeneratedSecrets }) {
    super(scope, id);
  }

  secretFor(source: SecretSource): GcpSecret {
    const key = secretKey(source);
    const existing = this.secrets.get(key);
    if (existing) return existing;
    const value = this.props.generated.generatedValue(source);
    if (value !== undefined) return this.add(key, `${this.props.context.stem}-${key}`, value);
    if (source.kind !== 'reference') throw new Error(`no value for secret ${key}`);
    const secret = { secretId: source.secretName, name: source.secretName };
    this.secrets.set(key, secret);
    return secret;
  }

  /** A secret the stack renders (e.g. appdynamics.cfg). */
  addSecret(name: string, value: string): GcpSecret {
    return this.add(`stack:${name}`, `${this.props.context.stem}-${name}`, value);
  }

  /** The current value of a secret the platform team made (read at plan time; it lands in the state). */
  currentValue(secretName: string): string {
    const id = `value-${secretName}`;
    const existing = this.node.tryFindChild(id) as DataGoogleSecretManagerSecretVersion | undefined;
    return (existing ?? new DataGoogleSecretManagerSecretVersion(this, id, { secret: secretName })).secretData;
  }

  /** Lets `member` read the secret (secretAccessor on that secret only). */
  grantRead(secret: GcpSecret, member: string, who: string): void {
    const grantId = `${secret.name}|${who}`;
    if (this.grants.has(grantId)) return;
    this.grants.add(grantId);
    const grant = new SecretManagerSecretIamMember(this, `read-${who}-${secret.name}`, {
      secretId: secret.secretId,
      role: 'roles/secretmanager.secretAccessor',
      member,
      dependsOn: secret.version ? [secret.version] : this.props.context.apis,
    });
    this.grantResources.push(grant);
  }

  private add(key: string, secretId: string, value: string): GcpSecret {
    const { labels, apis } = this.props.context;
    const secret = new SecretManagerSecret(this, `secret-${secretId}`, { secretId, replication: { auto: {} }, labels, dependsOn: apis });
    const version = new SecretManagerSecretVersion(this, `version-${secretId}`, { secret: secret.id, secretData: value });
    const out = { secretId: secret.secretId, name: secretId, version };
    this.secrets.set(key, out);
    return out;
  }
}
