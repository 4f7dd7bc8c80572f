// The first admin account and the key that encrypts per-organisation secrets stored in the database.
import { checkEmail, checkEncryptionKey } from '../formats';
import { envString } from '../env-var';

export const securityVars = {
  ADMIN_EMAIL: envString({
    description: 'Email of the first admin user, created on first start when no user exists.',
    group: 'security',
    configPath: 'admin.email',
    check: checkEmail,
  }),
  ADMIN_PASSWORD: envString({
    description: 'Password of the first admin user (needs ADMIN_EMAIL).',
    group: 'security',
    configPath: 'admin.password',
    secret: true,
  }),
  FLAGSTACK_ENCRYPTION_KEY: envString({
    description:
      'AES-256 key that encrypts secrets stored in the database (OIDC client secrets, LDAP bind passwords, SAML keys): 32 bytes as 64 hex characters or base64.',
    group: 'security',
    configPath: 'encryptionKey',
    secret: true,
    check: checkEncryptionKey,
  }),
};
