// How the API serves the admin UI: hashed assets cached for a year, index.html not cached and carrying the security
// headers and the injected settings, client-side routes answered with index.html, API paths keeping their JSON 404,
// and a clear page when the UI is not built. Uses a small stand-in build in a temporary folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../api/src/config';
import { buildApp } from '../../api/src/http/app';
import { contentSecurityPolicy, scriptSafeJson, uiRuntimeSettings } from '../../api/src/http/ui/static';
import { startTestApi, type TestApi } from '../support/harness';

let api: TestApi;
let dir: string;

beforeAll(async () => {
  api = await startTestApi('sqlite');
  dir = mkdtempSync(join(tmpdir(), 'flagstack-ui-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>t</title><!--flagstack-settings--></head><body><script type="module" src="/assets/index-abc123.js"></script></body></html>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
});

afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function appWith(env: Record<string, string>, uiDir: string): Promise<FastifyInstance> {
  const config = loadConfig({ DATABASE_URL: api.databaseUrl, LOG_LEVEL: 'silent', ...env });
  return buildApp({ store: api.runtime.store, cache: api.runtime.cache, settings: { tokenTtlHours: 1 }, config }, { uiDir, version: '9.9.9' });
}

test('index.html: no-cache, CSP without inline scripts, frame-ancestors none, nosniff, settings injected', async () => {
  const app = await appWith({ API_URL: 'https://api.example.com/api/v1/', FLAGSMITH_CLIENT_API: 'https://flags.example.com/api/v1/', FLAGSMITH: 'ui-key</script><script>alert(1)' }, dir);
  try {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' https://api.example.com https://flags.example.com");
    const json = /<script id="flagstack-settings" type="application\/json">(.*?)<\/script>/.exec(res.body)![1]!;
    expect(JSON.parse(json)).toEqual({ apiUrl: 'https://api.example.com/api/v1/', flagsmithClientApi: 'https://flags.example.com/api/v1/', flagsmithEnvironmentKey: 'ui-key</script><script>alert(1)', version: '9.9.9' });
    // The value cannot close the script element.
    expect(res.body.match(/<\/script>/g)).toHaveLength(2);
    expect(res.body).not.toContain('<script>alert');
  } finally {
    await app.close();
  }
});

test('client-side routes get index.html; API paths keep their JSON 404; assets are immutable', async () => {
  const app = await appWith({}, dir);
  try {
    for (const url of ['/projects/1/environments/abc/features', '/login', '/organisations?x=1']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('flagstack-settings');
    }
    for (const url of ['/api/v1/nope/', '/api/nope', '/health/nope', '/assets/missing.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ detail: 'Not found.' });
    }
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    expect(asset.body).toBe('console.log(1)');
    // Other methods on UI paths are not served the page.
    expect((await app.inject({ method: 'POST', url: '/projects/1' })).statusCode).toBe(404);
  } finally {
    await app.close();
  }
});

test('without a build, / says how to build the UI and the API still works', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'flagstack-noui-'));
  const app = await appWith({}, empty);
  try {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:ui');
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/providers/' })).statusCode).toBe(200);
  } finally {
    await app.close();
    rmSync(empty, { recursive: true, force: true });
  }
});

test('helpers: script-safe JSON and the CSP of the default settings', () => {
  expect(scriptSafeJson({ a: '</script><!--\u2028' })).toBe('{"a":"\\u003c/script>\\u003c!--\\u2028"}');
  expect(contentSecurityPolicy(uiRuntimeSettings(undefined, '1'))).toContain("connect-src 'self';");
});
