// The identity cache (api/src/services/sdk/identity-cache.ts, docs/performance.md §2): identities and their traits are
// served from memory for at most one poll interval. Here, in one process on every engine, with the interval at 60 s so
// that only invalidation can explain a fresh answer: every write through this process (SDK identify, /traits/,
// /traits/bulk/, /traits/increment-value/, admin trait edits, identity deletion) is served by the next GET (read your
// writes); the GET answer from memory (Fastify route and listening-server fast path) is byte for byte the answer read
// from the database. Then the cache itself with a fake database and clock: expiry, the memory bound, a read that raced
// a write, shared reads, and what is served while the database is unreachable. The cross-process bound is in
// two-processes.test.ts.
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';
import { enginesUnderTest } from '../../support/databases';
import { rawRequest, type RawResponse } from '../../support/raw-http';
import { IdentityCache, type StoredIdentity } from '../../../api/src/services/sdk/identity-cache';
import { TraitFloat } from '../../../api/src/domain/traits';

jest.setTimeout(60_000);


const raw = (api: TestApi, path: string, headers: Record<string, string>): Promise<RawResponse> => rawRequest(api.url, 'GET', path, headers);

type Identity = { identifier: string; traits: Array<{ id: number; trait_key: string; trait_value: unknown }>; flags: Array<{ feature: { name: string }; feature_state_value: unknown; enabled: boolean }> };

