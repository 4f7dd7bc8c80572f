// Secrets handed to clients: environment keys, user tokens, organisation API keys. High-entropy secrets need no slow
// hash, so the database keeps their SHA-256 and lookups stay O(1); the secret itself is shown once (AUTH-NOTES.md §5).
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

// shortuuid's alphabet, so client keys look like Flagsmith's 22-character keys.
const SHORTUUID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function shortUuid(length = 22): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SHORTUUID_ALPHABET[randomInt(SHORTUUID_ALPHABET.length)];
  return out;
}

/** The public client-side environment key (22 characters). */
export function newClientEnvironmentKey(): string {
  return shortUuid();
}

export const SERVER_KEY_PREFIX = 'ser.';

/** A server-side environment key: `ser.` + 22 characters. */
export function newServerEnvironmentKey(): string {
  return SERVER_KEY_PREFIX + shortUuid();
}

/** A user API token: 40 hex characters, like the DRF tokens Flagsmith's clients expect. */
export function newUserToken(): string {
  return randomBytes(20).toString('hex');
}

/** An organisation API key: `<8-char prefix>.<32-char secret>`, the shape Flagsmith's `Api-Key` keys have. */
export function newOrganisationApiKey(): { key: string; prefix: string } {
  const prefix = shortUuid(8);
  return { key: `${prefix}.${shortUuid(32)}`, prefix };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
