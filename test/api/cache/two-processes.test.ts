// Cache coherence across processes (issue 10, docs/performance.md): two `flagstack serve` processes on one database,
// polling every 250 ms. A change made through either one's admin API is served by the other within 1 s: by polling on
// SQLite, by LISTEN/NOTIFY on PostgreSQL (where it arrives in milliseconds, and the metrics show the notification).
// A trait written through one is served by the other within the poll interval (the identity cache's expiry, or the
// notification on PostgreSQL), and never stale beyond it.
import { createTestDatabase, enginesUnderTest, type TestDatabase } from '../../support/databases';
import { client, metric, startServerProcess, type ServerProcess } from './server-process';

const engines = enginesUnderTest().filter((e) => e === 'sqlite' || e === 'postgres');
const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery-staple' };

describe.each(engines)('two server processes on %s', (engine) => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let token: string;
  let envKey: string;
  let stateId: number;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    const common = { DATABASE_URL: database.url, CACHE_POLL_INTERVAL_MS: '250' };
    // The first applies the migrations and creates the admin; the second starts on the migrated database.
    a = await startServerProcess({ ...common, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    b = await startServerProcess({ ...common, MIGRATE_ON_START: 'false' });
    const api = client(a.url);
    token = (await api<{ key: string }>('POST', '/api/v1/auth/login/', { body: ADMIN })).body.key;
    const admin = <T = any>(method: string, path: string, body?: unknown) => api<T>(method, path, { body, token }); // eslint-disable-line @typescript-eslint/no-explicit-any
    const org = (await admin('POST', '/api/v1/organisations/', { name: 'Coherence' })).body;
    const project = (await admin('POST', '/api/v1/projects/', { name: 'Coherence', organisation: org.id })).body;
    envKey = (await admin('POST', '/api/v1/environments/', { name: 'Production', project: project.id })).body.api_key;
    const feature = (await admin('POST', `/api/v1/projects/${project.id}/features/`, { name: 'banner', initial_value: 'v0', default_enabled: true })).body;
    stateId = (await admin('GET', `/api/v1/environments/${envKey}/featurestates/?feature=${feature.id}`)).body.results[0].id;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  const bannerOn = async (server: ServerProcess): Promise<string> => {
    const res = await client(server.url)<Array<{ feature: { name: string }; feature_state_value: string }>>('GET', '/api/v1/flags/', { key: envKey });
    expect(res.status).toBe(200);
    return res.body.find((f) => f.feature.name === 'banner')!.feature_state_value;
  };

  /** Changes the value through `writer`'s admin API; returns how long `reader` took to serve it (ms). */
  const propagation = async (writer: ServerProcess, reader: ServerProcess, value: string): Promise<number> => {
    const res = await client(writer.url)('PATCH', `/api/v1/environments/${envKey}/featurestates/${stateId}/`, { body: { feature_state_value: value }, token });
    expect(res.status).toBe(200);
    const changedAt = Date.now();
    while ((await bannerOn(reader)) !== value) {
      if (Date.now() - changedAt > 3000) throw new Error(`${value} not served by the other process after 3 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now() - changedAt;
  };

  test('a change made through one process is served by the other within 1 s, both ways', async () => {
    // Both processes hold the environment in memory before the change.
    expect(await bannerOn(a)).toBe('v0');
    expect(await bannerOn(b)).toBe('v0');
    const aToB = await propagation(a, b, 'v1');
    const bToA = await propagation(b, a, 'v2');
    expect(aToB).toBeLessThan(1000);
    expect(bToA).toBeLessThan(1000);
    // The writer serves its own change at once (read your writes).
    expect(await bannerOn(b)).toBe('v2');
    if (engine === 'postgres') {
      // Pushed, not polled: the other process heard about it on its LISTEN connection.
      expect(await metric(b.url, 'flagstack_change_feed_listening')).toBe(1);
      expect(await metric(b.url, 'flagstack_change_notifications_total')).toBeGreaterThanOrEqual(1);
      expect(await metric(a.url, 'flagstack_change_notifications_total')).toBeGreaterThanOrEqual(1);
    }
    process.stdout.write(`[two processes on ${engine}] propagation a→b ${aToB} ms, b→a ${bToA} ms\n`);
  }, 60_000);

  test('repeated changes converge, and If-None-Match revalidates against the new version', async () => {
    const first = await fetch(`${b.url}/api/v1/flags/`, { headers: { 'x-environment-key': envKey } });
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${b.url}/api/v1/flags/`, { headers: { 'x-environment-key': envKey, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const times: number[] = [];
    for (let i = 3; i < 6; i++) times.push(await propagation(a, b, `v${i}`));
    expect(Math.max(...times)).toBeLessThan(1000);
    const changed = await fetch(`${b.url}/api/v1/flags/`, { headers: { 'x-environment-key': envKey, 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  }, 60_000);

  test('a trait written through one process is served by the other within the poll interval, and not stale beyond it', async () => {
    const POLL_MS = 250;
    const plan = async (server: ServerProcess): Promise<unknown> => {
      const res = await client(server.url)<{ traits: Array<{ trait_key: string; trait_value: unknown }> }>('GET', '/api/v1/identities/?identifier=shared-user', { key: envKey });
      expect(res.status).toBe(200);
      return res.body.traits.find((t) => t.trait_key === 'plan')?.trait_value;
    };
    const setPlan = async (writer: ServerProcess, value: string) => {
      const res = await client(writer.url)('POST', '/api/v1/traits/', { key: envKey, body: { identity: { identifier: 'shared-user' }, trait_key: 'plan', trait_value: value } });
      expect(res.status).toBe(200);
    };
    await setPlan(a, 'free');
    for (const [writer, reader, value] of [[a, b, 'pro'], [b, a, 'team'], [a, b, 'enterprise']] as const) {
      // The reader holds the identity in memory and answers from it (its hit counter moves). Two reads back to back,
      // a few times: on a loaded machine the pause between two reads can outlast the 250 ms an entry lives.
      let hit = false;
      for (let attempt = 0; attempt < 20 && !hit; attempt++) {
        const hitsBefore = await metric(reader.url, 'flagstack_identity_cache_hits_total');
        await plan(reader);
        await plan(reader);
        hit = (await metric(reader.url, 'flagstack_identity_cache_hits_total')) > hitsBefore;
      }
      expect(hit).toBe(true);
      const previous = await plan(reader);
      await setPlan(writer, value);
      const written = Date.now();
      // The writer serves it at once.
      expect(await plan(writer)).toBe(value);
      // The reader: each answer noted with when its request was sent. Any request sent one poll interval after the
      // write's 200 must see it (the cached entry's read began before the commit, so it expired by then).
      const samples: Array<{ sentAfter: number; value: unknown }> = [];
      while (Date.now() - written < POLL_MS + 200) {
        const sentAfter = Date.now() - written;
        samples.push({ sentAfter, value: await plan(reader) });
        await new Promise((r) => setTimeout(r, 5));
      }
      const staleBeyond = samples.filter((s) => s.sentAfter >= POLL_MS && s.value !== value);
      expect(staleBeyond).toEqual([]);
      expect(samples.filter((s) => s.value !== value && s.value !== previous)).toEqual([]);
      const firstNew = samples.find((s) => s.value === value)!;
      process.stdout.write(`[two processes on ${engine}] trait ${value}: first served by the other process ${firstNew.sentAfter} ms after the write (${samples.filter((s) => s.value !== value).length} stale answers before)\n`);
    }
    if (engine === 'postgres') {
      // Carried by the notification: the reader dropped its entry well before the interval.
      expect(await metric(b.url, 'flagstack_identity_cache_invalidations_total')).toBeGreaterThanOrEqual(2);
    }
  }, 60_000);
});
