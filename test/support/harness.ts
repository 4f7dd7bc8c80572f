// Starts the real API on a real database for a test file, with an instance admin signed in, and small helpers to
// call it. `listen: true` also opens a loopback port for clients that need one (the Flagsmith SDKs).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../api/src/config';
import { createApiRuntime, type ApiRuntime } from '../../api/src/runtimes/bootstrap';
import { createTestDatabase, type EngineName, type TestDatabase } from './databases';

export interface TestApi {
  engine: EngineName;
  /** The test database's URL, for a second instance or a direct connection. */
  databaseUrl: string;
  runtime: ApiRuntime;
  app: FastifyInstance;
  /** Base URL when started with `listen: true`. */
  url: string;
  adminToken: string;
  request(method: string, path: string, options?: { body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Admin call as the instance admin; throws with the body when the status is not the expected one. */
  admin<T = any>(method: string, path: string, body?: unknown, expected?: number): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  sdk(method: string, path: string, key: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct-horse-battery-staple';

export async function startTestApi(engine: EngineName, options: { listen?: boolean; env?: Record<string, string> } = {}): Promise<TestApi> {
  const database: TestDatabase = await createTestDatabase(engine);
  const config = loadConfig({
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    CACHE_POLL_INTERVAL_MS: '100',
    ...options.env,
  });
  // As `flagstack serve` runs it (named statements on PostgreSQL).
  const runtime = await createApiRuntime(config, { preparedStatements: true });
  const app = runtime.app;
  let url = '';
  if (options.listen) url = await app.listen({ port: 0, host: '127.0.0.1' });

  const request: TestApi['request'] = (method, path, opts = {}) =>
    app.inject({
      method: method as never,
      url: path,
      payload: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Token ${opts.token}` } : {}),
        ...opts.headers,
      },
    });

  const login = await request('POST', '/api/v1/auth/login/', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`admin login failed: ${login.statusCode} ${login.body}`);
  const adminToken = (login.json() as { key: string }).key;

  return {
    engine,
    databaseUrl: database.url,
    runtime,
    app,
    url,
    adminToken,
    request,
    admin: async <T,>(method: string, path: string, body?: unknown, expected?: number): Promise<T> => {
      const res = await request(method, path, { body, token: adminToken });
      const want = expected ?? (method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200);
      if (res.statusCode !== want) throw new Error(`${method} ${path} -> ${res.statusCode} (wanted ${want}): ${res.body}`);
      return (res.body ? res.json() : undefined) as T;
    },
    sdk: (method, path, key, body, headers = {}) => request(method, path, { body, headers: { 'x-environment-key': key, ...headers } }),
    close: async () => {
      await runtime.close();
      await database.drop();
    },
  };
}

export interface Fixture {
  organisationId: number;
  projectId: number;
  environment: { id: number; api_key: string };
  serverKey: string;
}

/** An organisation, project and environment with a server-side key. */
export async function createFixture(api: TestApi, name = 'Test'): Promise<Fixture> {
  const org = await api.admin('POST', '/api/v1/organisations/', { name: `${name} org` });
  const project = await api.admin('POST', '/api/v1/projects/', { name: `${name} project`, organisation: org.id });
  const environment = await api.admin('POST', '/api/v1/environments/', { name: `${name} env`, project: project.id });
  const serverKey = await api.admin('POST', `/api/v1/environments/${environment.api_key}/api-keys/`, { name: 'server' });
  return { organisationId: org.id, projectId: project.id, environment, serverKey: serverKey.key };
}
