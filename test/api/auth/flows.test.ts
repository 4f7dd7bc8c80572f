// One-time state of redirect sign-ins (services/sign-in/flows.ts) on every database: consumed exactly once, even by
// concurrent callbacks; a key presented to the wrong kind or provider neither answers nor burns the flow; an expired
// flow answers nothing.
import { consumeFlow, saveFlow } from '../../../api/src/services/sign-in/flows';
import { startTestApi, type TestApi } from '../../support/harness';
import { enginesUnderTest } from '../../support/databases';

describe.each(enginesUnderTest())('sign-in flows on %s', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(engine);
  });
  afterAll(async () => api?.close());
  const store = () => api.runtime.store;

  test('a flow is consumed once; concurrent consumers get it exactly once', async () => {
    await saveFlow(store(), 'oidc', 'oidc:okta', 'state-1', { nonce: 'n1' });
    const results = await Promise.all(Array.from({ length: 5 }, () => consumeFlow<{ nonce: string }>(store(), 'oidc', 'oidc:okta', 'state-1')));
    expect(results.filter((r) => r !== undefined)).toEqual([{ nonce: 'n1' }]);
    expect(await consumeFlow(store(), 'oidc', 'oidc:okta', 'state-1')).toBeUndefined();
  });

  test('the wrong kind or provider gets nothing and leaves the flow for its owner', async () => {
    await saveFlow(store(), 'saml', 'saml:acme', 'request-1', { id: 'r1' });
    expect(await consumeFlow(store(), 'oidc', 'saml:acme', 'request-1')).toBeUndefined();
    expect(await consumeFlow(store(), 'saml', 'saml:other', 'request-1')).toBeUndefined();
    expect(await consumeFlow(store(), 'saml', 'saml:acme', 'request-1')).toEqual({ id: 'r1' });
  });

  test('an expired flow answers nothing; unknown and oversized keys answer nothing', async () => {
    await saveFlow(store(), 'oidc', 'oidc:google', 'state-old', { nonce: 'x' }, -1);
    expect(await consumeFlow(store(), 'oidc', 'oidc:google', 'state-old')).toBeUndefined();
    expect(await consumeFlow(store(), 'oidc', 'oidc:google', 'never-saved')).toBeUndefined();
    expect(await consumeFlow(store(), 'oidc', 'oidc:google', 'k'.repeat(600))).toBeUndefined();
  });

  test('only the hash of the key is stored', async () => {
    await saveFlow(store(), 'oidc', 'oidc:okta', 'plain-state-value', {});
    const rows = await store().db.selectFrom('auth_flows' as never).selectAll().execute() as Array<{ key_hash: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('plain-state-value');
  });
});
