// Wire details of the SDK endpoints that clients depend on, checked with plain fetch against the listening server
// (FLAGSMITH-COMPAT.md §1): paths with and without the slash, caching headers, Core's error bodies word for word,
// CORS, the legacy trait endpoints, analytics, and the organisation switches.
import { createFixture, startTestApi, type Fixture, type TestApi } from '../support/harness';
import { CompatSetup, nodeClient } from '../support/compat-helpers';

const MISSING_KEY = { detail: 'Invalid or missing Environment key' };
const UNKNOWN_KEY = { detail: 'Invalid or missing Environment Key' };
const STOPPED = { detail: 'Organisation is disabled from serving flags.' };

describe('SDK wire details (sqlite)', () => {
  let api: TestApi;
  let fx: Fixture;
  let setup: CompatSetup;
  let bannerId: number;
  const features: Record<string, number> = {};

  const call = (path: string, key: string | null, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${api.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(key !== null ? { 'X-Environment-Key': key } : {}),
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const storedTraits = async (identifier: string, key = fx.environment.api_key) => {
    const res = await call(`/api/v1/identities/?identifier=${encodeURIComponent(identifier)}`, key);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { traits: Array<{ trait_key: string; trait_value: unknown }> };
    return Object.fromEntries(body.traits.map((t: { trait_key: string; trait_value: unknown }) => [t.trait_key, t.trait_value]));
  };

  beforeAll(async () => {
    api = await startTestApi('sqlite', { listen: true });
    fx = await createFixture(api, 'Wire');
    setup = new CompatSetup(api, fx);
    bannerId = (await setup.feature({ name: 'banner', default_enabled: true, initial_value: 'welcome' })).id;
    features.banner = bannerId;
    features.counter = (await setup.feature({ name: 'counter', default_enabled: true })).id;
  });

  afterAll(async () => api?.close());

  test('/api/v1/flags and /api/v1/flags/ both answer, with the same body', async () => {
    const withSlash = await call('/api/v1/flags/', fx.environment.api_key);
    const without = await call('/api/v1/flags', fx.environment.api_key);
    expect(withSlash.status).toBe(200);
    expect(without.status).toBe(200);
    const body = await withSlash.json();
    expect(await without.json()).toEqual(body);
    expect(body).toEqual(expect.arrayContaining([expect.objectContaining({ enabled: true, feature_state_value: 'welcome', feature: expect.objectContaining({ id: bannerId, name: 'banner', type: 'STANDARD' }) })]));
    expect(withSlash.headers.get('content-type')).toMatch(/^application\/json/);
    // Also without the slash for identities and the environment document (edge-proxy registers it that way).
    expect((await call('/api/v1/identities?identifier=u', fx.environment.api_key)).status).toBe(200);
    expect((await call('/api/v1/environment-document', fx.serverKey)).status).toBe(200);
  });

  test('?feature= returns one flag (case-insensitive) or 404 with Core’s body', async () => {
    const one = await call('/api/v1/flags/?feature=BANNER', fx.environment.api_key);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ feature: { name: 'banner' }, feature_state_value: 'welcome' });
    const none = await call('/api/v1/flags/?feature=nope', fx.environment.api_key);
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ detail: 'Given feature not found' });
  });

  test('X-Flagsmith-Document-Updated-At is an epoch-seconds number on flags, identities and the document', async () => {
    for (const [path, key, method, body] of [
      ['/api/v1/flags/', fx.environment.api_key, 'GET', undefined],
      ['/api/v1/identities/?identifier=hdr', fx.environment.api_key, 'GET', undefined],
      ['/api/v1/identities/', fx.environment.api_key, 'POST', { identifier: 'hdr', traits: [] }],
      ['/api/v1/environment-document/', fx.serverKey, 'GET', undefined],
    ] as const) {
      const res = await call(path, key, { method, body });
      expect(res.status).toBe(200);
      const header = res.headers.get('x-flagsmith-document-updated-at');
      expect({ path, header }).toEqual({ path, header: expect.stringMatching(/^\d+(\.\d+)?$/) });
      expect(Math.abs(Number(header) - Date.now() / 1000)).toBeLessThan(3600);
    }
  });

  test('ETag with If-None-Match gives 304; a change gives a new ETag', async () => {
    const first = await call('/api/v1/flags/', fx.environment.api_key);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const cached = await call('/api/v1/flags/', fx.environment.api_key, { headers: { 'If-None-Match': etag! } });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');
    expect((await call('/api/v1/flags/', fx.environment.api_key, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
    // The server key sees a different body, so it must not share the client key's ETag... unless the bodies are equal.
    await setup.updateDefault(features.counter, { feature_state_value: 'changed' });
    const after = await call('/api/v1/flags/', fx.environment.api_key, { headers: { 'If-None-Match': etag! } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  test('environment document: client key, missing key and unknown key get Core’s 403 bodies', async () => {
    const client = await call('/api/v1/environment-document/', fx.environment.api_key);
    expect(client.status).toBe(403);
    expect(await client.json()).toEqual(MISSING_KEY);
    const missing = await call('/api/v1/environment-document/', null);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual(MISSING_KEY);
    const unknown = await call('/api/v1/environment-document/', 'ser.thiskeydoesnotexist0000');
    expect(unknown.status).toBe(403);
    expect(await unknown.json()).toEqual(UNKNOWN_KEY);
    // The same two bodies on the other endpoints.
    const unknownFlags = await call('/api/v1/flags/', 'nosuchclientkey0000000');
    expect(unknownFlags.status).toBe(403);
    expect(await unknownFlags.json()).toEqual(UNKNOWN_KEY);
    const noKey = await call('/api/v1/identities/?identifier=x', null);
    expect(noKey.status).toBe(403);
    expect(await noKey.json()).toEqual(MISSING_KEY);
  });

  test('environment document: If-Modified-Since not older than Last-Modified gives 304', async () => {
    const first = await call('/api/v1/environment-document/', fx.serverKey);
    expect(first.status).toBe(200);
    const lastModified = first.headers.get('last-modified');
    expect(lastModified).toBeTruthy();
    expect(new Date(lastModified!).getTime()).toBe(Math.floor(Date.parse(((await first.json()) as { updated_at: string }).updated_at) / 1000) * 1000);
    expect((await call('/api/v1/environment-document/', fx.serverKey, { headers: { 'If-Modified-Since': lastModified! } })).status).toBe(304);
    const later = new Date(Date.parse(lastModified!) + 60_000).toUTCString();
    expect((await call('/api/v1/environment-document/', fx.serverKey, { headers: { 'If-Modified-Since': later } })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified!) - 60_000).toUTCString();
    expect((await call('/api/v1/environment-document/', fx.serverKey, { headers: { 'If-Modified-Since': earlier } })).status).toBe(200);
  });

  test('CORS: the preflight allows any origin and X-Environment-Key; responses carry allow-origin *', async () => {
    for (const path of ['/api/v1/flags/', '/api/v1/identities/', '/api/v1/flags']) {
      const res = await fetch(`${api.url}${path}`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-environment-key, content-type' },
      });
      expect({ path, status: res.status }).toEqual({ path, status: expect.any(Number) });
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-headers')!.toLowerCase().split(/\s*,\s*/)).toEqual(expect.arrayContaining(['x-environment-key', 'content-type']));
      expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    }
    const get = await call('/api/v1/flags/', fx.environment.api_key, { headers: { Origin: 'https://app.example.com' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    // The browser SDK reads this header, so it must be exposed.
    expect(get.headers.get('access-control-expose-headers')!.toLowerCase()).toContain('x-flagsmith-document-updated-at');
  });

  test('GET /identities/ without identifier answers 200 with {"detail":"Missing identifier"}', async () => {
    const res = await call('/api/v1/identities/', fx.environment.api_key);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ detail: 'Missing identifier' });
  });

  test('a trait value of 2,000 characters is accepted, 2,001 is a 400', async () => {
    const ok = await call('/api/v1/identities/', fx.environment.api_key, { method: 'POST', body: { identifier: 'long', traits: [{ trait_key: 'bio', trait_value: 'x'.repeat(2000) }] } });
    expect(ok.status).toBe(200);
    const tooLong = await call('/api/v1/identities/', fx.environment.api_key, { method: 'POST', body: { identifier: 'long', traits: [{ trait_key: 'bio', trait_value: 'y'.repeat(2001) }] } });
    expect(tooLong.status).toBe(400);
    expect((await storedTraits('long')).bio).toBe('x'.repeat(2000));
    const viaTraits = await call('/api/v1/traits/', fx.environment.api_key, { method: 'POST', body: { identity: { identifier: 'long' }, trait_key: 'bio', trait_value: 'z'.repeat(2001) } });
    expect(viaTraits.status).toBe(400);
  });

  test('POST /traits/ sets one trait, creating the identity', async () => {
    const res = await call('/api/v1/traits/', fx.environment.api_key, { method: 'POST', body: { identity: { identifier: 'trait-user' }, trait_key: 'colour', trait_value: 'blue' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ identity: { identifier: 'trait-user' }, trait_key: 'colour', trait_value: 'blue' });
    expect(await storedTraits('trait-user')).toEqual({ colour: 'blue' });
  });

  test('PUT /traits/bulk/ sets many traits; a null value deletes; malformed input is a 400', async () => {
    const set = await call('/api/v1/traits/bulk/', fx.environment.api_key, {
      method: 'PUT',
      body: [
        { identity: { identifier: 'bulk-a' }, trait_key: 'n', trait_value: 1 },
        { identity: { identifier: 'bulk-a' }, trait_key: 's', trait_value: 'x' },
        { identity: { identifier: 'bulk-b' }, trait_key: 'flag', trait_value: true },
      ],
    });
    expect(set.status).toBe(200);
    expect(await set.json()).toHaveLength(3);
    expect(await storedTraits('bulk-a')).toEqual({ n: 1, s: 'x' });
    expect(await storedTraits('bulk-b')).toEqual({ flag: true });
    const del = await call('/api/v1/traits/bulk/', fx.environment.api_key, { method: 'PUT', body: [{ identity: { identifier: 'bulk-a' }, trait_key: 'n', trait_value: null }] });
    expect(del.status).toBe(200);
    expect(await storedTraits('bulk-a')).toEqual({ s: 'x' });
    const bad = await call('/api/v1/traits/bulk/', fx.environment.api_key, { method: 'PUT', body: { not: 'a list' } });
    expect(bad.status).toBe(400);
  });

  test('POST /traits/increment-value/ adds to an integer trait; a non-integer trait is a 400', async () => {
    const inc = (body: unknown) => call('/api/v1/traits/increment-value/', fx.environment.api_key, { method: 'POST', body });
    const first = await inc({ identifier: 'inc-user', trait_key: 'logins', increment_by: 2 });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ identifier: 'inc-user', trait_key: 'logins', trait_value: 2 });
    const second = await inc({ identifier: 'inc-user', trait_key: 'logins', increment_by: 5 });
    expect(await second.json()).toMatchObject({ trait_value: 7 });
    expect(await storedTraits('inc-user')).toEqual({ logins: 7 });
    await call('/api/v1/traits/', fx.environment.api_key, { method: 'POST', body: { identity: { identifier: 'inc-user' }, trait_key: 'name', trait_value: 'ann' } });
    expect((await inc({ identifier: 'inc-user', trait_key: 'name', increment_by: 1 })).status).toBe(400);
    expect((await inc({ identifier: 'inc-user', trait_key: 'logins', increment_by: 'one' })).status).toBe(400);
    expect(await storedTraits('inc-user')).toEqual({ logins: 7, name: 'ann' });
  });

  test('analytics: v1 answers 200 and stores the counts, v2 answers 204 and adds to them; unknown names are skipped', async () => {
    const counts = async () => {
      const rows = await api.runtime.store.db
        .selectFrom('feature_evaluation_counts')
        .select(['feature_id', 'count'])
        .where('environment_id', '=', fx.environment.id)
        .execute();
      return Object.fromEntries(rows.map((r) => [Number(r.feature_id), Number(r.count)]));
    };
    const v1 = await call('/api/v1/analytics/flags/', fx.environment.api_key, { method: 'POST', body: { banner: 3, counter: 1, unknown_feature: 5, bad: 'x' } });
    expect(v1.status).toBe(200);
    expect(await counts()).toEqual({ [features.banner]: 3, [features.counter]: 1 });
    const v2 = await call('/api/v2/analytics/flags/', fx.environment.api_key, {
      method: 'POST',
      body: { evaluations: [{ feature_name: 'banner', identity_identifier: 'u1', enabled_when_evaluated: true, count: 4 }, { feature_name: 'ghost', enabled_when_evaluated: false, count: 1 }] },
    });
    expect(v2.status).toBe(204);
    expect(await counts()).toEqual({ [features.banner]: 7, [features.counter]: 1 });

    // The Node SDK's own analytics flush lands in the same table.
    const { client, logs } = nodeClient(api, fx.environment.api_key, { enableAnalytics: true });
    try {
      const flags = await client.getEnvironmentFlags();
      flags.isFeatureEnabled('banner');
      flags.getFeatureValue('banner');
      await (client as unknown as { analyticsProcessor: { flush(): Promise<void> } }).analyticsProcessor.flush();
      expect(logs).toEqual([]);
      expect(await counts()).toEqual({ [features.banner]: 9, [features.counter]: 1 });
    } finally {
      await client.close();
    }
  });

  test('organisation persist_trait_data false: the trait endpoints answer 403; identify evaluates traits without storing them', async () => {
    const other = await createFixture(api, 'NoTraits');
    const s = new CompatSetup(api, other);
    const f = await s.feature({ name: 'gated', default_enabled: false, initial_value: 'off' });
    const seg = await s.segment('pro', [{ operator: 'EQUAL', property: 'plan', value: 'pro' }]);
    await s.segmentOverride(f.id, seg.id, { enabled: true, value: 'on' });
    await api.admin('PATCH', `/api/v1/organisations/${other.organisationId}/`, { persist_trait_data: false });
    const key = other.environment.api_key;

    const one = await call('/api/v1/traits/', key, { method: 'POST', body: { identity: { identifier: 'p' }, trait_key: 'a', trait_value: 'b' } });
    expect(one.status).toBe(403);
    const bulk = await call('/api/v1/traits/bulk/', key, { method: 'PUT', body: [{ identity: { identifier: 'p' }, trait_key: 'a', trait_value: 'b' }] });
    expect(bulk.status).toBe(403);
    const inc = await call('/api/v1/traits/increment-value/', key, { method: 'POST', body: { identifier: 'p', trait_key: 'n', increment_by: 1 } });
    expect(inc.status).toBe(403);

    const identify = await call('/api/v1/identities/', key, { method: 'POST', body: { identifier: 'p', traits: [{ trait_key: 'plan', trait_value: 'pro' }] } });
    expect(identify.status).toBe(200);
    const body = (await identify.json()) as { flags: Array<{ feature: { name: string } }> };
    expect(body.flags.find((x) => x.feature.name === 'gated')).toMatchObject({ enabled: true, feature_state_value: 'on' });
    expect(await storedTraits('p', key)).toEqual({});
  });

  test('environment allow_client_traits false: client-key trait writes are dropped or refused; the server key may write', async () => {
    const other = await createFixture(api, 'NoClientTraits');
    await api.admin('PATCH', `/api/v1/environments/${other.environment.api_key}/`, { allow_client_traits: false });
    const client = other.environment.api_key;
    const identify = await call('/api/v1/identities/', client, { method: 'POST', body: { identifier: 'c', traits: [{ trait_key: 'plan', trait_value: 'pro' }] } });
    expect(identify.status).toBe(200);
    expect(((await identify.json()) as { traits: unknown[] }).traits).toEqual([]);
    expect(await storedTraits('c', client)).toEqual({});
    expect((await call('/api/v1/traits/', client, { method: 'POST', body: { identity: { identifier: 'c' }, trait_key: 'a', trait_value: 'b' } })).status).toBe(400);
    expect((await call('/api/v1/traits/bulk/', client, { method: 'PUT', body: [{ identity: { identifier: 'c' }, trait_key: 'a', trait_value: 'b' }] })).status).toBe(400);
    const server = await call('/api/v1/identities/', other.serverKey, { method: 'POST', body: { identifier: 'c', traits: [{ trait_key: 'plan', trait_value: 'pro' }] } });
    expect(server.status).toBe(200);
    expect(await storedTraits('c', client)).toEqual({ plan: 'pro' });
  });

  test('organisation stop_serving_flags: every SDK endpoint answers 403 with Core’s message', async () => {
    const other = await createFixture(api, 'Stopped');
    await new CompatSetup(api, other).feature({ name: 'anything', default_enabled: true });
    expect((await call('/api/v1/flags/', other.environment.api_key)).status).toBe(200);
    await api.admin('PATCH', `/api/v1/organisations/${other.organisationId}/`, { stop_serving_flags: true });
    for (const [path, key, method, body] of [
      ['/api/v1/flags/', other.environment.api_key, 'GET', undefined],
      ['/api/v1/identities/?identifier=x', other.environment.api_key, 'GET', undefined],
      ['/api/v1/identities/', other.environment.api_key, 'POST', { identifier: 'x' }],
      ['/api/v1/environment-document/', other.serverKey, 'GET', undefined],
      ['/api/v1/traits/', other.environment.api_key, 'POST', { identity: { identifier: 'x' }, trait_key: 'a', trait_value: 1 }],
      ['/api/v1/analytics/flags/', other.environment.api_key, 'POST', { anything: 1 }],
    ] as const) {
      const res = await call(path, key, { method, body });
      expect({ path, status: res.status, body: await res.json() }).toEqual({ path, status: 403, body: STOPPED });
    }
    // The Node SDK sees a failure, not flags.
    const { client } = nodeClient(api, other.environment.api_key);
    await expect(client.getEnvironmentFlags()).rejects.toThrow('getEnvironmentFlags failed');
    await client.close();
  });
});
