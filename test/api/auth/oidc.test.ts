// OIDC sign-in end to end against a real OpenID provider (oidc-provider in a child process): a browser starts at
// /api/v1/auth/oidc/<name>/login/, signs in at the provider, comes back to the callback and ends with a working session
// on GET /api/v1/auth/session/ — and every way of tampering with that journey is refused without a session: a wrong
// state, a callback in another browser or without the binding cookie, a replayed callback, a wrong nonce, another
// issuer, an expired ID token, an unverified email that matches an account, a first login with signup off, and any OIDC
// login while LOCK_LOGIN_TO points elsewhere. On every database.
import { createServer } from 'node:http';
import { sql } from 'kysely';
import { hashSecret } from '../../../api/src/auth/keys';
import { insertUser } from '../../../api/src/store/repositories/users';
import { clearClientCache } from '../../../api/src/services/oidc/client';
import { loadConfig } from '../../../api/src/config';
import { createApiRuntime, loggerOptions } from '../../../api/src/runtimes/bootstrap';
import { createTestDatabase, enginesUnderTest } from '../../support/databases';
import { startTestApi, type TestApi } from '../../support/harness';
import { APP_ORIGIN, Browser, startTestIdp, type TestIdp } from '../../support/oidc-idp';

const ENCRYPTION_KEY = 'a'.repeat(64);
const CLIENT_ID = 'flagstack-test';
const CLIENT_SECRET = 'idp-client-secret-value-123';
const callbackOf = (name: string) => `${APP_ORIGIN}/api/v1/auth/oidc/${name}/callback/`;
const NAMES = ['okta', 'corp', 'corp-nosignup', 'liar', 'misspelt'];

const ACCOUNTS = {
  alice: { email: 'alice@example.com', email_verified: true, given_name: 'Alice', family_name: 'Liddell' },
  bob: { email: 'bob@example.com', email_verified: true, given_name: 'Bob', family_name: 'Builder' },
  // Claims the address of an existing account without the provider vouching for it.
  mallory: { email: 'victim@example.com', email_verified: false, given_name: 'Mallory' },
  newbie: { email: 'newbie@example.com', email_verified: true },
  carol: { email: 'carol@example.com', email_verified: true },
};

let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp({
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: NAMES.map(callbackOf) }],
    accounts: ACCOUNTS,
  });
}, 30_000);
afterAll(async () => idp?.close());

