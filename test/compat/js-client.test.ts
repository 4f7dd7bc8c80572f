// The browser SDK (`flagsmith` 10) run from Node against the listening API with the client key. No globals are
// needed: the package's CommonJS entry loads without `window`, storage is off without `window`, and `fetch` is passed
// in (Node's own). Realtime, caching and analytics stay off, so the client starts no timers or connections.
import { createFlagsmithInstance } from 'flagsmith';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../support/harness';
import { CompatSetup } from '../support/compat-helpers';

describe('flagsmith (browser SDK) from Node (sqlite)', () => {
  let api: TestApi;
  let fx: Fixture;
  let setup: CompatSetup;
  const requests: Array<{ method: string; url: string; headers: Record<string, string> }> = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    requests.push({ method: init?.method ?? 'GET', url: String(input), headers: { ...(init?.headers as Record<string, string>) } });
    return fetch(input, init);
  };
  const init = (flagsmith: ReturnType<typeof createFlagsmithInstance>, extra: Record<string, unknown> = {}) =>
    flagsmith.init({
      environmentID: fx.environment.api_key,
      api: `${api.url}/api/v1/`,
      fetch: recordingFetch,
      cacheFlags: false,
      realtime: false,
      enableAnalytics: false,
      ...extra,
    } as never);

  beforeAll(async () => {
    api = await startTestApi('sqlite', { listen: true });
    fx = await createFixture(api, 'Browser');
    setup = new CompatSetup(api, fx);
    const banner = await setup.feature({ name: 'banner', default_enabled: true, initial_value: 'welcome' });
    await setup.feature({ name: 'max_items', default_enabled: true, initial_value: '42' });
    await setup.feature({ name: 'legacy_mode', default_enabled: false, initial_value: 'old' });
    await setup.feature({ name: 'Dark Mode', default_enabled: true });
    await setup.feature({ name: 'secret_sauce', default_enabled: true, initial_value: 'ketchup', is_server_key_only: true });
    const pro = await setup.segment('pro', [{ operator: 'EQUAL', property: 'plan', value: 'pro' }]);
    await setup.segmentOverride(banner.id, pro.id, { enabled: true, value: 'welcome, pro' });
    await setup.identityOverride('vip', banner.id, { enabled: false, value: 'hello vip' });
  });

  afterAll(async () => api?.close());

  test('init loads the environment flags: hasFeature and getValue', async () => {
    const flagsmith = createFlagsmithInstance();
    await init(flagsmith);
    expect(requests.at(-1)).toMatchObject({ method: 'GET', url: `${api.url}/api/v1/flags/` });
    expect(requests.at(-1)!.headers['X-Environment-Key']).toBe(fx.environment.api_key);
    expect(flagsmith.hasFeature('banner')).toBe(true);
    expect(flagsmith.getValue('banner')).toBe('welcome');
    expect(flagsmith.getValue('max_items')).toBe(42);
    expect(flagsmith.hasFeature('legacy_mode')).toBe(false);
    expect(flagsmith.getValue('legacy_mode')).toBe('old');
    // The client keys flags by lower-cased name with spaces as underscores.
    expect(flagsmith.hasFeature('Dark Mode')).toBe(true);
    expect(flagsmith.hasFeature('secret_sauce')).toBe(false);
    expect(Object.keys(flagsmith.getAllFlags()).sort()).toEqual(['banner', 'dark_mode', 'legacy_mode', 'max_items']);
    expect(flagsmith.loadingState).toMatchObject({ isLoading: false, error: null, source: 'SERVER' });
    // It read X-Flagsmith-Document-Updated-At.
    expect(typeof (flagsmith as unknown as { timestamp: number }).timestamp).toBe('number');
    expect((flagsmith as unknown as { timestamp: number }).timestamp).toBeGreaterThan(1_600_000_000);
  });

  test('identify with traits posts them and gets identity-level values; the traits come back from the server', async () => {
    const flagsmith = createFlagsmithInstance();
    await init(flagsmith);
    await flagsmith.identify('user-1', { plan: 'pro', age: 31 });
    expect(requests.at(-1)).toMatchObject({ method: 'POST', url: `${api.url}/api/v1/identities/` });
    expect(flagsmith.getValue('banner')).toBe('welcome, pro');
    expect(flagsmith.hasFeature('banner')).toBe(true);
    expect(flagsmith.getAllTraits()).toEqual({ plan: 'pro', age: 31 });

    // Identify without traits uses GET ?identifier=; the stored traits still put user-1 in the segment.
    const again = createFlagsmithInstance();
    await init(again, { identity: 'user-1' });
    expect(requests.at(-1)).toMatchObject({ method: 'GET', url: `${api.url}/api/v1/identities/?identifier=user-1` });
    expect(again.getValue('banner')).toBe('welcome, pro');
    expect(again.getTrait('plan')).toBe('pro');

    // An identity override set through the admin API.
    await flagsmith.identify('vip');
    expect(flagsmith.getValue('banner')).toBe('hello vip');
    expect(flagsmith.hasFeature('banner')).toBe(false);
    // Back to anonymous.
    await flagsmith.logout();
    expect(flagsmith.getValue('banner')).toBe('welcome');
  });

  test('setTrait updates the identity and its flags', async () => {
    const flagsmith = createFlagsmithInstance();
    await init(flagsmith, { identity: 'user-2' });
    expect(flagsmith.getValue('banner')).toBe('welcome');
    await flagsmith.setTrait('plan', 'pro');
    expect(flagsmith.getValue('banner')).toBe('welcome, pro');
    const stored = await api.sdk('GET', '/api/v1/identities/?identifier=user-2', fx.environment.api_key);
    expect(stored.json().traits).toEqual([expect.objectContaining({ trait_key: 'plan', trait_value: 'pro' })]);
  });

  test('an unknown environment key rejects init', async () => {
    const flagsmith = createFlagsmithInstance();
    await expect(
      flagsmith.init({ environmentID: 'no-such-key', api: `${api.url}/api/v1/`, fetch: globalThis.fetch, cacheFlags: false, realtime: false } as never),
    ).rejects.toThrow();
    expect(flagsmith.loadingState?.error).toBeTruthy();
  });
});
