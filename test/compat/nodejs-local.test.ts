// The real Node SDK in local-evaluation mode over our /api/v1/environment-document/: for the same identities and
// traits, its answers (enabled, value) equal the server's remote answers. The data set stays clear of the SDK engine's
// known divergences (FLAGSMITH-COMPAT.md §2.9): string traits that do not look like numbers, plain EQUAL / CONTAINS / IN /
// IS_SET / IS_NOT_SET / PERCENTAGE_SPLIT conditions, segment overrides with distinct priorities, a multivariate feature
// (also overridden by a segment, which then hashes on its own key), and identity overrides.
import { isDeepStrictEqual } from 'node:util';
import type { Flagsmith, Flags } from 'flagsmith-nodejs';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../support/harness';
import { CompatSetup, mapLimit, nodeClient, SDK_SUITE_FEATURES } from '../support/compat-helpers';

type Snapshot = Record<string, { enabled: boolean; value: unknown }>;

function snapshot(flags: Flags): Snapshot {
  const out: Snapshot = {};
  for (const f of flags.allFlags() as Array<{ featureName: string; enabled: boolean; value: unknown }>) out[f.featureName] = { enabled: f.enabled, value: f.value };
  return out;
}

async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

describe('flagsmith-nodejs local evaluation against the environment document (sqlite)', () => {
  let api: TestApi;
  let fx: Fixture;
  let setup: CompatSetup;
  let remote: Flagsmith;
  let local: Flagsmith;
  let localLogs: Array<{ level: string; args: unknown[] }>;
  const ids: Record<string, number> = {};

  // Trait pools: strings that never look like numbers.
  const plans = ['pro', 'free', undefined];
  const emails = ['ann@beta.example', 'bob@corp.example', undefined, 'cy@beta.example.org'];
  const countries = ['de', 'us', 'fr', 'gb', 'nl', undefined];
  const companies = ['acme', undefined, undefined];
  const versions = ['1.0.0', '1.10.0', undefined, '2.1.3'];
  const traitsFor = (i: number): Record<string, string> => {
    const t: Record<string, string | undefined> = {
      plan: plans[i % plans.length],
      email: emails[Math.floor(i / 3) % emails.length],
      country: countries[Math.floor(i / 2) % countries.length],
      company: companies[Math.floor(i / 5) % companies.length],
      version: versions[Math.floor(i / 7) % versions.length],
    };
    return Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as Record<string, string>;
  };

  beforeAll(async () => {
    api = await startTestApi('sqlite', { listen: true });
    fx = await createFixture(api, 'Local');
    setup = new CompatSetup(api, fx);
    for (const body of [...SDK_SUITE_FEATURES, { name: 'region_note', default_enabled: true, initial_value: 'global' }]) {
      ids[body.name] = (await setup.feature(body)).id;
    }
    const pro = await setup.segment('pro', [{ operator: 'EQUAL', property: 'plan', value: 'pro' }]);
    const beta = await setup.segment('beta testers', [{ operator: 'CONTAINS', property: 'email', value: '@beta.example' }]);
    const eu = await setup.segment('eu', [{ operator: 'IN', property: 'country', value: 'de,fr,nl' }]);
    const company = await setup.segment('has company', [{ operator: 'IS_SET', property: 'company' }]);
    const anyOf = await setup.segment('gb or corp', [
      { operator: 'EQUAL', property: 'country', value: 'gb' },
      { operator: 'CONTAINS', property: 'email', value: '@corp.' },
    ], 'ANY');
    const noPlan = await setup.segment('no plan', [{ operator: 'IS_NOT_SET', property: 'plan' }]);
    const split = await setup.segment('40 percent', [{ operator: 'PERCENTAGE_SPLIT', property: '', value: '40' }]);
    const byIdentifier = await setup.segment('named', [{ operator: 'IN', property: '$.identity.identifier', value: 'local-user-7,local-user-8' }]);
    const modern = await setup.segment('modern app', [{ operator: 'GREATER_THAN_INCLUSIVE', property: 'version', value: '1.2.0:semver' }]);

    // banner: pro (priority 0) beats beta (priority 1); both beat the default.
    await setup.segmentOverride(ids.banner, pro.id, { enabled: true, value: 'welcome, pro' });
    await setup.segmentOverride(ids.banner, beta.id, { enabled: true, value: 'beta banner' });
    await setup.segmentOverride(ids.banner, anyOf.id, { enabled: false, value: 'corp banner' });
    await setup.segmentOverride(ids.max_items, pro.id, { enabled: true, value: 100 });
    await setup.segmentOverride(ids.max_items, noPlan.id, { enabled: true, value: 7 });
    await setup.segmentOverride(ids.beta_ui, beta.id, { enabled: true, value: true });
    await setup.segmentOverride(ids.region_note, eu.id, { enabled: true, value: 'eu' });
    await setup.segmentOverride(ids.legacy_mode, company.id, { enabled: true, value: 'company' });
    await setup.segmentOverride(ids.region_note, byIdentifier.id, { enabled: true, value: 'named' });
    await setup.segmentOverride(ids.beta_ui, modern.id, { enabled: false, value: 'modern' });
    // A multivariate segment override: it takes the environment's weights and hashes on its own state id.
    await setup.segmentOverride(ids.checkout, split.id, { enabled: false, value: 'split control' });

    await setup.identityOverride('vip-user', ids.banner, { enabled: false, value: 'hello vip' });
    await setup.identityOverride('vip-user', ids.checkout, { enabled: true, value: 'vip checkout' });
    await setup.identityOverride('other-vip', ids.max_items, { enabled: true, value: 999 });
    // A numeric-looking identifier: the override must apply to exactly this identity on both sides.
    await setup.identityOverride('0042', ids.region_note, { enabled: false, value: 'numeric id' });

    remote = nodeClient(api, fx.serverKey).client;
    const l = nodeClient(api, fx.serverKey, { enableLocalEvaluation: true, environmentRefreshIntervalSeconds: 0.5 });
    local = l.client;
    localLogs = l.logs;
  });

  afterAll(async () => {
    await local?.close();
    await remote?.close();
    await api?.close();
  });

  test('the document has what local evaluation needs', async () => {
    const res = await fetch(`${api.url}/api/v1/environment-document/`, { headers: { 'X-Environment-Key': fx.serverKey } });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.api_key).toBe(fx.environment.api_key);
    expect(doc.feature_states).toHaveLength(7);
    expect(doc.project.server_key_only_feature_ids).toEqual([ids.secret_sauce]);
    expect(doc.project.segments.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['pro', 'beta testers', 'eu', 'has company', 'gb or corp', 'no plan', '40 percent', 'named', 'modern app']));
    const overrides = doc.identity_overrides.map((o: { identifier: string; identity_features: unknown[] }) => [o.identifier, o.identity_features.length]);
    expect(overrides.sort()).toEqual([['0042', 1], ['other-vip', 1], ['vip-user', 2]]);
    // flagsmith-engine's pydantic models (edge-proxy, the Python SDK) declare these fields UUID4, not optional:
    // a null or malformed one fails validation of the whole document there.
    const uuid4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const states = [...doc.feature_states, ...doc.project.segments.flatMap((x: { feature_states: unknown[] }) => x.feature_states), ...doc.identity_overrides.flatMap((o: { identity_features: unknown[] }) => o.identity_features)];
    for (const st of states) {
      expect(st.featurestate_uuid).toMatch(uuid4);
      for (const mv of st.multivariate_feature_state_values) expect(mv.mv_fs_value_uuid).toMatch(uuid4);
    }
    for (const o of doc.identity_overrides) expect({ identifier: o.identifier, identity_uuid: o.identity_uuid }).toEqual({ identifier: o.identifier, identity_uuid: expect.stringMatching(uuid4) });
    // Stable across document builds, so a re-fetched document describes the same identities.
    const again = (await (await fetch(`${api.url}/api/v1/environment-document/`, { headers: { 'X-Environment-Key': fx.serverKey } })).json()) as typeof doc;
    expect(again.identity_overrides.map((o: { identity_uuid: string }) => o.identity_uuid)).toEqual(doc.identity_overrides.map((o: { identity_uuid: string }) => o.identity_uuid));
  });

  test('environment flags: local equals remote', async () => {
    const l = snapshot(await local.getEnvironmentFlags());
    const r = snapshot(await remote.getEnvironmentFlags());
    expect(Object.keys(l)).toHaveLength(7);
    expect(l).toEqual(r);
    expect(l.checkout).toEqual({ enabled: true, value: 'control' });
  });

  test('identity flags for 240 identities with traits: local equals remote, and the data set exercises every segment', async () => {
    const identifiers = Array.from({ length: 240 }, (_, i) => `local-user-${i}`);
    const results = await mapLimit(identifiers, 20, async (identifier, i) => {
      const traits = traitsFor(i);
      const r = snapshot(await remote.getIdentityFlags(identifier, traits));
      const l = snapshot(await local.getIdentityFlags(identifier, traits));
      return { identifier, traits, r, l };
    });
    const differing = results.filter((x) => !isDeepStrictEqual(x.l, x.r));
    expect(differing.slice(0, 3)).toEqual([]);

    // The comparison means something only if the overrides were hit: every override value occurs.
    const seen = (feature: string) => new Set(results.map((x) => JSON.stringify(x.r[feature].value)));
    expect(seen('banner')).toEqual(new Set(['"welcome"', '"welcome, pro"', '"beta banner"', '"corp banner"']));
    expect(seen('max_items')).toEqual(new Set(['42', '100', '7']));
    expect(seen('beta_ui')).toEqual(new Set(['false', 'true', '"modern"']));
    expect(seen('region_note')).toEqual(new Set(['"global"', '"eu"', '"named"']));
    expect(seen('legacy_mode')).toEqual(new Set(['"old"', '"company"']));
    expect(seen('checkout')).toEqual(new Set(['"control"', '"variant_a"', '"variant_b"', '"split control"']));
    const inSplit = results.filter((x) => x.r.checkout.enabled === false).length;
    expect(inSplit).toBeGreaterThan(240 * 0.4 - 40);
    expect(inSplit).toBeLessThan(240 * 0.4 + 40);
  });

  test('identity overrides: local equals remote for identities with overrides, with and without traits', async () => {
    for (const [identifier, traits] of [
      ['vip-user', { plan: 'pro' }],
      ['vip-user', {}],
      ['other-vip', { email: 'x@beta.example' }],
      ['0042', {}],
      ['42', {}],
    ] as Array<[string, Record<string, string>]>) {
      const r = snapshot(await remote.getIdentityFlags(identifier, traits));
      const l = snapshot(await local.getIdentityFlags(identifier, traits));
      expect(l).toEqual(r);
    }
    const vip = snapshot(await local.getIdentityFlags('vip-user', { plan: 'pro' }));
    expect(vip.banner).toEqual({ enabled: false, value: 'hello vip' });
    expect(vip.checkout).toEqual({ enabled: true, value: 'vip checkout' });
    expect(vip.max_items).toEqual({ enabled: true, value: 100 });
    expect(snapshot(await local.getIdentityFlags('other-vip', { email: 'x@beta.example' }))).toMatchObject({
      max_items: { enabled: true, value: 999 },
      banner: { enabled: true, value: 'beta banner' },
    });
  });

  test('an override for the numeric-looking identifier "0042" applies to it and not to "42"', async () => {
    for (const sdk of [local, remote]) {
      expect((await sdk.getIdentityFlags('0042', {})).getFlag('region_note')).toMatchObject({ enabled: false, value: 'numeric id' });
      expect((await sdk.getIdentityFlags('42', {})).getFlag('region_note')).toMatchObject({ enabled: true, value: 'global' });
    }
  });

  test('a change made through the admin API reaches the local SDK after a refresh', async () => {
    expect((await local.getEnvironmentFlags()).getFeatureValue('region_note')).toBe('global');
    expect((await local.getIdentityFlags('late-vip', {})).getFeatureValue('banner')).toBe('welcome');

    await setup.updateDefault(ids.region_note, { feature_state_value: 'worldwide', enabled: false });
    await setup.identityOverride('late-vip', ids.banner, { enabled: true, value: 'late banner' });

    const env = await waitFor(
      async () => (await local.getEnvironmentFlags()).getFlag('region_note'),
      (f) => f.value === 'worldwide',
    );
    expect(env).toMatchObject({ value: 'worldwide', enabled: false });
    const late = await waitFor(
      async () => (await local.getIdentityFlags('late-vip', {})).getFeatureValue('banner'),
      (v) => v === 'late banner',
    );
    expect(late).toBe('late banner');
    expect(snapshot(await local.getIdentityFlags('late-vip', {}))).toEqual(snapshot(await remote.getIdentityFlags('late-vip', {})));
  });

  test('the local SDK logged no errors (document fetches and refreshes all succeeded)', () => {
    expect(localLogs).toEqual([]);
  });
});
