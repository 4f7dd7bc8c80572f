// GET /api/v1/flags/ answered beneath Fastify (api/src/http/sdk/fast-path.ts): over a real socket, the fast path's
// answers are byte for byte what Fastify's route sends (status, every header but the connection's own, body), for
// client and server keys, with and without the trailing slash, and for 304 on If-None-Match; everything it must not
// answer (missing or unknown keys, queries, HEAD, a view to rebuild, an organisation that stopped serving flags, a
// closing server) reaches Fastify and gets Fastify's answer.
import type { IncomingHttpHeaders } from 'node:http';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';
import { enginesUnderTest } from '../../support/databases';
import { rawRequest, type RawResponse } from '../../support/raw-http';
import { flagsFastPath } from '../../../api/src/http/sdk/fast-path';
import type { EnvironmentCache } from '../../../api/src/services/sdk/environment-cache';

jest.setTimeout(60_000);


const raw = (api: TestApi, method: string, path: string, headers: Record<string, string>): Promise<RawResponse> => rawRequest(api.url, method, path, headers);

describe.each(enginesUnderTest())('flags fast path on %s', (engine) => {
  let api: TestApi;
  let fixture: Fixture;
  const served = () => api.runtime.cache.stats().fastPathServes;

  beforeAll(async () => {
    api = await startTestApi(engine, { listen: true });
    fixture = await createFixture(api, 'Fast');
    await api.admin('POST', `/api/v1/projects/${fixture.projectId}/features/`, { name: 'shown', default_enabled: true, initial_value: 'blue' });
    await api.admin('POST', `/api/v1/projects/${fixture.projectId}/features/`, { name: 'server_only', default_enabled: true, is_server_key_only: true });
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Fastify's answer to the same request: a query string keeps the fast path out, and the route ignores an empty one. */
  async function viaFastify(path: string, headers: Record<string, string>): Promise<RawResponse> {
    const before = served();
    const answer = await raw(api, 'GET', `${path}?`, headers);
    expect(served()).toBe(before);
    return answer;
  }

  /**
   * After a change: the first request rebuilds the view through Fastify; a version poll that read the versions before
   * the write may invalidate it once more (a harmless extra rebuild), so wait for the fast path to take over.
   */
  async function untilFast(path: string, headers: Record<string, string>): Promise<RawResponse> {
    for (let i = 0; i < 50; i++) {
      const before = served();
      const answer = await raw(api, 'GET', path, headers);
      if (served() === before + 1) return answer;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the fast path never served the rebuilt view');
  }

  async function viaFastPath(path: string, headers: Record<string, string>): Promise<RawResponse> {
    const before = served();
    const answer = await raw(api, 'GET', path, headers);
    expect(served()).toBe(before + 1);
    return answer;
  }

  test.each([
    ['client key', '/api/v1/flags/'],
    ['client key', '/api/v1/flags'],
    ['server key', '/api/v1/flags/'],
  ])('%s, %s: the same status, headers and body as the Fastify route, and 304 alike', async (kind, path) => {
    const key = kind === 'client key' ? fixture.environment.api_key : fixture.serverKey;
    const headers = { 'x-environment-key': key };
    const fast = await untilFast(path, headers);
    const slow = await viaFastify(path, headers);
    expect(fast).toEqual(slow);
    expect(fast.status).toBe(200);
    expect(Object.fromEntries(fast.headers)).toMatchObject({
      'access-control-allow-origin': '*',
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(fast.body)),
    });
    const names = (JSON.parse(fast.body) as Array<{ feature: { name: string } }>).map((f) => f.feature.name).sort();
    expect(names).toEqual(kind === 'client key' ? ['shown'] : ['server_only', 'shown']);
    // The injected request of the function runtimes gets the same body and headers.
    const injected = await api.sdk('GET', path, key);
    expect(injected.body).toBe(fast.body);
    expect(injected.headers.etag).toBe(Object.fromEntries(fast.headers).etag);

    const etag = Object.fromEntries(fast.headers).etag!;
    const conditional = { ...headers, 'if-none-match': etag };
    const fast304 = await viaFastPath(path, conditional);
    const slow304 = await viaFastify(path, conditional);
    expect(fast304).toEqual(slow304);
    expect(fast304.status).toBe(304);
    expect(fast304.body).toBe('');
    // Another ETag gets the body.
    expect((await viaFastPath(path, { ...headers, 'if-none-match': '"other"' })).status).toBe(200);
  });

  test('missing and unknown keys, queries, other methods and paths reach Fastify', async () => {
    const before = served();
    const missing = await raw(api, 'GET', '/api/v1/flags/', {});
    expect([missing.status, JSON.parse(missing.body)]).toEqual([403, { detail: 'Invalid or missing Environment key' }]);
    const unknown = await raw(api, 'GET', '/api/v1/flags/', { 'x-environment-key': 'no-such-key' });
    expect([unknown.status, JSON.parse(unknown.body)]).toEqual([403, { detail: 'Invalid or missing Environment Key' }]);
    const feature = await raw(api, 'GET', '/api/v1/flags/?feature=shown', { 'x-environment-key': fixture.environment.api_key });
    expect(feature.status).toBe(200);
    expect((JSON.parse(feature.body) as { feature: { name: string } }).feature.name).toBe('shown');
    const head = await raw(api, 'HEAD', '/api/v1/flags/', { 'x-environment-key': fixture.environment.api_key });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const preflight = await raw(api, 'OPTIONS', '/api/v1/flags/', { 'x-environment-key': fixture.environment.api_key });
    expect(preflight.status).toBe(204);
    const other = await raw(api, 'GET', '/api/v1/flags/x/', { 'x-environment-key': fixture.environment.api_key });
    expect(other.status).toBe(404);
    expect(served()).toBe(before);
  });

  test('a change is served at once: the stale view goes to Fastify, which rebuilds it; then the fast path serves the new one', async () => {
    const headers = { 'x-environment-key': fixture.environment.api_key };
    await raw(api, 'GET', '/api/v1/flags/', headers);
    const states = await api.admin('GET', `/api/v1/environments/${fixture.environment.api_key}/featurestates/`);
    const shown = (states.results ?? states).find((s: { feature: number; enabled: boolean }) => s.enabled);
    await api.admin('PATCH', `/api/v1/environments/${fixture.environment.api_key}/featurestates/${shown.id}/`, { enabled: false });
    const before = served();
    const first = await raw(api, 'GET', '/api/v1/flags/', headers);
    expect(served()).toBe(before);
    expect((JSON.parse(first.body) as Array<{ enabled: boolean }>).every((f) => !f.enabled)).toBe(true);
    const next = await untilFast('/api/v1/flags/', headers);
    expect(next.body).toBe(first.body);
  });

  test('an organisation that stopped serving flags gets Fastify\'s 403', async () => {
    const headers = { 'x-environment-key': fixture.environment.api_key };
    await api.admin('PATCH', `/api/v1/organisations/${fixture.organisationId}/`, { stop_serving_flags: true });
    const before = served();
    for (let i = 0; i < 2; i++) {
      const answer = await raw(api, 'GET', '/api/v1/flags/', headers);
      expect([answer.status, JSON.parse(answer.body)]).toEqual([403, { detail: 'Organisation is disabled from serving flags.' }]);
    }
    expect(served()).toBe(before);
    await api.admin('PATCH', `/api/v1/organisations/${fixture.organisationId}/`, { stop_serving_flags: false });
    expect((await untilFast('/api/v1/flags/', headers)).status).toBe(200);
  });

  test('the metric counts fast-path answers', async () => {
    const metrics = await api.request('GET', '/health/metrics');
    expect(metrics.body).toMatch(new RegExp(`^flagstack_flags_fast_path_serves_total ${served()}$`, 'm'));
  });
});

describe('flags fast path decisions', () => {
  const view = { organisation: { stop_serving_flags: false }, flagsBody: () => ({ body: Buffer.from('[]'), etag: '"e"', headers: {}, okHeaders: { 'content-length': '2' }, notModifiedHeaders: {} }) };
  const cache = { peek: (key: string) => (key === 'k' ? { view, kind: 'client' } : undefined), fastPathServes: 0 } as unknown as EnvironmentCache;

  function run(closing: boolean, req: { method: string; url: string; headers: IncomingHttpHeaders }) {
    const calls: unknown[] = [];
    const res = { writeHead: (...a: unknown[]) => calls.push(['writeHead', ...a]), end: (...a: unknown[]) => calls.push(['end', ...a]) };
    const answered = flagsFastPath(cache, () => closing)(req as never, res as never);
    return { answered, calls };
  }

  test('answers a fresh key and steps aside while the server closes', () => {
    const req = { method: 'GET', url: '/api/v1/flags/', headers: { 'x-environment-key': 'k' } };
    expect(run(false, req).answered).toBe(true);
    const closing = run(true, req);
    expect(closing).toEqual({ answered: false, calls: [] });
    expect(run(false, { ...req, headers: { 'x-environment-key': 'other' } }).answered).toBe(false);
    expect(run(false, { ...req, method: 'POST' }).answered).toBe(false);
    expect(run(false, { ...req, url: '/api/v1/flags/?x=1' }).answered).toBe(false);
    expect(run(false, { ...req, headers: {} }).answered).toBe(false);
  });
});
