// Sign-in hardening (issue 6 items 5 and 6) on every database: login throttling per account and per client address
// (shared through the database, counted atomically), the login lock on every login path with the audited
// break-glass, signup switched off or on, token expiry and revocation, password change and deactivation ending other
// credentials, and the audit rows all of that leaves.
import type { LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../../../api/src/auth/passwords';
import { insertUser } from '../../../api/src/store/repositories/users';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApi, type TestApi } from '../../support/harness';
import { enginesUnderTest } from '../../support/databases';

const PASSWORD = 'a-long-enough-passphrase';
const ORIGIN = 'http://localhost:8000';

function post(api: TestApi, url: string, body: unknown, ip = '127.0.0.1', headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return api.app.inject({ method: 'POST', url, remoteAddress: ip, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
}

const tokenLogin = (api: TestApi, email: string, password: string, ip?: string) => post(api, '/api/v1/auth/login/', { email, password }, ip);
const cookieLogin = (api: TestApi, email: string, password: string, ip?: string) =>
  post(api, '/api/v1/auth/session/', { email, password }, ip, { host: 'localhost:8000', origin: ORIGIN });

async function addPasswordUser(api: TestApi, email: string): Promise<number> {
  const passwordHash = await hashPassword(PASSWORD);
  return insertUser(api.runtime.store.db, api.runtime.store.traits, { email, passwordHash });
}

async function auditLogs(api: TestApi, action: string): Promise<string[]> {
  const rows = await api.runtime.store.db.selectFrom('audit_log').select(['log']).where('action', '=', action).orderBy('id').execute();
  return rows.map((r) => r.log);
}

describe.each(enginesUnderTest())('sign-in hardening on %s', (engine) => {
  describe('throttling per account', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(engine, { env: { LOGIN_FAILURES_PER_ACCOUNT: '3', LOGIN_FAILURES_PER_IP: '0', ALLOW_SIGNUP: 'true' } });
    });
    afterAll(async () => api?.close());

    test('after the free failures the account is delayed: even the right password gets 429 with Retry-After, then works', async () => {
      await addPasswordUser(api, 'slow@example.com');
      for (let i = 0; i < 4; i++) expect((await tokenLogin(api, 'slow@example.com', `wrong-${i}-password`)).statusCode).toBe(400);
      const blocked = await tokenLogin(api, 'slow@example.com', PASSWORD);
      expect(blocked.statusCode).toBe(429);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(2);
      expect(blocked.json()).toEqual({ detail: expect.stringMatching(/too many failed sign-in attempts/i), retry_after: retryAfter });
      // The same account through the cookie login is blocked too: one throttle for every credential path.
      expect((await cookieLogin(api, 'slow@example.com', PASSWORD)).statusCode).toBe(429);
      // Another account from the same address is not affected.
      expect((await tokenLogin(api, ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
      expect((await tokenLogin(api, 'slow@example.com', PASSWORD)).statusCode).toBe(200);
      // The success cleared the account's count: the next failure is an ordinary 400.
      expect((await tokenLogin(api, 'slow@example.com', 'wrong-again-password')).statusCode).toBe(400);
    });

    test('the delay doubles with each further failure', async () => {
      await addPasswordUser(api, 'doubling@example.com');
      const db = api.runtime.store.db;
      const blockedFor = async () => {
        const row = (await db.selectFrom('login_throttle' as never).selectAll().where('bucket' as never, '=', 'account:doubling@example.com' as never).executeTakeFirstOrThrow()) as { failures: number; blocked_until: Date | string };
        return { failures: Number(row.failures), ms: new Date(row.blocked_until).getTime() - Date.now() };
      };
      for (let i = 0; i < 4; i++) await tokenLogin(api, 'doubling@example.com', `wrong-${i}-password`);
      expect((await tokenLogin(api, 'doubling@example.com', 'wrong-x-password')).statusCode).toBe(429); // refused before any check
      const first = await blockedFor();
      expect(first.failures).toBe(4);
      expect(first.ms).toBeGreaterThan(1000);
      expect(first.ms).toBeLessThanOrEqual(2000);
      await new Promise((resolve) => setTimeout(resolve, first.ms + 100));
      expect((await tokenLogin(api, 'doubling@example.com', 'wrong-y-password')).statusCode).toBe(400);
      const second = await blockedFor();
      expect(second.failures).toBe(5);
      expect(second.ms).toBeGreaterThan(3000);
      expect(second.ms).toBeLessThanOrEqual(4000);
    });

    test('concurrent failures are all counted (the counter is incremented atomically in the database)', async () => {
      await api.runtime.store.db.deleteFrom('login_throttle' as never).execute();
      const attempts = await Promise.all(Array.from({ length: 3 }, (_, i) => tokenLogin(api, 'race@example.com', `wrong-${i}-password`)));
      expect(attempts.map((r) => r.statusCode)).toEqual([400, 400, 400]);
      const row = await api.runtime.store.db.selectFrom('login_throttle' as never).selectAll().where('bucket' as never, '=', 'account:race@example.com' as never).executeTakeFirstOrThrow() as { failures: number };
      expect(Number(row.failures)).toBe(3);
    });

    test('failed logins are audited with the address; the throttle does not reveal whether the account exists', async () => {
      await tokenLogin(api, 'nobody@example.com', 'whatever-password', '10.9.8.7');
      const rows = await api.runtime.store.db.selectFrom('audit_log').select(['log', 'ip']).where('action', '=', 'login_failed').execute() as Array<{ log: string; ip: string | null }>;
      expect(rows.some((r) => r.log.includes('nobody@example.com') && r.ip === '10.9.8.7')).toBe(true);
    });
  });

  describe('throttling per client address', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(engine, { env: { LOGIN_FAILURES_PER_ACCOUNT: '0', LOGIN_FAILURES_PER_IP: '4' } });
    });
    afterAll(async () => api?.close());

    test('an address guessing across many accounts is refused for the rest of the minute; other addresses are not', async () => {
      for (let i = 0; i < 5; i++) expect((await tokenLogin(api, `victim${i}@example.com`, 'guess-password-1', '10.0.0.1')).statusCode).toBe(400);
      const refused = await tokenLogin(api, ADMIN_EMAIL, ADMIN_PASSWORD, '10.0.0.1');
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect((await tokenLogin(api, ADMIN_EMAIL, ADMIN_PASSWORD, '10.0.0.2')).statusCode).toBe(200);
    });

    test('signup is refused by default (ALLOW_SIGNUP off)', async () => {
      const res = await post(api, '/api/v1/auth/users/', { email: 'new@example.com', password: PASSWORD });
      expect(res.statusCode).toBe(403);
      expect(res.json().detail).toMatch(/signup is disabled/i);
      expect(await api.runtime.store.db.selectFrom('users').select('id').where('email', '=', 'new@example.com').executeTakeFirst()).toBeUndefined();
    });
  });

  describe('login locked to LDAP', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(engine, { env: { LOCK_LOGIN_TO: 'ldap', LDAP_AUTH_URL: 'ldap://127.0.0.1:9', ALLOW_SIGNUP: 'true' } });
      await addPasswordUser(api, 'member@example.com');
    });
    afterAll(async () => api?.close());

    test('password login of an ordinary user is refused on the token and the cookie paths, after a correct password', async () => {
      for (const res of [await tokenLogin(api, 'member@example.com', PASSWORD), await cookieLogin(api, 'member@example.com', PASSWORD)]) {
        expect(res.statusCode).toBe(403);
        expect(res.json()).toEqual({ detail: 'Sign-in is restricted to ldap on this server.' });
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    test('an instance superuser keeps password login as an audited break-glass', async () => {
      expect((await tokenLogin(api, ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(200);
      expect((await auditLogs(api, 'login')).some((l) => l.includes('break-glass') && l.includes(ADMIN_EMAIL))).toBe(true);
    });

    test('signup is refused even with ALLOW_SIGNUP on', async () => {
      expect((await post(api, '/api/v1/auth/users/', { email: 'x@example.com', password: PASSWORD })).statusCode).toBe(403);
    });

    test('the providers endpoint names the lock', async () => {
      const res = await api.request('GET', '/api/v1/auth/providers/');
      expect(res.json()).toMatchObject({ locked_to: 'ldap', break_glass_password: true });
    });
  });

  describe('accounts, tokens and sessions', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(engine, { env: { ALLOW_SIGNUP: 'true', AUTH_TOKEN_TTL_HOURS: '2' } });
    });
    afterAll(async () => api?.close());

    const me = (token: string) => api.request('GET', '/api/v1/auth/users/me/', { token });

    test('signup creates a password account with a working token that expires after AUTH_TOKEN_TTL_HOURS', async () => {
      const res = await post(api, '/api/v1/auth/users/', { email: 'Signed.Up@Example.com', password: PASSWORD, first_name: 'Sig' });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ email: 'signed.up@example.com', first_name: 'Sig', key: expect.any(String) });
      expect((await me(body.key)).json()).toMatchObject({ email: 'signed.up@example.com', is_superuser: false });
      const token = await api.runtime.store.db.selectFrom('api_tokens').select('expires_at').where('user_id', '=', body.id).executeTakeFirstOrThrow();
      const hours = (new Date(token.expires_at!).getTime() - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(1.9);
      expect(hours).toBeLessThanOrEqual(2);
    });

    test('signup validates: taken email, weak password, bad address — each names its field', async () => {
      expect((await post(api, '/api/v1/auth/users/', { email: 'signed.up@example.com', password: PASSWORD })).json()).toEqual({ email: ['An account with this email already exists.'] });
      expect(Object.keys((await post(api, '/api/v1/auth/users/', { email: 'short@example.com', password: 'short' })).json())).toEqual(['password']);
      expect(Object.keys((await post(api, '/api/v1/auth/users/', { email: 'not-an-address', password: PASSWORD })).json())).toEqual(['email']);
    });

    test('an expired token is refused; logout revokes a token and is audited', async () => {
      await addPasswordUser(api, 'tokens@example.com');
      const a = (await tokenLogin(api, 'tokens@example.com', PASSWORD)).json().key as string;
      const b = (await tokenLogin(api, 'tokens@example.com', PASSWORD)).json().key as string;
      expect((await me(a)).statusCode).toBe(200);
      const user = await api.runtime.store.db.selectFrom('users').select('id').where('email', '=', 'tokens@example.com').executeTakeFirstOrThrow();
      await api.runtime.store.db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', user.id).execute();
      const expired = await me(a);
      expect(expired.statusCode).toBe(401);
      expect(expired.json()).toEqual({ detail: 'Token has expired.' });
      await api.runtime.store.db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() + 3_600_000) }).where('user_id', '=', user.id).execute();
      expect((await api.request('POST', '/api/v1/auth/logout/', { token: b })).statusCode).toBe(204);
      expect((await me(b)).statusCode).toBe(401);
      expect((await me(a)).statusCode).toBe(200);
      expect((await auditLogs(api, 'logout')).some((l) => l.includes('tokens@example.com'))).toBe(true);
    });

    test('a password change keeps the current token, ends every other token and session, and swaps the password', async () => {
      await addPasswordUser(api, 'changer@example.com');
      const current = (await tokenLogin(api, 'changer@example.com', PASSWORD)).json().key as string;
      const other = (await tokenLogin(api, 'changer@example.com', PASSWORD)).json().key as string;
      const cookie = (await cookieLogin(api, 'changer@example.com', PASSWORD)).headers['set-cookie'] as string[];
      const sessionCookie = cookie.map((c) => c.split(';')[0]).join('; ');
      const sessionMe = () => api.app.inject({ method: 'GET', url: '/api/v1/auth/session/', headers: { host: 'localhost:8000', cookie: sessionCookie } });
      expect((await sessionMe()).statusCode).toBe(200);

      const wrong = await api.request('POST', '/api/v1/auth/users/set_password/', { token: current, body: { current_password: 'not-the-password', new_password: 'another-long-passphrase' } });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json()).toEqual({ current_password: ['Incorrect password.'] });
      const weak = await api.request('POST', '/api/v1/auth/users/set_password/', { token: current, body: { current_password: PASSWORD, new_password: 'short' } });
      expect(Object.keys(weak.json())).toEqual(['new_password']);

      const ok = await api.request('POST', '/api/v1/auth/users/set_password/', { token: current, body: { current_password: PASSWORD, new_password: 'another-long-passphrase' } });
      expect(ok.statusCode).toBe(204);
      expect((await me(current)).statusCode).toBe(200);
      expect((await me(other)).statusCode).toBe(401);
      expect((await sessionMe()).statusCode).toBe(401);
      expect((await tokenLogin(api, 'changer@example.com', PASSWORD)).statusCode).toBe(400);
      expect((await tokenLogin(api, 'changer@example.com', 'another-long-passphrase')).statusCode).toBe(200);
      expect((await auditLogs(api, 'update')).some((l) => l.startsWith('Password changed: changer@example.com; 1 token(s) and 1 other session(s)'))).toBe(true);
    });

    test('sign out everywhere else; an instance admin revokes, deactivates and reactivates an account', async () => {
      const id = await addPasswordUser(api, 'managed@example.com');
      const t1 = (await tokenLogin(api, 'managed@example.com', PASSWORD)).json().key as string;
      const t2 = (await tokenLogin(api, 'managed@example.com', PASSWORD)).json().key as string;
      const self = await api.request('POST', '/api/v1/auth/users/me/revoke-sessions/', { token: t1 });
      expect(self.json()).toEqual({ revoked_tokens: 1, revoked_sessions: 0 });
      expect((await me(t1)).statusCode).toBe(200);
      expect((await me(t2)).statusCode).toBe(401);

      // Not for ordinary users: only instance admins act on other accounts.
      expect((await api.request('POST', `/api/v1/users/${id}/deactivate/`, { token: t1 })).statusCode).toBe(403);
      expect(await api.admin('POST', `/api/v1/users/${id}/deactivate/`, undefined, 204)).toBeUndefined();
      expect((await me(t1)).statusCode).toBe(401);
      expect((await tokenLogin(api, 'managed@example.com', PASSWORD)).statusCode).toBe(400);
      await api.admin('POST', `/api/v1/users/${id}/activate/`, undefined, 204);
      const t3 = (await tokenLogin(api, 'managed@example.com', PASSWORD)).json().key as string;
      expect(await api.admin('POST', `/api/v1/users/${id}/revoke-sessions/`, undefined, 201)).toEqual({ revoked_tokens: 1, revoked_sessions: 0 });
      expect((await me(t3)).statusCode).toBe(401);
      expect((await api.request('POST', '/api/v1/users/99999/deactivate/', { token: api.adminToken })).statusCode).toBe(404);
      const adminId = (await me(api.adminToken)).json().id;
      expect((await api.request('POST', `/api/v1/users/${adminId}/deactivate/`, { token: api.adminToken })).json()).toEqual({ is_active: ['You cannot deactivate your own account.'] });
      expect(await auditLogs(api, 'deactivate')).toEqual(['Deactivated managed@example.com']);
    });
  });
});