/** Starts a login in `browser`, signs in at the provider as `account`, and answers the callback URL (not yet opened). */
async function throughProvider(browser: Browser, name: string, account: string, tamper?: (authorize: URL) => void, next?: string): Promise<string> {
  const start = await browser.get(`/api/v1/auth/oidc/${name}/login/${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  expect([start.status, start.body]).toEqual([302, '']);
  const authorize = new URL(start.location!);
  authorize.searchParams.set('login_hint', account);
  tamper?.(authorize);
  return browser.follow(authorize.href, (url) => url.startsWith(callbackOf(name)));
}

function sessionCookieOf(browser: Browser): string | undefined {
  return browser.cookies('localhost:8000').get('__Host-flagstack');
}

async function whoAmI(api: TestApi, browser: Browser): Promise<{ status: number; email?: string }> {
  const session = sessionCookieOf(browser);
  const res = await api.app.inject({ method: 'GET', url: '/api/v1/auth/session/', headers: { host: 'localhost:8000', ...(session ? { cookie: `__Host-flagstack=${session}` } : {}) } });
  return { status: res.statusCode, email: res.statusCode === 200 ? res.json().user.email : undefined };
}

describe.each(enginesUnderTest())('OIDC sign-in against oidc-provider on %s', (engine) => {
  let api: TestApi;
  let orgId: number;
  const db = () => api.runtime.store.db as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const identitiesOf = async (provider: string) =>
    (await db().selectFrom('user_identities').select(['subject', 'user_id']).where('provider', '=', provider).orderBy('subject').execute()) as Array<{ subject: string; user_id: number }>;
  const userByEmail = async (email: string) => db().selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  const flows = async () => Number((await db().selectFrom('auth_flows').select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n); // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    clearClientCache();
    api = await startTestApi(engine, {
      env: {
        OIDC_OKTA_ISSUER: idp.issuer,
        OIDC_OKTA_CLIENT_ID: CLIENT_ID,
        OIDC_OKTA_CLIENT_SECRET: CLIENT_SECRET,
        ALLOW_SIGNUP: 'true',
        FLAGSTACK_ENCRYPTION_KEY: ENCRYPTION_KEY,
      },
    });
    orgId = (await api.admin('POST', '/api/v1/organisations/', { name: 'SSO org' })).id;
    await api.admin('POST', '/api/v1/auth/oidc/providers/', {
      name: 'corp', issuer: idp.issuer, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, allow_signup: true, organisation: orgId, groups_claim: 'groups', scopes: ['openid', 'email', 'profile', 'groups'],
    });
    await api.admin('POST', '/api/v1/auth/oidc/providers/', { name: 'corp-nosignup', issuer: idp.issuer, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, allow_signup: false });
    await insertUser(api.runtime.store.db, api.runtime.store.traits, { email: 'victim@example.com', passwordHash: null, firstName: 'Vic', lastName: 'Tim' });
    await insertUser(api.runtime.store.db, api.runtime.store.traits, { email: 'bob@example.com', passwordHash: null, firstName: 'Bob', lastName: 'Before' });
  }, 120_000);
  afterAll(async () => api?.close());

  test('a first login through an env-configured provider creates the account and ends with a working session', async () => {
    const browser = new Browser(api.app);
    const start = await browser.get('/api/v1/auth/oidc/okta/login/');
    expect(start.status).toBe(302);
    const authorize = new URL(start.location!);
    expect(authorize.origin).toBe(idp.issuer);
    // code flow with PKCE S256, state and nonce, and our callback as redirect_uri
    expect(Object.fromEntries(['response_type', 'code_challenge_method', 'redirect_uri', 'client_id'].map((k) => [k, authorize.searchParams.get(k)]))).toEqual({
      response_type: 'code', code_challenge_method: 'S256', redirect_uri: callbackOf('okta'), client_id: CLIENT_ID,
    });
    for (const k of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(k)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // the binding cookie: HttpOnly, SameSite=Lax, short-lived; the flow row holds its hash, keyed by the state's hash
    const binding = start.setCookies.find((c) => c.startsWith('__Host-flagstack-oidc='))!;
    expect(binding).toMatch(/; Path=\/; SameSite=Lax; Max-Age=600; HttpOnly; Secure$/);
    const flow = await db().selectFrom('auth_flows').selectAll().where('key_hash', '=', hashSecret(authorize.searchParams.get('state')!)).executeTakeFirst();
    expect(flow.payload).toContain(hashSecret(browser.cookies('localhost:8000').get('__Host-flagstack-oidc')!));
    expect(flow.payload).not.toContain(browser.cookies('localhost:8000').get('__Host-flagstack-oidc'));

    authorize.searchParams.set('login_hint', 'alice');
    const callback = await browser.follow(authorize.href, (url) => url.startsWith(callbackOf('okta')));
    expect(new URL(callback).searchParams.get('iss')).toBe(idp.issuer);
    const done = await browser.get(callback);
    expect([done.status, done.location]).toEqual([302, `${APP_ORIGIN}/`]);
    expect(done.setCookies.find((c) => c.startsWith('__Host-flagstack='))).toMatch(/HttpOnly; Secure$/);
    expect(await whoAmI(api, browser)).toEqual({ status: 200, email: 'alice@example.com' });
    const alice = await userByEmail('alice@example.com');
    expect([alice.first_name, alice.last_name, alice.password_hash]).toEqual(['Alice', 'Liddell', null]);
    expect(await identitiesOf('oidc:okta')).toEqual([{ subject: 'alice', user_id: alice.id }]);
    const audit = await db().selectFrom('audit_log').select(['action', 'log']).where('action', '=', 'login').where('resource_id', '=', String(alice.id)).execute();
    expect(audit.map((a: { log: string }) => a.log)).toEqual(['Session login (oidc:okta): alice@example.com']);
  });

  test('a database-configured provider (secret stored encrypted) signs in, links a verified email, joins its organisation and syncs groups', async () => {
    const org = { id: orgId };
    const ops = await api.admin('POST', `/api/v1/organisations/${org.id}/groups/`, { name: 'Ops', external_id: 'ops' });
    const dev = await api.admin('POST', `/api/v1/organisations/${org.id}/groups/`, { name: 'Dev', external_id: 'dev' });
    await idp.setAccounts({ bob: { ...ACCOUNTS.bob, groups: ['ops', 'unknown'] } });
    const bob = await userByEmail('bob@example.com');
    // a membership the groups claim no longer names: removed at sign-in
    await db().insertInto('user_group_members').values({ group_id: dev.id, user_id: bob.id, group_admin: false }).execute();
    const browser = new Browser(api.app);
    const done = await browser.get(await throughProvider(browser, 'corp', 'bob', undefined, '/projects?x=1#y'));
    expect([done.status, done.location]).toEqual([302, `${APP_ORIGIN}/projects?x=1#y`]);
    expect(await whoAmI(api, browser)).toEqual({ status: 200, email: 'bob@example.com' });
    // the existing account, linked (its email is verified), with the provider's names
    expect(await identitiesOf('oidc:corp')).toEqual([{ subject: 'bob', user_id: bob.id }]);
    expect((await userByEmail('bob@example.com')).last_name).toBe('Builder');
    const members = await db().selectFrom('organisation_users').select(['role']).where('organisation_id', '=', org.id).where('user_id', '=', bob.id).execute();
    expect(members).toEqual([{ role: 'USER' }]);
    const groups = await db().selectFrom('user_group_members').select('group_id').where('user_id', '=', bob.id).execute();
    expect(groups.map((g: { group_id: number }) => g.group_id)).toEqual([ops.id]);
  });

  test('a return path is only ever a path on this site', async () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      const browser = new Browser(api.app);
      const done = await browser.get(await throughProvider(browser, 'okta', 'alice', undefined, next));
      expect([next, done.location]).toEqual([next, `${APP_ORIGIN}/`]);
    }
  });

  test('a callback with a state nobody issued is refused, and the real flow stays usable', async () => {
    const browser = new Browser(api.app);
    const callback = new URL(await throughProvider(browser, 'okta', 'alice'));
    const forged = new URL(callback);
    forged.searchParams.set('state', 'x'.repeat(43));
    const res = await browser.get(forged.href);
    expect([res.status, res.location]).toEqual([302, `${APP_ORIGIN}/login?error=invalid_state`]);
    expect(sessionCookieOf(browser)).toBeUndefined();
    const missing = new URL(callback);
    missing.searchParams.delete('state');
    expect((await browser.get(missing.href)).location).toBe(`${APP_ORIGIN}/login?error=invalid_state`);
    expect((await browser.get(callback.href)).location).toBe(`${APP_ORIGIN}/`);
  });

  test('a callback opened without the binding cookie, or in another browser (login CSRF), is refused', async () => {
    // The attacker signs in at the provider as themselves and hands the callback URL to a victim.
    const attacker = new Browser(api.app);
    const callback = await throughProvider(attacker, 'okta', 'alice');
    const victim = new Browser(api.app);
    await victim.get('/api/v1/auth/oidc/okta/login/'); // the victim's browser has a binding cookie of its own
    expect(victim.cookies('localhost:8000').get('__Host-flagstack-oidc')).toBeDefined();
    const foreign = await victim.get(callback);
    expect([foreign.status, foreign.location]).toEqual([302, `${APP_ORIGIN}/login?error=browser_mismatch`]);
    expect(sessionCookieOf(victim)).toBeUndefined();

    const other = new Browser(api.app);
    const callback2 = await throughProvider(other, 'okta', 'alice');
    other.cookies('localhost:8000').delete('__Host-flagstack-oidc');
    const bare = await other.get(callback2);
    expect(bare.location).toBe(`${APP_ORIGIN}/login?error=browser_mismatch`);
    expect(sessionCookieOf(other)).toBeUndefined();
  });

  test('a replayed callback is refused: the flow is consumed by the first one', async () => {
    const browser = new Browser(api.app);
    const callback = await throughProvider(browser, 'okta', 'alice');
    const before = await flows();
    expect((await browser.get(callback)).location).toBe(`${APP_ORIGIN}/`);
    expect(await flows()).toBe(before - 1);
    const sessions = Number((await sql<{ n: number }>`select count(*) as n from sessions`.execute(db())).rows[0]!.n);
    const replay = await browser.get(callback);
    expect([replay.status, replay.location, replay.setCookies.filter((c) => c.startsWith('__Host-flagstack='))]).toEqual([302, `${APP_ORIGIN}/login?error=invalid_state`, []]);
    expect(Number((await sql<{ n: number }>`select count(*) as n from sessions`.execute(db())).rows[0]!.n)).toBe(sessions);
  });

  test('an ID token whose nonce is not the one saved for the flow is refused', async () => {
    const browser = new Browser(api.app);
    const callback = await throughProvider(browser, 'okta', 'alice', (authorize) => authorize.searchParams.set('nonce', 'n'.repeat(43)));
    const res = await browser.get(callback);
    expect(res.location).toBe(`${APP_ORIGIN}/login?error=token_rejected`);
    expect(sessionCookieOf(browser)).toBeUndefined();
  });

  test('another issuer is refused: in the authorization response, in the discovery document, and in the ID token', async () => {
    // (1) the callback names another issuer (RFC 9207 mix-up defence)
    const browser = new Browser(api.app);
    const callback = new URL(await throughProvider(browser, 'okta', 'alice'));
    callback.searchParams.set('iss', 'https://evil.example');
    expect((await browser.get(callback.href)).location).toBe(`${APP_ORIGIN}/login?error=token_rejected`);
    expect(sessionCookieOf(browser)).toBeUndefined();

    // (2) a provider whose discovery document names another issuer than the configured one is not used at all
    await api.admin('POST', '/api/v1/auth/oidc/providers/', { name: 'misspelt', issuer: idp.issuer.replace('127.0.0.1', 'localhost'), client_id: CLIENT_ID, client_secret: CLIENT_SECRET, allow_signup: true });
    const start = await new Browser(api.app).get('/api/v1/auth/oidc/misspelt/login/');
    expect(start.location).toBe(`${APP_ORIGIN}/login?error=provider_unavailable`);

    // (3) a metadata document that calls itself another issuer while pointing at the real endpoints: the ID token's
    // `iss` (the real provider) is not the configured issuer, even with no `iss` in the authorization response
    const real = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const liar = createServer((req, res) => {
      const doc: Record<string, unknown> = { ...real, issuer: `http://127.0.0.1:${(liar.address() as { port: number }).port}` };
      delete doc.authorization_response_iss_parameter_supported;
      res.writeHead(req.url === '/.well-known/openid-configuration' ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    try {
      await api.admin('POST', '/api/v1/auth/oidc/providers/', { name: 'liar', issuer: `http://127.0.0.1:${(liar.address() as { port: number }).port}`, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, allow_signup: true });
      const b = new Browser(api.app);
      const cb = new URL(await throughProvider(b, 'liar', 'carol'));
      cb.searchParams.delete('iss');
      expect((await b.get(cb.href)).location).toBe(`${APP_ORIGIN}/login?error=token_rejected`);
      expect(sessionCookieOf(b)).toBeUndefined();
      expect(await userByEmail('carol@example.com')).toBeUndefined();
    } finally {
      liar.closeAllConnections();
      liar.close();
    }
  });

  test('an expired ID token is refused', async () => {
    const browser = new Browser(api.app);
    const callback = await throughProvider(browser, 'okta', 'alice');
    // The provider issues the tokens two hours in the past: the ID token expired an hour ago.
    await idp.setClockOffset(-7200);
    try {
      const res = await browser.get(callback);
      expect(res.location).toBe(`${APP_ORIGIN}/login?error=token_rejected`);
    } finally {
      await idp.setClockOffset(0);
    }
    expect(sessionCookieOf(browser)).toBeUndefined();
  });

  test('an unverified email is never linked to the existing account that has it', async () => {
    const victim = await userByEmail('victim@example.com');
    for (const name of ['okta', 'corp-nosignup']) {
      const browser = new Browser(api.app);
      const res = await browser.get(await throughProvider(browser, name, 'mallory'));
      expect([name, res.location]).toEqual([name, `${APP_ORIGIN}/login?error=email_unverified`]);
      expect(sessionCookieOf(browser)).toBeUndefined();
      expect(await identitiesOf(`oidc:${name}`).then((ids) => ids.filter((i) => i.subject === 'mallory'))).toEqual([]);
    }
    expect(await db().selectFrom('user_identities').select('id').where('user_id', '=', victim.id).execute()).toEqual([]);
    const refused = await db().selectFrom('audit_log').select('log').where('action', '=', 'login_failed').execute();
    expect(refused.map((r: { log: string }) => r.log)).toContain('Refused oidc:okta sign-in for victim@example.com: email_unverified');
  });

  test('with signup off, a first login creates no account', async () => {
    const browser = new Browser(api.app);
    const res = await browser.get(await throughProvider(browser, 'corp-nosignup', 'newbie'));
    expect(res.location).toBe(`${APP_ORIGIN}/login?error=no_account`);
    expect(await userByEmail('newbie@example.com')).toBeUndefined();
    expect(await identitiesOf('oidc:corp-nosignup')).toEqual([]);
    expect(sessionCookieOf(browser)).toBeUndefined();
  });

  test('clients that ask for JSON get JSON instead of redirects', async () => {
    const browser = new Browser(api.app);
    const start = await api.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/okta/login/', headers: { host: 'localhost:8000', accept: 'application/json' } });
    expect(start.statusCode).toBe(200);
    expect(new URL(start.json().authorization_url).origin).toBe(idp.issuer);
    const unknown = await api.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/nope/login/', headers: { host: 'localhost:8000', accept: 'application/json' } });
    expect([unknown.statusCode, unknown.json().error]).toEqual([404, 'unknown_provider']);
    const callback = await throughProvider(browser, 'okta', 'alice');
    const done = await browser.get(callback, { accept: 'application/json' });
    expect([done.status, JSON.parse(done.body).user.email, JSON.parse(done.body).return_to]).toEqual([200, 'alice@example.com', '/']);
    const replay = await browser.get(callback, { accept: 'application/json' });
    expect([replay.status, JSON.parse(replay.body).error]).toEqual([400, 'invalid_state']);
  });

  test('the login screen lists env and database providers', async () => {
    const res = await api.request('GET', '/api/v1/auth/providers/');
    const oidc = res.json().providers.filter((p: { type: string }) => p.type === 'oidc');
    expect(oidc.map((p: { id: string; login_url: string }) => [p.id, p.login_url])).toEqual(
      expect.arrayContaining([
        ['oidc:okta', '/api/v1/auth/oidc/okta/login/'],
        ['oidc:corp', '/api/v1/auth/oidc/corp/login/'],
      ]),
    );
  });
});

describe('LOCK_LOGIN_TO and OIDC (SQLite)', () => {
  let api: TestApi;
  afterEach(async () => api?.close());

  test('LOCK_LOGIN_TO=saml refuses OIDC before the provider is contacted or any flow saved, on both legs', async () => {
    api = await startTestApi('sqlite', { env: { OIDC_OKTA_ISSUER: idp.issuer, OIDC_OKTA_CLIENT_ID: CLIENT_ID, OIDC_OKTA_CLIENT_SECRET: CLIENT_SECRET, ALLOW_SIGNUP: 'true', LOCK_LOGIN_TO: 'saml' } });
    const browser = new Browser(api.app);
    const start = await browser.get('/api/v1/auth/oidc/okta/login/');
    expect([start.status, start.location, start.setCookies]).toEqual([302, `${APP_ORIGIN}/login?error=login_locked`, []]);
    const db = api.runtime.store.db as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(await db.selectFrom('auth_flows').select('id').execute()).toEqual([]);
    const callback = await browser.get('/api/v1/auth/oidc/okta/callback/?code=abc&state=def');
    expect(callback.location).toBe(`${APP_ORIGIN}/login?error=login_locked`);
    expect((await api.request('GET', '/api/v1/auth/providers/')).json().providers.filter((p: { type: string }) => p.type === 'oidc')).toEqual([]);
  });

  test('a database provider can be the lock target: only it is offered and only it signs in', async () => {
    api = await startTestApi('sqlite', {
      env: { OIDC_OKTA_ISSUER: idp.issuer, OIDC_OKTA_CLIENT_ID: CLIENT_ID, OIDC_OKTA_CLIENT_SECRET: CLIENT_SECRET, LOCK_LOGIN_TO: 'oidc:corp', FLAGSTACK_ENCRYPTION_KEY: ENCRYPTION_KEY },
    });
    await api.admin('POST', '/api/v1/auth/oidc/providers/', { name: 'corp', issuer: idp.issuer, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, allow_signup: true });
    const listed = (await api.request('GET', '/api/v1/auth/providers/')).json();
    expect([listed.locked_to, listed.providers.map((p: { id: string }) => p.id)]).toEqual(['oidc:corp', ['oidc:corp']]);
    const browser = new Browser(api.app);
    expect((await browser.get('/api/v1/auth/oidc/okta/login/')).location).toBe(`${APP_ORIGIN}/login?error=login_locked`);
    expect((await browser.get(await throughProvider(browser, 'corp', 'alice'))).location).toBe(`${APP_ORIGIN}/`);
    expect(await whoAmI(api, browser)).toEqual({ status: 200, email: 'alice@example.com' });
  });
});

describe('what the log keeps of OIDC sign-ins (SQLite)', () => {
  test('refusals name the failed check; no line carries an authorization code, a state, a token or the client secret', async () => {
    const lines: string[] = [];
    const database = await createTestDatabase('sqlite');
    const config = loadConfig({
      DATABASE_URL: database.url, LOG_LEVEL: 'info', OIDC_OKTA_ISSUER: idp.issuer, OIDC_OKTA_CLIENT_ID: CLIENT_ID, OIDC_OKTA_CLIENT_SECRET: CLIENT_SECRET, ALLOW_SIGNUP: 'true',
    });
    const runtime = await createApiRuntime(config, { logger: { ...(loggerOptions(config) as object), stream: { write: (line: string) => lines.push(line) } } });
    const secrets: string[] = [CLIENT_SECRET];
    try {
      const remember = (callback: string) => {
        const url = new URL(callback);
        secrets.push(url.searchParams.get('code')!, url.searchParams.get('state')!);
        return callback;
      };
      const ok = new Browser(runtime.app);
      expect((await ok.get(remember(await throughProvider(ok, 'okta', 'alice')))).location).toBe(`${APP_ORIGIN}/`);
      secrets.push(sessionCookieOf(ok)!, ok.cookies('localhost:8000').get('__Host-flagstack-oidc')!);
      const nonce = new Browser(runtime.app);
      await nonce.get(remember(await throughProvider(nonce, 'okta', 'alice', (a) => a.searchParams.set('nonce', 'n'.repeat(43)))));
      const expired = new Browser(runtime.app);
      const late = remember(await throughProvider(expired, 'okta', 'alice'));
      await idp.setClockOffset(-7200);
      await expired.get(late).finally(() => idp.setClockOffset(0));
    } finally {
      await runtime.close();
      await database.drop();
    }
    const refusals = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'OIDC sign-in refused');
    expect(refusals.map((l) => [l.provider, l.error, /; claim (\w+)$/.exec(l.detail)?.[1]])).toEqual([
      ['okta', 'token_rejected', 'nonce'],
      ['okta', 'token_rejected', 'exp'],
    ]);
    // the callback's request lines are there, by path only
    expect(lines.some((l) => l.includes('"url":"/api/v1/auth/oidc/okta/callback/"'))).toBe(true);
    expect(secrets.filter((s) => lines.some((l) => l.includes(s)))).toEqual([]);
  });
});
