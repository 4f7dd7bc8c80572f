// Cookie sessions of the admin UI (AUTH-NOTES.md §5): cookie flags, CSRF on unsafe cookie requests only, Origin
// checks, rotation, idle and absolute expiry, logout, and the login-providers list — on every database.
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApi, type TestApi } from '../../support/harness';
import { enginesUnderTest } from '../../support/databases';
import { csrfTokenFor, parseCookies } from '../../../api/src/auth/sessions';

const HOST = 'localhost:8000';
const ORIGIN = 'http://localhost:8000';

function setCookies(res: LightMyRequestResponse): string[] {
  const raw = res.headers['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
}

function cookieNamed(res: LightMyRequestResponse, name: string): string | undefined {
  return setCookies(res).find((c) => c.startsWith(`${name}=`));
}

function valueOf(setCookie: string | undefined): string {
  return setCookie?.split(';')[0]!.split('=').slice(1).join('=') ?? '';
}

interface Browser {
  session: string;
  csrf: string;
  cookie: string;
}

describe.each(enginesUnderTest())('cookie sessions on %s', (engine) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(engine, { env: { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '8' } });
  });
  afterAll(async () => api?.close());

  const call = (method: string, url: string, headers: Record<string, string> = {}, body?: unknown) =>
    api.app.inject({
      method: method as never,
      url,
      headers: { host: HOST, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });

  async function login(extra: Record<string, string> = {}): Promise<Browser> {
    const res = await call('POST', '/api/v1/auth/session/', { origin: ORIGIN, ...extra }, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(res.statusCode).toBe(200);
    const session = valueOf(cookieNamed(res, '__Host-flagstack'));
    const csrf = valueOf(cookieNamed(res, '__Host-csrf'));
    return { session, csrf, cookie: `__Host-flagstack=${session}; __Host-csrf=${csrf}` };
  }

  test('login sets an HttpOnly, Secure, SameSite=Lax __Host- session cookie and a readable CSRF cookie', async () => {
    const res = await call('POST', '/api/v1/auth/session/', { origin: ORIGIN }, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const session = cookieNamed(res, '__Host-flagstack')!;
    const csrf = cookieNamed(res, '__Host-csrf')!;
    expect(session).toMatch(/^__Host-flagstack=[A-Za-z0-9_-]{43}; Path=\/; SameSite=Lax; Max-Age=28800; HttpOnly; Secure$/);
    expect(csrf).toMatch(/^__Host-csrf=[A-Za-z0-9_-]{43}; Path=\/; SameSite=Lax; Max-Age=28800; Secure$/);
    expect(session).not.toMatch(/Domain=/i);
    const body = res.json();
    expect(body.user).toMatchObject({ email: ADMIN_EMAIL, is_superuser: true });
    expect(body.csrf_token).toBe(valueOf(csrf));
    expect(body.csrf_token).toBe(csrfTokenFor(valueOf(session)));
    expect(body.idle_timeout_seconds).toBe(1800);
    expect(new Date(body.expires_at).getTime()).toBeGreaterThan(Date.now() + 7.9 * 3_600_000);
  });

  test('the database keeps only a hash of the session id', async () => {
    const b = await login();
    const rows = await sql<{ key_hash: string }>`select key_hash from sessions`.execute(api.runtime.store.db);
    expect(rows.rows.length).toBeGreaterThan(0);
    expect(rows.rows.some((r) => r.key_hash.trim() === b.session)).toBe(false);
    expect(rows.rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash.trim()))).toBe(true);
  });

  test('wrong credentials: 400 with one message, and no cookie', async () => {
    const res = await call('POST', '/api/v1/auth/session/', { origin: ORIGIN }, { email: ADMIN_EMAIL, password: 'wrong password here' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
    expect(setCookies(res)).toEqual([]);
    const missing = await call('POST', '/api/v1/auth/session/', { origin: ORIGIN }, { password: 'x' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({ email: ['This field is required.'] });
  });

  test('login from another origin is refused', async () => {
    const res = await call('POST', '/api/v1/auth/session/', { origin: 'https://evil.example' }, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(setCookies(res)).toEqual([]);
  });

  test('GET session answers the user and the CSRF token; without a cookie 401', async () => {
    const b = await login();
    const res = await call('GET', '/api/v1/auth/session/', { cookie: b.cookie });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { email: ADMIN_EMAIL }, csrf_token: b.csrf });
    expect((await call('GET', '/api/v1/auth/session/')).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/auth/users/me/', { cookie: b.cookie })).json()).toMatchObject({ email: ADMIN_EMAIL });
  });

  test('safe admin requests need no CSRF token; unsafe ones need the right one', async () => {
    const b = await login();
    expect((await call('GET', '/api/v1/organisations/', { cookie: b.cookie })).statusCode).toBe(200);

    const create = (headers: Record<string, string>) => call('POST', '/api/v1/organisations/', headers, { name: 'Via cookie' });
    const none = await create({ cookie: b.cookie, origin: ORIGIN });
    expect(none.statusCode).toBe(403);
    expect(none.json().detail).toMatch(/CSRF token missing/);
    const wrong = await create({ cookie: b.cookie, origin: ORIGIN, 'x-csrf-token': 'A'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().detail).toMatch(/CSRF token incorrect/);
    // The header alone is not enough: the CSRF cookie must be there too (double submit).
    const noCookie = await create({ cookie: `__Host-flagstack=${b.session}`, origin: ORIGIN, 'x-csrf-token': b.csrf });
    expect(noCookie.statusCode).toBe(403);
    // A token of another session does not fit this one.
    const other = await login();
    const crossed = await create({ cookie: `__Host-flagstack=${b.session}; __Host-csrf=${other.csrf}`, origin: ORIGIN, 'x-csrf-token': other.csrf });
    expect(crossed.statusCode).toBe(403);

    const ok = await create({ cookie: b.cookie, origin: ORIGIN, 'x-csrf-token': b.csrf });
    expect(ok.statusCode).toBe(201);
    // Without Origin (a non-browser client or an old browser) the token still suffices.
    expect((await create({ cookie: b.cookie, 'x-csrf-token': b.csrf })).statusCode).toBe(201);
  });

  test('a wrong Origin or a cross-site Sec-Fetch-Site is refused even with the token', async () => {
    const b = await login();
    const create = (headers: Record<string, string>) => call('POST', '/api/v1/organisations/', { cookie: b.cookie, 'x-csrf-token': b.csrf, ...headers }, { name: 'x' });
    const evil = await create({ origin: 'https://evil.example' });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().detail).toMatch(/Origin https:\/\/evil.example is not allowed/);
    expect((await create({ origin: 'null' })).statusCode).toBe(403);
    expect((await create({ origin: 'http://localhost:8001' })).statusCode).toBe(403);
    expect((await create({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await create({ 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    expect((await create({ 'sec-fetch-site': 'same-origin', origin: ORIGIN })).statusCode).toBe(201);
  });

  test('Authorization-header calls are exempt from CSRF, even when a session cookie is present', async () => {
    const b = await login();
    const res = await call('POST', '/api/v1/organisations/', { cookie: b.cookie, authorization: `Token ${api.adminToken}`, origin: 'https://elsewhere.example' }, { name: 'Token org' });
    expect(res.statusCode).toBe(201);
  });

  test('logout needs the CSRF token, deletes the session and clears both cookies', async () => {
    const b = await login();
    const refused = await call('DELETE', '/api/v1/auth/session/', { cookie: b.cookie, origin: ORIGIN });
    expect(refused.statusCode).toBe(403);
    expect((await call('GET', '/api/v1/auth/session/', { cookie: b.cookie })).statusCode).toBe(200);

    const res = await call('DELETE', '/api/v1/auth/session/', { cookie: b.cookie, origin: ORIGIN, 'x-csrf-token': b.csrf });
    expect(res.statusCode).toBe(204);
    expect(cookieNamed(res, '__Host-flagstack')).toMatch(/^__Host-flagstack=; Path=\/; SameSite=Lax; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure$/);
    expect(cookieNamed(res, '__Host-csrf')).toMatch(/^__Host-csrf=; .*Max-Age=0/);
    expect((await call('GET', '/api/v1/auth/session/', { cookie: b.cookie })).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/organisations/', { cookie: b.cookie })).statusCode).toBe(401);
    // Logging out without a session is harmless.
    expect((await call('DELETE', '/api/v1/auth/session/')).statusCode).toBe(204);
  });

  test('a login rotates the session: the id the browser had before stops working', async () => {
    const first = await login();
    const second = await login({ cookie: first.cookie });
    expect(second.session).not.toBe(first.session);
    expect((await call('GET', '/api/v1/auth/session/', { cookie: first.cookie })).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/auth/session/', { cookie: second.cookie })).statusCode).toBe(200);
  });

  test('idle expiry and absolute expiry end a session', async () => {
    const db = api.runtime.store.db as never as import('kysely').Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const hash = (await import('../../../api/src/auth/sessions')).sessionKeyHash;

    const idle = await login();
    expect((await call('GET', '/api/v1/organisations/', { cookie: idle.cookie })).statusCode).toBe(200);
    await db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('key_hash', '=', hash(idle.session)).execute();
    const expired = await call('GET', '/api/v1/organisations/', { cookie: idle.cookie });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().detail).toMatch(/session has expired/);
    // GET session also clears the stale cookies.
    const probe = await call('GET', '/api/v1/auth/session/', { cookie: idle.cookie });
    expect(probe.statusCode).toBe(401);
    expect(cookieNamed(probe, '__Host-flagstack')).toMatch(/Max-Age=0/);

    // Activity keeps a session alive: last seen 29 minutes ago is still within the idle window, and it is refreshed.
    const active = await login();
    await db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 29 * 60_000) }).where('key_hash', '=', hash(active.session)).execute();
    expect((await call('GET', '/api/v1/organisations/', { cookie: active.cookie })).statusCode).toBe(200);
    const row = await db.selectFrom('sessions').select('last_seen_at').where('key_hash', '=', hash(active.session)).executeTakeFirstOrThrow();
    expect(Date.now() - new Date(row.last_seen_at).getTime()).toBeLessThan(60_000);

    const absolute = await login();
    await db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('key_hash', '=', hash(absolute.session)).execute();
    expect((await call('GET', '/api/v1/organisations/', { cookie: absolute.cookie })).statusCode).toBe(401);
  });

  test('a deactivated user loses their sessions', async () => {
    const org = (await call('POST', '/api/v1/organisations/', { authorization: `Token ${api.adminToken}` }, { name: 'Members' })).json();
    const email = `member-${engine}@example.com`;
    const password = 'member-password-long-enough';
    const added = await call('POST', `/api/v1/organisations/${org.id}/users/`, { authorization: `Token ${api.adminToken}` }, { email, password, role: 'USER' });
    expect(added.statusCode).toBe(201);
    const res = await call('POST', '/api/v1/auth/session/', { origin: ORIGIN }, { email, password });
    expect(res.statusCode).toBe(200);
    const cookie = `__Host-flagstack=${valueOf(cookieNamed(res, '__Host-flagstack'))}`;
    expect((await call('GET', '/api/v1/auth/session/', { cookie })).json().user).toMatchObject({ email, is_superuser: false });
    await sql`update users set is_active = ${false} where email = ${email}`.execute(api.runtime.store.db);
    expect((await call('GET', '/api/v1/organisations/', { cookie })).statusCode).toBe(401);
  });

  test('a new password (flagstack create-admin on an existing account) ends that user\'s sessions', async () => {
    const b = await login();
    expect((await call('GET', '/api/v1/auth/session/', { cookie: b.cookie })).statusCode).toBe(200);
    const { createAdmin } = await import('../../../api/src/services/users');
    await createAdmin(api.runtime.store, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await call('GET', '/api/v1/auth/session/', { cookie: b.cookie })).statusCode).toBe(401);
  });

  test('over plain http on a non-loopback host the cookies lose the __Host- prefix and Secure; https reads only __Host-', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/session/',
      headers: { host: 'flags.internal:8000', origin: 'http://flags.internal:8000', 'content-type': 'application/json' },
      payload: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    expect(res.statusCode).toBe(200);
    const session = cookieNamed(res, 'flagstack_session')!;
    expect(session).toMatch(/; HttpOnly$/);
    expect(session).not.toMatch(/Secure/);
    expect(cookieNamed(res, '__Host-flagstack')).toBeUndefined();
    const cookies = parseCookies(setCookies(res).map((c) => c.split(';')[0]).join('; '));
    // The same secret under the plain name is not read by a loopback (secure) request.
    const asSecure = await call('GET', '/api/v1/auth/session/', { cookie: `flagstack_session=${cookies.get('flagstack_session')}` });
    expect(asSecure.statusCode).toBe(401);
  });

  test('ids that are not session-shaped are ignored', async () => {
    const res = await call('GET', '/api/v1/organisations/', { cookie: `__Host-flagstack=${'x'.repeat(5000)}` });
    expect(res.statusCode).toBe(401);
  });
});

describe('login providers and LDAP settings', () => {
  const engine = enginesUnderTest()[0]!;

  test('password only by default', async () => {
    const api = await startTestApi(engine);
    try {
      const res = await api.request('GET', '/api/v1/auth/providers/');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ providers: [{ id: 'password', type: 'password', label: 'Email and password' }], locked_to: null, break_glass_password: false });
      const ldap = await api.admin('GET', '/api/v1/auth/ldap/settings/');
      expect(ldap.enabled).toBe(false);
    } finally {
      await api.close();
    }
  });

  test('LDAP and OIDC providers when configured; LOCK_LOGIN_TO narrows the list; LDAP settings are masked', async () => {
    const api = await startTestApi(engine, {
      env: {
        LDAP_AUTH_URL: 'ldaps://ldap.example.com:636',
        LDAP_AUTH_CONNECTION_USERNAME: 'cn=flagstack,dc=example,dc=com',
        LDAP_AUTH_CONNECTION_PASSWORD: 'bind-secret-value',
        OIDC_GOOGLE_CLIENT_ID: 'client-id.apps.example',
        LOCK_LOGIN_TO: 'ldap',
      },
    });
    try {
      const res = (await api.request('GET', '/api/v1/auth/providers/')).json();
      expect(res).toEqual({ providers: [{ id: 'ldap', type: 'ldap', label: 'LDAP directory' }], locked_to: 'ldap', break_glass_password: true });

      const ldap = await api.admin('GET', '/api/v1/auth/ldap/settings/');
      expect(ldap.enabled).toBe(true);
      const byKey = Object.fromEntries(ldap.settings.map((s: { key: string; value: string }) => [s.key, s]));
      expect(byKey.url).toMatchObject({ value: 'ldaps://ldap.example.com:636', variables: ['LDAP_AUTH_URL'] });
      expect(byKey.connectionPassword.value).toBe('********');
      expect(JSON.stringify(ldap)).not.toContain('bind-secret-value');

      // Superusers keep password login as the break-glass; LDAP is tried, and this directory does not exist: 503
      // (test/api/auth/ldap-login.test.ts signs in against a real one).
      const ok = await api.request('POST', '/api/v1/auth/session/', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
      expect(ok.statusCode).toBe(200);
      const viaLdap = await api.request('POST', '/api/v1/auth/session/', { body: { provider: 'ldap', username: 'alice', password: 'pw' } });
      expect(viaLdap.statusCode).toBe(503);
      expect(viaLdap.json().detail).toMatch(/^The LDAP directory is unavailable/);
    } finally {
      await api.close();
    }
  });

  test('OIDC providers come with a login URL', async () => {
    const api = await startTestApi(engine, { env: { OIDC_GOOGLE_CLIENT_ID: 'client-id.apps.example' } });
    try {
      const res = (await api.request('GET', '/api/v1/auth/providers/')).json();
      expect(res.providers).toContainEqual({ id: 'oidc:google', type: 'oidc', label: 'Google', login_url: '/api/v1/auth/oidc/google/login/' });
    } finally {
      await api.close();
    }
  });

  test('members cannot read the LDAP settings', async () => {
    const api = await startTestApi(engine);
    try {
      const org = await api.admin('POST', '/api/v1/organisations/', { name: 'O' });
      await api.admin('POST', `/api/v1/organisations/${org.id}/users/`, { email: 'm@example.com', password: 'member-password-long-enough', role: 'ADMIN' });
      const login = (await api.request('POST', '/api/v1/auth/login/', { body: { email: 'm@example.com', password: 'member-password-long-enough' } })).json();
      expect((await api.request('GET', '/api/v1/auth/ldap/settings/', { token: login.key })).statusCode).toBe(403);
    } finally {
      await api.close();
    }
  });
});
