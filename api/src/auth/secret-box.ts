// Secrets kept in the database (OIDC client secrets now; LDAP bind passwords and SAML keys may follow): AES-256-GCM
// under FLAGSTACK_ENCRYPTION_KEY (AUTH-NOTES.md §5). A sealed value is `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url
// parts), where the key id is the first 8 hex characters of the key's SHA-256: a value sealed under another key is
// named as such instead of failing as "corrupt". The caller's `context` (e.g. `oidc_provider:okta-corp`) is
// authenticated data, so a sealed value copied into another row or column does not open there.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { decodeEncryptionKey } from '../config/formats';

export class SecretBoxError extends Error {}

const VERSION = 'v1';

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The 32-byte key from FLAGSTACK_ENCRYPTION_KEY's text; throws when missing or malformed. */
export function encryptionKeyFrom(raw: string | undefined): Buffer {
  if (!raw) throw new SecretBoxError('FLAGSTACK_ENCRYPTION_KEY is not set: secrets cannot be stored in the database.');
  const key = decodeEncryptionKey(raw);
  if (!key) throw new SecretBoxError('FLAGSTACK_ENCRYPTION_KEY is not 32 bytes as 64 hex characters or base64.');
  return key;
}

export function seal(key: Buffer, plaintext: string, context: string): string {
  if (key.length !== 32) throw new SecretBoxError('The encryption key must be 32 bytes.');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, keyIdOf(key), iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
}

export function open(key: Buffer, sealed: string, context: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('The stored secret is not in a known format.');
  const [, keyId, iv, body, tag] = parts as [string, string, string, string, string];
  if (keyId !== keyIdOf(key)) throw new SecretBoxError(`The stored secret was sealed under another FLAGSTACK_ENCRYPTION_KEY (key id ${keyId}); set it again.`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('The stored secret does not open under this key and context (altered, or moved from another record).');
  }
}
