// The local account behind an outside sign-in (services/sign-in/external-users.ts), on every database: found by the
// provider's subject, linked by an email only when the provider vouches for it, created only when allowed and only for
// a vouched address (no squatting), joined to the provider's organisation, refused with a reason code otherwise.
import { SignInRefusedError, signInExternalUser, type ExternalProfile } from '../../../api/src/services/sign-in/external-users';
import { insertUser, findUserByEmail } from '../../../api/src/store/repositories/users';
import { findMembership } from '../../../api/src/store/repositories/organisations';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';
import { enginesUnderTest } from '../../support/databases';

describe.each(enginesUnderTest())('outside sign-in accounts on %s', (engine) => {
  let api: TestApi;
  let fx: Fixture;
  beforeAll(async () => {
    api = await startTestApi(engine);
    fx = await createFixture(api, 'External');
  });
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
});
