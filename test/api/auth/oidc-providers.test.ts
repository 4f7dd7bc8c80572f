// OIDC providers added through the admin API (/api/v1/auth/oidc/providers/): CRUD by name with strict field errors,
// the client secret stored sealed (AES-256-GCM) and never returned or audited, account links dropped when the issuer
// changes or the provider goes, and every change audited — on every database. Who may call these routes is proved by
// the permission matrix (test/api/rbac).
import { open } from '../../../api/src/auth/secret-box';
import { enginesUnderTest } from '../../support/databases';
import { startTestApi, type TestApi } from '../../support/harness';

const KEY_HEX = '0123456789abcdef'.repeat(4);
const SECRET = 'the-client-secret-that-must-not-leak';
const base = '/api/v1/auth/oidc/providers/';

describe.each(enginesUnderTest())('OIDC provider admin API on %s', (engine) => {
  let api: TestApi;
  const db = () => api.runtime.store.db as any; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    api = await startTestApi(engine, { env: { FLAGSTACK_ENCRYPTION_KEY: KEY_HEX } });
  }, 120_000);
  afterAll(async () => api?.close());

  test('create, read, list, change and delete; the secret is write-only everywhere', async () => {
    const org = await api.admin('POST', '/api/v1/organisations/', { name: 'Entra org' });
    const created = await api.admin('POST', base, {
      name: 'entra',
      issuer: 'https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0',
      client_id: 'app-id',
      client_secret: SECRET,
      scopes: ['openid', 'email', 'profile'],
      email_claim: 'preferred_username',
      groups_claim: 'groups',
      organisation: org.id,
      allow_signup: true,
    });
    expect(created).toMatchObject({
      name: 'entra', kind: 'oidc', client_id: 'app-id', client_secret_configured: true, email_claim: 'preferred_username', first_name_claim: 'given_name',
      groups_claim: 'groups', organisation: org.id, allow_signup: true, login_url: '/api/v1/auth/oidc/entra/login/', callback_path: '/api/v1/auth/oidc/entra/callback/',
    });
    expect('client_secret' in created).toBe(false);
    const one = await api.admin('GET', `${base}entra/`);
    const list = await api.admin('GET', base);
    for (const body of [created, one, list]) expect(JSON.stringify(body)).not.toContain(SECRET);
    expect(list.map((p: { name: string }) => p.name)).toEqual(['entra']);

    // stored sealed under the key, bound to this provider's name
    const row = await db().selectFrom('oidc_providers').select('client_secret').where('name', '=', 'entra').executeTakeFirst();
    expect(row.client_secret).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row.client_secret).not.toContain(SECRET);
    expect(open(Buffer.from(KEY_HEX, 'hex'), row.client_secret, 'oidc_provider:entra:client_secret')).toBe(SECRET);
    expect(() => open(Buffer.from(KEY_HEX, 'hex'), row.client_secret, 'oidc_provider:other:client_secret')).toThrow();

    const changed = await api.admin('PATCH', `${base}entra/`, { allow_signup: false, client_secret: null, groups_claim: null });
    expect([changed.allow_signup, changed.client_secret_configured, changed.groups_claim, changed.client_id]).toEqual([false, false, null, 'app-id']);
    await api.admin('PATCH', `${base}entra/`, { client_secret: 'a-new-secret' });
    expect((await api.admin('GET', `${base}entra/`)).client_secret_configured).toBe(true);

    await api.admin('DELETE', `${base}entra/`);
    expect((await api.request('GET', `${base}entra/`, { token: api.adminToken })).statusCode).toBe(404);

    const audit = await db().selectFrom('audit_log').select(['action', 'log', 'before_json', 'after_json', 'organisation_id']).where('resource_type', '=', 'oidc_provider').orderBy('id').execute();
    expect(audit.map((a: { action: string; log: string }) => [a.action, a.log])).toEqual([
      ['create', 'OIDC provider added: entra'],
      ['update', 'OIDC provider changed: entra (client secret removed)'],
      ['update', 'OIDC provider changed: entra (client secret replaced)'],
      ['delete', 'OIDC provider removed: entra'],
    ]);
    expect(audit[0].organisation_id).toBe(org.id);
    expect(JSON.parse(audit[0].after_json).client_secret_configured).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(JSON.stringify(audit)).not.toContain('a-new-secret');
  });

  test('field errors: name, reserved names, duplicates, issuer, Entra multi-tenant, scopes, organisation, unknown fields, renames', async () => {
    const post = (body: unknown) => api.request('POST', base, { token: api.adminToken, body });
    const ok = { name: 'okta-corp', issuer: 'https://corp.okta.com', client_id: 'c' };
    const cases: Array<[unknown, string, RegExp]> = [
      [{ ...ok, name: 'Has Spaces' }, 'name', /pattern|must match/],
      [{ ...ok, name: 'google' }, 'name', /reserved/],
      [{ ...ok, name: 'providers' }, 'name', /reserved/],
      [{ ...ok, issuer: 'http://idp.example.com' }, 'issuer', /https/],
      [{ ...ok, issuer: 'https://idp.example.com/?x=1' }, 'issuer', /query/],
      [{ ...ok, issuer: 'https://login.microsoftonline.com/common/v2.0' }, 'issuer', /tenant/],
      [{ ...ok, issuer: undefined }, 'issuer', /required/],
      [{ ...ok, scopes: ['openid', 'bad"scope'] }, 'scopes', /not a valid scope/],
      [{ ...ok, organisation: 999999 }, 'organisation', /does not exist/],
      [{ ...ok, client_secret_configured: true }, 'client_secret_configured', /./],
      [{ ...ok, kind: 'saml' }, 'kind', /./],
      [{ ...ok, client_id: '' }, 'client_id', /./],
    ];
    for (const [body, field, message] of cases) {
      const res = await post(body);
      expect([field, res.statusCode]).toEqual([field, 400]);
      expect([field, (res.json()[field] ?? []).join(' ')]).toEqual([field, expect.stringMatching(message)]);
    }
    await api.admin('POST', base, ok);
    const dup = await post(ok);
    expect([dup.statusCode, dup.json().name]).toEqual([400, ['A provider named "okta-corp" exists.']]);
    const rename = await api.request('PATCH', `${base}okta-corp/`, { token: api.adminToken, body: { name: 'other' } });
    expect([rename.statusCode, rename.json().name]).toEqual([400, [expect.stringMatching(/cannot be renamed/)]]);
    const github = await api.admin('POST', base, { name: 'ghe', kind: 'github', client_id: 'gh' });
    expect([github.issuer, github.scopes]).toEqual(['https://github.com', ['read:user', 'user:email']]);
    // an OIDC provider always asks for the openid scope
    expect((await api.admin('PATCH', `${base}okta-corp/`, { scopes: ['email'] })).scopes).toEqual(['openid', 'email']);
    expect((await api.request('GET', `${base}nope/`, { token: api.adminToken })).statusCode).toBe(404);
    expect((await api.request('GET', base)).statusCode).toBe(401);
  });

  test('links made through a provider go when its issuer changes or it is removed', async () => {
    await api.admin('POST', base, { name: 'moving', issuer: 'https://a.example.com', client_id: 'c' });
    const user = await api.admin('GET', '/api/v1/auth/users/me/');
    const link = () => db().insertInto('user_identities').values({ user_id: user.id, provider: 'oidc:moving', subject: 'same-sub', created_at: new Date(), last_login_at: null }).execute();
    const links = async () => (await db().selectFrom('user_identities').select('id').where('provider', '=', 'oidc:moving').execute()).length;
    await link();
    await api.admin('PATCH', `${base}moving/`, { allow_signup: true });
    expect(await links()).toBe(1);
    await api.admin('PATCH', `${base}moving/`, { issuer: 'https://b.example.com' });
    expect(await links()).toBe(0);
    await link();
    await api.admin('DELETE', `${base}moving/`);
    expect(await links()).toBe(0);
  });
});

describe('OIDC providers without FLAGSTACK_ENCRYPTION_KEY (SQLite)', () => {
  test('a client secret cannot be stored, and says which variable is missing; a public client can', async () => {
    const api = await startTestApi('sqlite');
    try {
      const res = await api.request('POST', base, { token: api.adminToken, body: { name: 'x', issuer: 'https://idp.example.com', client_id: 'c', client_secret: 's' } });
      expect([res.statusCode, res.json().client_secret]).toEqual([400, [expect.stringMatching(/FLAGSTACK_ENCRYPTION_KEY is not set/)]]);
      expect((await api.admin('POST', base, { name: 'x', issuer: 'https://idp.example.com', client_id: 'c' })).client_secret_configured).toBe(false);
    } finally {
      await api.close();
    }
  });
});
