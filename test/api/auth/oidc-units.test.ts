// The pure parts of OIDC sign-in: the secret box, claim mapping (verified emails only), GitHub's email choice and
// endpoints, issuer and return-path rules.
import { randomBytes } from 'node:crypto';
import { encryptionKeyFrom, open, seal } from '../../../api/src/auth/secret-box';
import { isEmailVerified, mapGithubProfile, mapOidcClaims, DEFAULT_CLAIMS } from '../../../api/src/auth/oidc/claims';
import { entraTenantProblem, githubEndpoints, issuerProblem, safeReturnPath } from '../../../api/src/auth/oidc/client-config';

describe('secret box (AES-256-GCM)', () => {
  const key = randomBytes(32);
  test('opens what it sealed, under the same key and context only; every seal differs', () => {
    const a = seal(key, 'top secret', 'ctx:a');
    expect(seal(key, 'top secret', 'ctx:a')).not.toBe(a);
    expect(open(key, a, 'ctx:a')).toBe('top secret');
    expect(() => open(key, a, 'ctx:b')).toThrow(/does not open/);
    expect(() => open(randomBytes(32), a, 'ctx:a')).toThrow(/another FLAGSTACK_ENCRYPTION_KEY/);
  });
  test('a flipped bit in the ciphertext or tag is detected', () => {
    const parts = seal(key, 'top secret', 'c').split('.');
    for (const i of [3, 4]) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0] ^= 1;
      const tampered = [...parts];
      tampered[i] = bytes.toString('base64url');
      expect(() => open(key, tampered.join('.'), 'c')).toThrow();
    }
  });
  test('the key comes from FLAGSTACK_ENCRYPTION_KEY as hex or base64', () => {
    expect(encryptionKeyFrom('ab'.repeat(32)).length).toBe(32);
    expect(encryptionKeyFrom(randomBytes(32).toString('base64')).length).toBe(32);
    expect(() => encryptionKeyFrom(undefined)).toThrow(/not set/);
    expect(() => encryptionKeyFrom('short')).toThrow(/32 bytes/);
  });
});

describe('claim mapping', () => {
  test('an email is verified only when the provider says so', () => {
    expect(isEmailVerified({ email_verified: true })).toBe(true);
    expect(isEmailVerified({ email_verified: 'true' })).toBe(true);
    expect(isEmailVerified({ email_verified: false, xms_edov: true })).toBe(false);
    expect(isEmailVerified({ xms_edov: true })).toBe(true);
    expect(isEmailVerified({})).toBe(false);
    expect(isEmailVerified({ email_verified: 'yes please' })).toBe(false);
  });
  test('configurable claim names, dotted paths, groups as a list', () => {
    const claims = { sub: 's1', upn: 'a@corp.example', email_verified: true, gn: ' Ann ', realm: { roles: ['ops', 7, 'dev'] } };
    expect(mapOidcClaims(claims, { email: 'upn', firstName: 'gn', lastName: 'sn', groups: 'realm.roles' })).toEqual({
      subject: 's1', email: 'a@corp.example', emailVerified: true, firstName: 'Ann', lastName: undefined, groups: ['ops', 'dev'],
    });
    expect(mapOidcClaims({ sub: 's2', email_verified: true }, DEFAULT_CLAIMS)).toMatchObject({ email: undefined, emailVerified: false });
  });
  test('GitHub: the primary address, verified or not said so', () => {
    const user = { id: 42, login: 'x', name: 'Ada King Lovelace' };
    expect(mapGithubProfile(user, [{ email: 'old@x.io', primary: false, verified: true }, { email: 'ada@x.io', primary: true, verified: true }])).toEqual({
      subject: '42', email: 'ada@x.io', emailVerified: true, firstName: 'Ada', lastName: 'King Lovelace',
    });
    expect(mapGithubProfile(user, [{ email: 'ada@x.io', primary: true, verified: false }, { email: 'v@x.io', primary: false, verified: true }])).toMatchObject({ email: 'ada@x.io', emailVerified: false });
    expect(mapGithubProfile({ login: 'no-id' }, [])).toMatchObject({ subject: '', email: undefined, emailVerified: false });
  });
});

describe('provider URLs and return paths', () => {
  test('GitHub endpoints: github.com uses api.github.com; Enterprise Server its /api/v3', () => {
    expect(githubEndpoints('https://github.com')).toEqual({ authorize: 'https://github.com/login/oauth/authorize', token: 'https://github.com/login/oauth/access_token', api: 'https://api.github.com' });
    expect(githubEndpoints('https://ghe.corp.example/')).toEqual({ authorize: 'https://ghe.corp.example/login/oauth/authorize', token: 'https://ghe.corp.example/login/oauth/access_token', api: 'https://ghe.corp.example/api/v3' });
  });
  test('issuers are https (http on loopback only), without credentials, query or fragment; Entra needs a tenant', () => {
    expect(issuerProblem('https://corp.okta.com/oauth2/default')).toBeUndefined();
    expect(issuerProblem('http://127.0.0.1:4000')).toBeUndefined();
    expect(issuerProblem('http://idp.example.com')).toMatch(/https/);
    expect(issuerProblem('https://u:p@idp.example.com')).toMatch(/credentials/);
    expect(issuerProblem('not a url')).toMatch(/absolute/);
    for (const t of ['common', 'organizations', 'consumers']) expect(entraTenantProblem(`https://login.microsoftonline.com/${t}/v2.0`)).toMatch(/tenant/);
    expect(entraTenantProblem('https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0')).toBeUndefined();
  });
  test('a return path is a path on this site, or /', () => {
    expect(safeReturnPath('/projects/1?tab=x#y')).toBe('/projects/1?tab=x#y');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', '\\\\evil', 'javascript:alert(1)', '/a\nb', '', undefined, 42, '/'.padEnd(600, 'a')]) {
      expect([bad, safeReturnPath(bad)]).toEqual([bad, '/']);
    }
    // percent-escapes stay escaped: no header can be injected through Location
    expect(safeReturnPath('/%0d%0aSet-Cookie:x')).toBe('/%0d%0aSet-Cookie:x');
  });
});
