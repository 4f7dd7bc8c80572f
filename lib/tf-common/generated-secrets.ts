// The secrets a stack generates (issue 5, item 5): the database password, the API's encryption key and, with
// auth.adminEmail, the first admin's password. Each value goes straight from a random_* resource into the cloud's
// secret store (and the database password also into the database itself); nothing else may reference it — the
// policy FS-SEC3 checks exactly that on the synthesized JSON. The values live in the Terraform state, which is why
// the state belongs in an encrypted remote backend (docs/azure.md, docs/gcp.md).
import { Construct } from 'constructs';
import { Id } from '@cdktf/provider-random/lib/id';
import { Password } from '@cdktf/provider-random/lib/password';
import type { SecretSource } from '../common/api-environment';

/** Characters that need no escaping in a URL, a shell or a connection string, and that every engine accepts. */
const SAFE_SPECIALS = '-_.~';

export class GeneratedSecrets extends Construct {
  readonly databasePassword: Password;
  readonly encryptionKey: Id;
  private adminPassword?: Password;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.databasePassword = new Password(this, 'database-password', {
      length: 32,
      special: true,
      overrideSpecial: SAFE_SPECIALS,
      minUpper: 2,
      minLower: 2,
      minNumeric: 2,
      minSpecial: 1,
    });
    // 32 random bytes as 64 hex characters: the form FLAGSTACK_ENCRYPTION_KEY takes.
    this.encryptionKey = new Id(this, 'encryption-key', { byteLength: 32 });
  }

  /** The value of a generated source, as a Terraform reference; undefined for sources the platform team provides. */
  generatedValue(source: SecretSource): string | undefined {
    if (source.kind === 'database-password') return this.databasePassword.result;
    if (source.kind !== 'generated') return undefined;
    if (source.purpose === 'encryption-key') return this.encryptionKey.hex;
    this.adminPassword ??= new Password(this, 'admin-password', {
      length: 24,
      special: true,
      overrideSpecial: SAFE_SPECIALS,
      minUpper: 2,
      minLower: 2,
      minNumeric: 2,
      minSpecial: 1,
    });
    return this.adminPassword.result;
  }
}