describe.each(enginesUnderTest())('identity cache on %s', (engine) => {
  let api: TestApi;
  let fixture: Fixture;
  let key: string;
  const stats = () => api.runtime.cache.stats();

  beforeAll(async () => {
    // A long interval: an entry would be served for a minute if a write did not drop it.
    api = await startTestApi(engine, { listen: true, env: { CACHE_POLL_INTERVAL_MS: '60000' } });
    fixture = await createFixture(api, 'Identities');
    key = fixture.environment.api_key;
    const project = fixture.projectId;
    const banner = await api.admin('POST', `/api/v1/projects/${project}/features/`, { name: 'banner', initial_value: 'plain', default_enabled: true });
    const segment = await api.admin('POST', `/api/v1/projects/${project}/segments/`, {
      name: 'pro users',
      rules: [{ type: 'ALL', rules: [{ type: 'ALL', rules: [], conditions: [{ property: 'plan', operator: 'EQUAL', value: 'pro' }] }], conditions: [] }],
    });
    await api.admin('POST', `/api/v1/environments/${key}/features/${banner.id}/create-segment-override/`, { segment: segment.id, enabled: true, feature_state_value: 'for pro' });
  });
  afterAll(async () => {
    await api?.close();
  });

  const get = async (identifier: string): Promise<Identity> => {
    const res = await api.sdk('GET', `/api/v1/identities/?identifier=${encodeURIComponent(identifier)}`, key);
    expect(res.statusCode).toBe(200);
    return res.json() as Identity;
  };
  const plan = (identity: Identity) => identity.traits.find((t) => t.trait_key === 'plan')?.trait_value;
  const banner = (identity: Identity) => identity.flags.find((f) => f.feature.name === 'banner')?.feature_state_value;
  /** GETs twice: the second must come from memory, so a later fresh answer is the write's invalidation at work. */
  const cached = async (identifier: string): Promise<Identity> => {
    await get(identifier);
    const hits = stats().identityHits;
    const identity = await get(identifier);
    expect(stats().identityHits).toBe(hits + 1);
    return identity;
  };

  test('SDK trait writes are served by the next GET (read your writes)', async () => {
    const identify = await api.sdk('POST', '/api/v1/identities/', key, { identifier: 'ryw', traits: [{ trait_key: 'plan', trait_value: 'free' }] });
    expect(identify.statusCode).toBe(200);
    expect(plan(await cached('ryw'))).toBe('free');

    // POST /traits/
    expect((await api.sdk('POST', '/api/v1/traits/', key, { identity: { identifier: 'ryw' }, trait_key: 'plan', trait_value: 'pro' })).statusCode).toBe(200);
    let identity = await get('ryw');
    expect([plan(identity), banner(identity)]).toEqual(['pro', 'for pro']);

    // PUT /traits/bulk/
    expect(plan(await cached('ryw'))).toBe('pro');
    expect((await api.sdk('PUT', '/api/v1/traits/bulk/', key, [{ identity: { identifier: 'ryw' }, trait_key: 'plan', trait_value: 'team' }])).statusCode).toBe(200);
    identity = await get('ryw');
    expect([plan(identity), banner(identity)]).toEqual(['team', 'plain']);

    // POST /identities/ with a changed trait
    expect(plan(await cached('ryw'))).toBe('team');
    expect((await api.sdk('POST', '/api/v1/identities/', key, { identifier: 'ryw', traits: [{ trait_key: 'plan', trait_value: 'pro' }] })).statusCode).toBe(200);
    expect(plan(await get('ryw'))).toBe('pro');

    // POST /traits/increment-value/
    await cached('ryw');
    expect((await api.sdk('POST', '/api/v1/traits/increment-value/', key, { identifier: 'ryw', trait_key: 'logins', increment_by: 2 })).statusCode).toBe(200);
    expect((await get('ryw')).traits.find((t) => t.trait_key === 'logins')?.trait_value).toBe(2);

    // A trait deleted through identify (null value)
    await cached('ryw');
    expect((await api.sdk('POST', '/api/v1/identities/', key, { identifier: 'ryw', traits: [{ trait_key: 'logins', trait_value: null }] })).statusCode).toBe(200);
    expect((await get('ryw')).traits.map((t) => t.trait_key)).toEqual(['plan']);
  });

  test('admin trait edits and identity deletion are served by the next GET', async () => {
    await api.sdk('POST', '/api/v1/identities/', key, { identifier: 'edited', traits: [{ trait_key: 'plan', trait_value: 'free' }] });
    const identity = await cached('edited');
    const id = (await api.admin('GET', `/api/v1/environments/${key}/identities/?q=${encodeURIComponent('"edited"')}`)).results[0].id as number;

    await api.admin('POST', `/api/v1/environments/${key}/identities/${id}/traits/`, { trait_key: 'plan', trait_value: 'pro' });
    const after = await get('edited');
    expect([plan(after), banner(after)]).toEqual(['pro', 'for pro']);

    await cached('edited');
    const traitId = after.traits.find((t) => t.trait_key === 'plan')!.id;
    await api.admin('DELETE', `/api/v1/environments/${key}/identities/${id}/traits/${traitId}/`);
    expect((await get('edited')).traits).toEqual([]);

    // Deleted: the next GET creates a new identity (a new id, no traits), as Core does.
    await api.admin('POST', `/api/v1/environments/${key}/identities/${id}/traits/`, { trait_key: 'plan', trait_value: 'pro' });
    expect(plan(await cached('edited'))).toBe('pro');
    await api.admin('DELETE', `/api/v1/environments/${key}/identities/${id}/`);
    const recreated = await get('edited');
    expect(recreated.traits).toEqual([]);
    expect(banner(recreated)).toBe('plain');
    const found = (await api.admin('GET', `/api/v1/environments/${key}/identities/?q=${encodeURIComponent('"edited"')}`)).results;
    expect(found).toHaveLength(1);
    expect(found[0].id).not.toBe(id);
    expect(identity.identifier).toBe('edited');
  });

  test('an answer from memory is byte for byte the answer read from the database, through Fastify and the fast path', async () => {
    await api.sdk('POST', '/api/v1/identities/', key, { identifier: 'bytes@example.com', traits: [{ trait_key: 'plan', trait_value: 'pro' }, { trait_key: 'score', trait_value: 1.5 }] });
    const headers = { 'x-environment-key': key };
    // Forget it, so the first answer is read from the database.
    api.runtime.cache.identities.clear();
    const fromDatabase = await raw(api, '/api/v1/identities/?identifier=bytes@example.com&', headers);
    const misses = stats().identityMisses;
    // Through Fastify (the trailing '&' keeps the fast path out): from memory, serialized now and kept.
    const viaRoute = await raw(api, '/api/v1/identities/?identifier=bytes@example.com&', headers);
    const fast = stats().identityFastPathServes;
    const viaFastPath = await raw(api, '/api/v1/identities/?identifier=bytes@example.com', headers);
    const noSlash = await raw(api, '/api/v1/identities?identifier=bytes@example.com', headers);
    expect(stats().identityFastPathServes).toBe(fast + 2);
    expect(stats().identityMisses).toBe(misses);
    expect(viaRoute).toEqual(fromDatabase);
    expect(viaFastPath).toEqual(fromDatabase);
    expect(noSlash).toEqual(fromDatabase);
    expect(fromDatabase.status).toBe(200);
    expect(Object.fromEntries(fromDatabase.headers)['content-length']).toBe(String(Buffer.byteLength(fromDatabase.body)));
    // The server key gets its own answer (server-only features), not the client key's bytes.
    const server = await raw(api, '/api/v1/identities/?identifier=bytes@example.com', { 'x-environment-key': fixture.serverKey });
    expect(server.status).toBe(200);
    // Transient, ?feature= and encoded identifiers go to Fastify and still use the cached traits.
    const transient = await api.sdk('GET', '/api/v1/identities/?identifier=bytes%40example.com&transient=true', key);
    expect((transient.json() as Identity).traits.map((t) => t.trait_key)).toEqual(['plan', 'score']);
    const feature = await api.sdk('GET', '/api/v1/identities/?identifier=bytes%40example.com&feature=banner', key);
    expect((feature.json() as { feature_state_value: string }).feature_state_value).toBe('for pro');
    expect(stats().identityMisses).toBe(misses);
    // An environment change keeps the identity and serializes again under the new view.
    await api.admin('POST', `/api/v1/projects/${fixture.projectId}/features/`, { name: 'added_later', default_enabled: true });
    const rebuilt = await raw(api, '/api/v1/identities/?identifier=bytes@example.com', headers);
    expect((JSON.parse(rebuilt.body) as Identity).flags.map((f) => f.feature.name).sort()).toEqual(['added_later', 'banner']);
    expect(stats().identityMisses).toBe(misses);
  });

  test('metrics show the cache and its bound', async () => {
    const metrics = (await api.request('GET', '/health/metrics')).body;
    for (const name of ['identities', 'bytes', 'hits_total', 'misses_total', 'invalidations_total', 'outage_serves_total']) {
      expect(metrics).toMatch(new RegExp(`^flagstack_identity_cache_${name} \\d+$`, 'm'));
    }
    expect(metrics).toMatch(/^flagstack_identity_cache_budget_bytes 33554432$/m);
  });
});

