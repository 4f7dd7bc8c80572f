// GitHub sign-in is OAuth2, not OIDC (no discovery, no ID token): flagstack builds the configuration by hand (authorize,
// access_token), then reads GET /user and GET /user/emails and takes the email that is primary AND verified. Tested
// against an in-process server shaped like GitHub Enterprise Server (OIDC_GITHUB_ISSUER is its base URL; the REST API
// under /api/v3), on every database.
import { enginesUnderTest } from '../../support/databases';
import { startTestApi, type TestApi } from '../../support/harness';
import { insertUser } from '../../../api/src/store/repositories/users';
import { clearClientCache } from '../../../api/src/services/oidc/client';
import { APP_ORIGIN, Browser, startFakeGithub, type FakeGithub } from '../../support/oidc-idp';

const CLIENT_ID = 'Iv1.flagstacktest';
const CLIENT_SECRET = 'github-client-secret-0123456789';
const CALLBACK = `${APP_ORIGIN}/api/v1/auth/oidc/github/callback/`;

let github: FakeGithub;

beforeAll(async () => {
  github = await startFakeGithub({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    accounts: [
      { id: 1001, login: 'octocat', name: 'Mona Lisa Octocat', emails: [
        { email: 'octo-old@example.com', primary: false, verified: true },
        { email: 'octocat@example.com', primary: true, verified: true },
      ] },
      // The primary address is not verified; a verified secondary one belongs to an existing flagstack account.
      { id: 1002, login: 'sneaky', emails: [
        { email: 'owner@example.com', primary: true, verified: false },
        { email: 'sneaky@example.com', primary: false, verified: true },
      ] },
      { id: 1003, login: 'hubber', name: 'Hub Ber', emails: [{ email: 'Owner@Example.com', primary: true, verified: true }] },
    ],
  });
});
afterAll(async () => github?.close());

