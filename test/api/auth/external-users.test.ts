// The local account behind an outside sign-in (services/sign-in/external-users.ts), on every database: found by the
// provider's subject, linked by an email only when the provider vouches for it, created only when allowed and only for
// a vouched address (no squatting), joined to the provider's organisation, refused with a reason code otherwise.
import { SignInRefusedError, signInExternalUser, type ExternalProfile } from '../../../api/src/services/sign-in/external-users';
import { insertUser, findUserByEmail } from '../../../api/src/store/repositories/users';
import { findMembership } from '../../../api/src/store/repositories/organisations';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';
import { idpMetadata, makeKeyPair } from '../../support/saml-idp';
import { enginesUnderTest } from '../../support/databases';

describe.each(enginesUnderTest())('outside sign-in accounts on %s', (engine) => {
  let api: TestApi;
  let fx: Fixture;
  beforeAll(async () => {
    api = await startTestApi(engine, { env: { FLAGSTACK_ENCRYPTION_KEY: 'k'.repeat(43) } });
    fx = await createFixture(api, 'External');
  }, 120_000);
  afterAll(async () => api?.close());
  const store = () => api.runtime.store;
  const profile = (over: Partial<ExternalProfile>): ExternalProfile => ({ method: 'oidc:okta', subject: 'sub-1', emailVerified: true, ...over });
  const refusal = async (p: Promise<unknown>) => {
    const error = await p.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SignInRefusedError);
    return (error as SignInRefusedError).reason;
  };

  test('creates a vouched account, joins the organisation, then finds it again by subject', async () => {
    const created = await signInExternalUser(store(), profile({ subject: 'c-1', email: 'New.Person@Example.com', firstName: 'New' }), { mayCreate: true, organisationId: fx.organisationId });
    expect(created).toMatchObject({ email: 'new.person@example.com', firstName: 'New', authProvider: 'oidc', passwordHash: null });
    expect(await findMembership(store().db, fx.organisationId, created.id)).toBe('USER');
    // The provider changed the person's name and email: the subject still finds the same account; names follow.
    const again = await signInExternalUser(store(), profile({ subject: 'c-1', email: 'renamed@example.com', firstName: 'Renamed' }), { mayCreate: false });
    expect(again.id).toBe(created.id);
    expect(again.firstName).toBe('New'); // the returned record is read before the update
    expect((await findUserByEmail(store().db, 'new.person@example.com'))?.firstName).toBe('Renamed');
  });

  test('links an existing account by a vouched email, never by an unvouched one', async () => {
    const id = await insertUser(store().db, store().traits, { email: 'owner@example.com', passwordHash: null });
    expect(await refusal(signInExternalUser(store(), profile({ subject: 'attacker', email: 'owner@example.com', emailVerified: false }), { mayCreate: true }))).toBe('email_unverified');
    const linked = await signInExternalUser(store(), profile({ subject: 'owner-sub', email: 'owner@example.com' }), { mayCreate: false });
    expect(linked.id).toBe(id);
    const rows = await store().db.selectFrom('user_identities' as never).selectAll().where('user_id' as never, '=', id as never).execute() as Array<{ provider: string; subject: string }>;
    expect(rows.map((r) => [r.provider, r.subject])).toEqual([['oidc:okta', 'owner-sub']]);
  });

  test('never creates an account from an unverified address (it would squat the address for its real owner)', async () => {
    expect(await refusal(signInExternalUser(store(), profile({ subject: 'squat', email: 'ceo@example.com', emailVerified: false }), { mayCreate: true }))).toBe('email_unverified');
    expect(await findUserByEmail(store().db, 'ceo@example.com')).toBeUndefined();
  });

  test('refuses with a reason: no account without signup, no email, disabled account; bad input names its field', async () => {
    expect(await refusal(signInExternalUser(store(), profile({ subject: 'nobody', email: 'nobody@example.com' }), { mayCreate: false }))).toBe('no_account');
    expect(await refusal(signInExternalUser(store(), profile({ subject: 'no-mail' }), { mayCreate: true }))).toBe('no_email');
    const id = await insertUser(store().db, store().traits, { email: 'off@example.com', passwordHash: null });
    await store().db.updateTable('users').set({ is_active: false }).where('id', '=', id).execute();
    expect(await refusal(signInExternalUser(store(), profile({ subject: 'off', email: 'off@example.com' }), { mayCreate: false }))).toBe('account_disabled');
    await expect(signInExternalUser(store(), profile({ subject: ' ' }), { mayCreate: true })).rejects.toMatchObject({ fields: { subject: [expect.any(String)] } });
    await expect(signInExternalUser(store(), profile({ subject: 'x', email: 'not an address' }), { mayCreate: true })).rejects.toMatchObject({ fields: { email: [expect.any(String)] } });
  });

  test('deleting a provider, or the organisation that owns it, removes the account links it made', async () => {
    const links = async (provider: string) =>
      (await store().db.selectFrom('user_identities' as never).selectAll().where('provider' as never, '=', provider as never).execute()).length;
    const org = (await api.admin('POST', '/api/v1/organisations/', { name: 'Provider owner' })).id;
    const cert = makeKeyPair('links-idp').certBody;
    const metadata = idpMetadata({ entityId: 'https://idp.example.test/metadata', ssoUrl: 'https://idp.example.test/sso', certs: [cert] });
    for (const name of ['links-a', 'links-b']) {
      await api.admin('POST', '/api/v1/auth/saml/configuration/', { name, organisation: org, frontend_url: 'https://flags.example.test/', idp_metadata_xml: metadata });
    }
    await api.admin('POST', '/api/v1/auth/oidc/providers/', { name: 'links-oidc', issuer: 'https://login.example.test', client_id: 'c', client_secret: 's', organisation: org, allow_signup: true });
    for (const [method, subject] of [['saml:links-a', 'a@x.example'], ['saml:links-b', 'b@x.example'], ['oidc:links-oidc', 'sub-9']] as const) {
      await signInExternalUser(store(), profile({ method, subject, email: `${subject.replace(/[^a-z0-9]/g, '')}@links.example` }), { mayCreate: true });
    }
    await api.admin('DELETE', '/api/v1/auth/saml/configuration/links-a/');
    expect([await links('saml:links-a'), await links('saml:links-b'), await links('oidc:links-oidc')]).toEqual([0, 1, 1]);
    await api.admin('DELETE', `/api/v1/organisations/${org}/`);
    expect([await links('saml:links-b'), await links('oidc:links-oidc')]).toEqual([0, 0]);
  });
});
