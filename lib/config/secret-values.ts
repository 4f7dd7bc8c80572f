// The deployment config is committed to git and ends up in synthesized templates, so it must never hold a
// secret. Keys that name a secret (password, accessKey, clientSecret, …) and URLs with a password are
// rejected wherever they appear, with a pointer to the secret-reference key to use instead.
import type { RawIssue } from './schema-issues';

/** Secret references end in `Secret` (accessKeySecret, clientSecretSecret) and hold a secret's *name*. */
const SECRET_KEY = /(?:password|passwd|passphrase|pwd|accesskey|secretkey|clientsecret|apikey|privatekey|token|credentials?)$|^secret$/i;
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^@\s/]+@/i;

export function looksLikeSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** The secret-reference keys that exist where `segments` points (for the hint). */
function referenceHint(segments: readonly (string | number)[]): string {
  const names = segments.map(String);
  if (names.includes('appDynamics')) return 'accessKeySecret';
  if (names.includes('oidc')) return 'clientSecretSecret';
  if (names.includes('ldap')) return 'connectionPasswordSecret or syncPasswordSecret';
  return 'a secret reference';
}

export function secretLiteralMessage(segments: readonly (string | number)[]): string {
  return `looks like a secret value; the deployment config must never hold secrets: put it in the platform's secret store and give the secret's name in ${referenceHint(segments)}`;
}

export function findSecretLiterals(value: unknown, segments: (string | number)[] = []): RawIssue[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => findSecretLiterals(item, [...segments, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
      const path = [...segments, key];
      if (looksLikeSecretKey(key)) return [{ segments: path, message: secretLiteralMessage(path) }];
      return findSecretLiterals(child, path);
    });
  }
  if (typeof value === 'string' && URL_WITH_PASSWORD.test(value)) {
    return [{ segments, message: 'contains a URL with a password; the deployment config must never hold secrets' }];
  }
  return [];
}