describe.each(enginesUnderTest())('GitHub OAuth2 sign-in against a GitHub-shaped server on %s', (engine) => {
  let api: TestApi;

  beforeAll(async () => {
    clearClientCache();
    api = await startTestApi(engine, {
      env: { OIDC_GITHUB_ISSUER: github.baseUrl, OIDC_GITHUB_CLIENT_ID: CLIENT_ID, OIDC_GITHUB_CLIENT_SECRET: CLIENT_SECRET, ALLOW_SIGNUP: 'true' },
    });
    await insertUser(api.runtime.store.db, api.runtime.store.traits, { email: 'owner@example.com', passwordHash: null });
  }, 120_000);
  afterAll(async () => api?.close());

  const db = () => api.runtime.store.db as any; // eslint-disable-line @typescript-eslint/no-explicit-any

  async function signIn(login: string): Promise<{ browser: Browser; location?: string; authorize: URL }> {
    const browser = new Browser(api.app);
    const start = await browser.get('/api/v1/auth/oidc/github/login/');
    expect(start.status).toBe(302);
    const authorize = new URL(start.location!);
    authorize.searchParams.set('login', login);
    const callback = await browser.follow(authorize.href, (url) => url.startsWith(CALLBACK));
    const done = await browser.get(callback);
    return { browser, location: done.location, authorize };
  }

  test('the authorize request goes to the configured GitHub with PKCE and state, and no OpenID nonce', async () => {
    const browser = new Browser(api.app);
    const start = await browser.get('/api/v1/auth/oidc/github/login/');
    const authorize = new URL(start.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${github.baseUrl}/login/oauth/authorize`);
    expect([authorize.searchParams.get('client_id'), authorize.searchParams.get('scope'), authorize.searchParams.get('redirect_uri'), authorize.searchParams.get('code_challenge_method')]).toEqual([
      CLIENT_ID, 'read:user user:email', CALLBACK, 'S256',
    ]);
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.has('nonce')).toBe(false);
  });

  test('signs in with the primary verified email, the numeric id as subject, and a working session', async () => {
    const { browser, location } = await signIn('octocat');
    expect(location).toBe(`${APP_ORIGIN}/`);
    const session = browser.cookies('localhost:8000').get('__Host-flagstack')!;
    const me = await api.app.inject({ method: 'GET', url: '/api/v1/auth/session/', headers: { host: 'localhost:8000', cookie: `__Host-flagstack=${session}` } });
    expect([me.statusCode, me.json().user.email]).toEqual([200, 'octocat@example.com']);
    const user = await db().selectFrom('users').selectAll().where('email', '=', 'octocat@example.com').executeTakeFirst();
    expect([user.first_name, user.last_name]).toEqual(['Mona', 'Lisa Octocat']);
    const links = await db().selectFrom('user_identities').select(['provider', 'subject']).where('user_id', '=', user.id).execute();
    expect(links).toEqual([{ provider: 'oidc:github', subject: '1001' }]);
    // the code was redeemed with the client secret in the body, the redirect URI and the PKCE verifier
    const request = github.tokenRequests.at(-1)!;
    expect([request.client_id, request.client_secret, request.redirect_uri, request.grant_type]).toEqual([CLIENT_ID, CLIENT_SECRET, CALLBACK, 'authorization_code']);
    expect(request.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('an unverified primary email never links to the account that has it (a verified secondary one is not used)', async () => {
    const owner = await db().selectFrom('users').selectAll().where('email', '=', 'owner@example.com').executeTakeFirst();
    const { browser, location } = await signIn('sneaky');
    expect(location).toBe(`${APP_ORIGIN}/login?error=email_unverified`);
    expect(browser.cookies('localhost:8000').get('__Host-flagstack')).toBeUndefined();
    expect(await db().selectFrom('user_identities').select('id').where('user_id', '=', owner.id).execute()).toEqual([]);
    expect(await db().selectFrom('users').select('id').where('email', '=', 'sneaky@example.com').execute()).toEqual([]);
  });

  test('a verified primary email links the existing account (matched without regard to case)', async () => {
    const owner = await db().selectFrom('users').selectAll().where('email', '=', 'owner@example.com').executeTakeFirst();
    expect((await signIn('hubber')).location).toBe(`${APP_ORIGIN}/`);
    expect(await db().selectFrom('user_identities').select(['provider', 'subject']).where('user_id', '=', owner.id).execute()).toEqual([{ provider: 'oidc:github', subject: '1003' }]);
  });

  test('a callback whose state was not issued is refused before any code is redeemed', async () => {
    const before = github.tokenRequests.length;
    const browser = new Browser(api.app);
    const start = await browser.get('/api/v1/auth/oidc/github/login/');
    const authorize = new URL(start.location!);
    authorize.searchParams.set('login', 'octocat');
    const callback = new URL(await browser.follow(authorize.href, (url) => url.startsWith(CALLBACK)));
    callback.searchParams.set('state', 'forged-state-value-forged-state-value-xxxxx');
    expect((await browser.get(callback.href)).location).toBe(`${APP_ORIGIN}/login?error=invalid_state`);
    expect(github.tokenRequests.length).toBe(before);
  });

  test('a code GitHub refuses (its error comes as 200 with an `error` field) ends in an error, not a session', async () => {
    const browser = new Browser(api.app);
    const start = await browser.get('/api/v1/auth/oidc/github/login/');
    const authorize = new URL(start.location!);
    authorize.searchParams.set('login', 'octocat');
    const callback = new URL(await browser.follow(authorize.href, (url) => url.startsWith(CALLBACK)));
    callback.searchParams.set('code', 'not-a-code-github-issued');
    const res = await browser.get(callback.href);
    expect(res.location).toBe(`${APP_ORIGIN}/login?error=token_rejected`);
    expect(browser.cookies('localhost:8000').get('__Host-flagstack')).toBeUndefined();
  });
});