describe('IdentityCache with a fake database and clock', () => {
  const TTL = 1000;
  let now = 0;
  const db = {} as never;

  function make(options: { budgetBytes?: number; downSince?: () => number | null } = {}) {
    const reads: Array<{ identifier: string; resolve: (v: StoredIdentity | undefined) => void; reject: (e: unknown) => void }> = [];
    const cache = new IdentityCache({
      ttlMs: TTL,
      budgetBytes: options.budgetBytes,
      databaseDownSince: options.downSince,
      now: () => now,
      read: (_db, _env, identifier) => new Promise((resolve, reject) => reads.push({ identifier, resolve, reject })),
    });
    return { cache, reads };
  }
  const identity = (plan: string): StoredIdentity => ({ id: 7, traits: [{ id: 1, key: 'plan', value: plan }, { id: 2, key: 'score', value: new TraitFloat(1.5) }] });

  beforeEach(() => {
    now = 1_000_000;
  });

  test('an entry is served for less than one TTL after its read began, then read again', async () => {
    const { cache, reads } = make();
    const loading = cache.load(db, 1, 'u');
    now += 50; // the read takes 50 ms: the entry's age counts from its start
    reads[0]!.resolve(identity('free'));
    await loading;
    now += TTL - 51;
    expect(cache.peek(1, 'u')?.traits[0]!.value).toBe('free');
    now += 1;
    expect(cache.peek(1, 'u')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ identities: 1, hits: 1, misses: 1 });
    cache.sweep();
    expect(cache.stats().identities).toBe(0);
  });

  test('a read that began before a write is not kept; concurrent reads share one query', async () => {
    const { cache, reads } = make();
    const first = cache.load(db, 1, 'u');
    const joined = cache.load(db, 1, 'u');
    expect(reads).toHaveLength(1);
    cache.invalidate([{ environmentId: 1, identifier: 'u' }]);
    // After the write: a read of its own, not the one that began before.
    const after = cache.load(db, 1, 'u');
    expect(reads).toHaveLength(2);
    reads[0]!.resolve(identity('old'));
    expect((await first)?.traits[0]!.value).toBe('old');
    expect((await joined)?.traits[0]!.value).toBe('old');
    expect(cache.peek(1, 'u')).toBeUndefined();
    reads[1]!.resolve(identity('new'));
    await after;
    expect(cache.peek(1, 'u')?.traits[0]!.value).toBe('new');
    cache.invalidateEnvironments([1]);
    expect(cache.peek(1, 'u')).toBeUndefined();
  });

  test('memory stays under the budget: the oldest reads leave first', async () => {
    const budget = 64 * 1024;
    const { cache, reads } = make({ budgetBytes: budget });
    for (let i = 0; i < 2000; i++) {
      const loading = cache.load(db, 1, `user-${i}`);
      reads[i]!.resolve(identity(`plan-${i}`));
      await loading;
      expect(cache.stats().bytes).toBeLessThanOrEqual(budget);
    }
    const { identities, bytes } = cache.stats();
    expect(identities).toBeGreaterThan(50);
    expect(identities).toBeLessThan(2000);
    expect(bytes).toBeGreaterThan(budget / 2);
    expect(cache.peek(1, 'user-1999')).toBeDefined();
    expect(cache.peek(1, 'user-0')).toBeUndefined();
    // A kept answer counts too.
    const entry = cache.peek(1, 'user-1999')!;
    cache.attachAnswer(entry, { viewId: 1, kind: 'client', body: Buffer.alloc(16 * 1024), headers: {} });
    expect(cache.stats().bytes).toBeLessThanOrEqual(budget);
    expect(cache.peek(1, 'user-1999')?.answer?.body.length).toBe(16 * 1024);
    // An answer larger than the whole budget cannot stay.
    cache.attachAnswer(cache.peek(1, 'user-1999')!, { viewId: 1, kind: 'client', body: Buffer.alloc(budget), headers: {} });
    expect(cache.stats().bytes).toBeLessThanOrEqual(budget);
    expect(cache.peek(1, 'user-1999')).toBeUndefined();
  });

  test('database unreachable: an identity read within one TTL before the outage was noticed is served, an older one is not', async () => {
    let downSince: number | null = null;
    const { cache, reads } = make({ downSince: () => downSince });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const fill = async (identifier: string) => {
      const loading = cache.load(db, 1, identifier);
      reads[reads.length - 1]!.resolve(identity('pro'));
      await loading;
    };
    await fill('old');
    now += 600;
    await fill('recent');
    now += 500; // the outage is noticed: 'old' was read 1100 ms before, 'recent' 500 ms before
    downSince = now;
    now += 5000; // both expired long ago; the database is still down
    const fail = (identifier: string) => {
      const loading = cache.load(db, 1, identifier);
      reads[reads.length - 1]!.reject(refused);
      return loading;
    };
    expect((await fail('recent'))?.traits[0]!.value).toBe('pro');
    await expect(fail('old')).rejects.toThrow(/ECONNREFUSED/);
    await expect(fail('never-read')).rejects.toThrow(/ECONNREFUSED/);
    expect(cache.stats().outageServes).toBe(1);
    // A read for a write decision (POST /identities/) gets the error: it has its own outage answer.
    const forWrite = cache.load(db, 1, 'recent', true);
    reads[reads.length - 1]!.reject(refused);
    await expect(forWrite).rejects.toThrow(/ECONNREFUSED/);
    // Any other error is not an outage: it propagates.
    const loading = cache.load(db, 1, 'recent');
    reads[reads.length - 1]!.reject(new Error('syntax error'));
    await expect(loading).rejects.toThrow(/syntax error/);
    // Before anyone noticed, only a fresh entry would qualify (and a fresh one is answered without a read at all).
    downSince = null;
    await expect(fail('recent')).rejects.toThrow(/ECONNREFUSED/);
  });
});
