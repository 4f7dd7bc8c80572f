// The real Node SDK (flagsmith-nodejs 8.1.2) in remote-evaluation mode against the listening API, on every database:
// environment flags, identity flags with segment and identity overrides, and a multivariate split whose buckets are
// checked one by one against Flagsmith's percentage hash (FLAGSMITH-COMPAT.md §2.6) computed here, independently.
import type { Flagsmith } from 'flagsmith-nodejs';
import { enginesUnderTest } from '../support/databases';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../support/harness';
import { CompatSetup, expectedVariant, mapLimit, nodeClient, percentageHash, SDK_SUITE_FEATURES } from '../support/compat-helpers';

test('the percentage hash written for these tests gives the reference check values', () => {
  expect(percentageHash(['78986', 'test_env_foobar'])).toBe(54.53090618123625);
  expect(percentageHash(['78986', '32103813'])).toBe(49.27985597119424);
  expect(percentageHash(['12345', 'test_env_foobar'])).toBe(51.990398079615915);
});

describe.each(enginesUnderTest())('flagsmith-nodejs remote mode on %s', (engine) => {
  let api: TestApi;
  let fx: Fixture;
  let setup: CompatSetup;
  let clientSdk: Flagsmith;
  let serverSdk: Flagsmith;
  const logs: unknown[][] = [];
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    api = await startTestApi(engine, { listen: true });
    fx = await createFixture(api, 'Remote');
    setup = new CompatSetup(api, fx);
    for (const body of SDK_SUITE_FEATURES) {
      ids[body.name] = (await setup.feature(body)).id;
    }
    const pro = await setup.segment('pro users', [{ operator: 'EQUAL', property: 'plan', value: 'pro' }]);
    await setup.segmentOverride(ids.banner, pro.id, { enabled: true, value: 'welcome, pro' });
    await setup.segmentOverride(ids.max_items, pro.id, { enabled: true, value: 100 });
    await setup.segmentOverride(ids.legacy_mode, pro.id, { enabled: true, value: 'new' });
    await setup.identityOverride('vip-user', ids.banner, { enabled: false, value: 'hello vip' });

    const c = nodeClient(api, fx.environment.api_key);
    const s = nodeClient(api, fx.serverKey);
    clientSdk = c.client;
    serverSdk = s.client;
    logs.push(c.logs, s.logs);
  });

  afterAll(async () => {
    await clientSdk?.close();
    await serverSdk?.close();
    await api?.close();
  });

  test('environment flags with the client key: typed values, a disabled flag, server-key-only features hidden', async () => {
    const flags = await clientSdk.getEnvironmentFlags();
    expect(flags.isFeatureEnabled('banner')).toBe(true);
    expect(flags.getFeatureValue('banner')).toBe('welcome');
    expect(flags.getFeatureValue('max_items')).toBe(42);
    expect(flags.isFeatureEnabled('beta_ui')).toBe(true);
    expect(flags.getFeatureValue('beta_ui')).toBe(false);
    expect(flags.isFeatureEnabled('legacy_mode')).toBe(false);
    expect(flags.getFeatureValue('legacy_mode')).toBe('old');
    // /flags/ serves the control value of a multivariate feature.
    expect(flags.getFeatureValue('checkout')).toBe('control');
    expect(flags.getFlag('banner')).toMatchObject({ featureId: ids.banner, featureName: 'banner', isDefault: false });
    expect(flags.getFlag('secret_sauce')).toMatchObject({ isDefault: true, enabled: false, value: undefined });
    expect(flags.allFlags().map((f) => (f as { featureName: string }).featureName).sort()).toEqual(['banner', 'beta_ui', 'checkout', 'legacy_mode', 'max_items']);
  });

  test('environment flags with the server key include the server-key-only feature', async () => {
    const flags = await serverSdk.getEnvironmentFlags();
    expect(flags.isFeatureEnabled('secret_sauce')).toBe(true);
    expect(flags.getFeatureValue('secret_sauce')).toBe('ketchup');
    expect(flags.allFlags()).toHaveLength(6);
    // And identity flags too: hidden from the client key, served to the server key.
    expect((await clientSdk.getIdentityFlags('someone')).getFlag('secret_sauce').isDefault).toBe(true);
    expect((await serverSdk.getIdentityFlags('someone')).getFeatureValue('secret_sauce')).toBe('ketchup');
  });

  test('identity flags: traits put the identity in a segment whose overrides win; an identity override wins over both', async () => {
    const free = await clientSdk.getIdentityFlags('free-user', { plan: 'free' });
    expect(free.getFeatureValue('banner')).toBe('welcome');
    expect(free.getFeatureValue('max_items')).toBe(42);
    expect(free.isFeatureEnabled('legacy_mode')).toBe(false);

    const pro = await clientSdk.getIdentityFlags('pro-user', { plan: 'pro' });
    expect(pro.getFeatureValue('banner')).toBe('welcome, pro');
    expect(pro.getFeatureValue('max_items')).toBe(100);
    expect(pro.isFeatureEnabled('legacy_mode')).toBe(true);
    expect(pro.getFeatureValue('legacy_mode')).toBe('new');
    expect(pro.getFeatureValue('beta_ui')).toBe(false);

    // The traits were stored: the same identity without traits is still in the segment.
    expect((await clientSdk.getIdentityFlags('pro-user')).getFeatureValue('max_items')).toBe(100);
    // A transient trait is used for evaluation but not stored.
    const once = await clientSdk.getIdentityFlags('trial-user', { plan: { value: 'pro', transient: true } });
    expect(once.getFeatureValue('max_items')).toBe(100);
    expect((await clientSdk.getIdentityFlags('trial-user')).getFeatureValue('max_items')).toBe(42);

    // A transient identity is evaluated but not stored.
    const ghost = await clientSdk.getIdentityFlags('ghost-user', { plan: 'pro' }, true);
    expect(ghost.getFeatureValue('max_items')).toBe(100);
    const found = await api.admin('GET', `/api/v1/environments/${fx.environment.api_key}/identities/?q=${encodeURIComponent('"ghost-user"')}`);
    expect(found.results).toEqual([]);

    const vip = await clientSdk.getIdentityFlags('vip-user', { plan: 'pro' });
    expect(vip.isFeatureEnabled('banner')).toBe(false);
    expect(vip.getFeatureValue('banner')).toBe('hello vip');
    expect(vip.getFeatureValue('max_items')).toBe(100);
  });

  test('a multivariate split over 1,000 identities: every bucket is the hashed one and the counts fit the weights', async () => {
    const state = await setup.defaultState(ids.checkout);
    const options = await setup.options(ids.checkout);
    const valueOf = new Map(options.map((o) => [o.id, o.string_value]));
    const variants = state.multivariate_feature_state_values.map((v) => ({ id: v.id, weight: v.percentage_allocation, value: valueOf.get(v.multivariate_feature_option)! }));
    expect(variants.map((v) => [v.value, v.weight]).sort()).toEqual([['variant_a', 30], ['variant_b', 20]]);

    const identifiers = Array.from({ length: 1000 }, (_, i) => `mv-user-${i}`);
    const got = await mapLimit(identifiers, 25, async (identifier) => (await serverSdk.getIdentityFlags(identifier)).getFeatureValue('checkout'));
    const mismatches = identifiers
      .map((identifier, i) => ({ identifier, got: got[i], want: expectedVariant(state.id, fx.environment.api_key, identifier, variants, 'control') }))
      .filter((m) => m.got !== m.want);
    expect(mismatches.slice(0, 5)).toEqual([]);

    const count = (v: string) => got.filter((g) => g === v).length;
    // Binomial bands of ±4.5 standard deviations around n·p.
    const band = (p: number) => [1000 * p - 4.5 * Math.sqrt(1000 * p * (1 - p)), 1000 * p + 4.5 * Math.sqrt(1000 * p * (1 - p))];
    for (const [value, p] of [['variant_a', 0.3], ['variant_b', 0.2], ['control', 0.5]] as const) {
      const [lo, hi] = band(p);
      expect(count(value)).toBeGreaterThanOrEqual(lo);
      expect(count(value)).toBeLessThanOrEqual(hi);
    }
    expect(count('variant_a') + count('variant_b') + count('control')).toBe(1000);
  }, 120_000);

  test('the SDK logged no errors', () => {
    expect(logs.flat()).toEqual([]);
  });
});
