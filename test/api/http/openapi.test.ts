// The OpenAPI document and the docs page: a valid OpenAPI 3 document that lists every admin route of the route
// table with its method, path parameters, body schema and permission, and an HTML page that loads.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ADMIN_ROUTES } from '../../../api/src/http/app';
import { startTestApi, type TestApi } from '../../support/harness';
import { jsonOf } from './helpers';

interface Operation {
  summary?: string;
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: object }>;
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, { description?: string }>;
  security?: Array<Record<string, string[]>>;
  'x-permission'?: string;
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string }> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const toOpenApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('OpenAPI document and docs page', () => {
  let api: TestApi;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    api = await startTestApi('sqlite', { env: { DATABASE_URL: 'sqlite::memory:' } });
    const res = await api.request('GET', '/api/v1/docs/openapi.json');
    expect(res.statusCode).toBe(200);
    doc = jsonOf(res) as OpenApiDocument;
  });
  afterAll(async () => api?.close());

  test('is an OpenAPI 3 document with info and paths', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
    expect(doc.info.title.length).toBeGreaterThan(0);
    expect(typeof doc.paths).toBe('object');
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    // Fastify's `:param` syntax never leaks into the document.
    expect(Object.keys(doc.paths).filter((p) => p.includes(':'))).toEqual([]);
  });

  test('every route of ADMIN_ROUTES is listed under its path and method, with its permission', () => {
    const missing: string[] = [];
    for (const route of ADMIN_ROUTES) {
      const path = toOpenApiPath(route.url);
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      if (!operation) missing.push(`${route.method} ${path}`);
      else expect({ route: `${route.method} ${path}`, permission: operation['x-permission'], summary: operation.summary }).toEqual({ route: `${route.method} ${path}`, permission: route.permission, summary: route.summary });
    }
    expect(missing).toEqual([]);
    expect(ADMIN_ROUTES.length).toBeGreaterThan(50);
  });

  test('operations are well formed: path parameters declared, responses present, security schemes defined', () => {
    const problems: string[] = [];
    const schemes = doc.components?.securitySchemes ?? {};
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
      for (const [method, op] of Object.entries(item)) {
        if (!HTTP_METHODS.includes(method)) continue;
        const where = `${method.toUpperCase()} ${path}`;
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
        if (JSON.stringify(declared.map((p) => p.name).sort()) !== JSON.stringify(templated)) problems.push(`${where}: path parameters ${declared.map((p) => p.name)} vs template ${templated}`);
        for (const p of declared) if (p.required !== true) problems.push(`${where}: path parameter ${p.name} is not required`);
        for (const p of op.parameters ?? []) if (!['path', 'query', 'header', 'cookie'].includes(p.in)) problems.push(`${where}: parameter ${p.name} in ${p.in}`);
        if (!op.responses || Object.keys(op.responses).length === 0) problems.push(`${where}: no responses`);
        for (const [code, response] of Object.entries(op.responses ?? {})) if (typeof response.description !== 'string') problems.push(`${where}: response ${code} has no description`);
        for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) if (!schemes[name]) problems.push(`${where}: unknown security scheme ${name}`);
        if (op.operationId) {
          if (operationIds.has(op.operationId)) problems.push(`${where}: duplicate operationId ${op.operationId}`);
          operationIds.add(op.operationId);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(Object.keys(schemes).sort()).toEqual(['ApiKey', 'Token']);
  });

  test('request bodies are the routes\' JSON schemas, and each compiles', () => {
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    let checked = 0;
    for (const route of ADMIN_ROUTES) {
      if (!route.schema?.body) continue;
      const op = doc.paths[toOpenApiPath(route.url)]![route.method.toLowerCase()]!;
      const schema = op.requestBody?.content?.['application/json']?.schema;
      expect({ route: `${route.method} ${route.url}`, hasSchema: schema !== undefined }).toEqual({ route: `${route.method} ${route.url}`, hasSchema: true });
      expect(() => ajv.compile(schema as object)).not.toThrow();
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
    // A body schema says what the server enforces: e.g. the organisation body refuses unknown fields.
    const orgBody = doc.paths['/api/v1/organisations/']!.post!.requestBody!.content!['application/json']!.schema as { required?: string[]; additionalProperties?: boolean };
    expect(orgBody).toMatchObject({ required: ['name'], additionalProperties: false });
  });

  test('/api/v1/docs/ serves an HTML page whose assets load', async () => {
    for (const start of ['/api/v1/docs/', '/api/v1/docs']) {
      let res = await api.request('GET', start);
      if (res.statusCode >= 300 && res.statusCode < 400) {
        const location = String(res.headers.location);
        res = await api.request('GET', new URL(location, `http://localhost${start}`).pathname);
      }
      expect({ start, status: res.statusCode }).toEqual({ start, status: 200 });
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toMatch(/<html[\s>]/i);
      expect(res.body).toMatch(/swagger/i);
    }
    // The page's stylesheet and script are served too (relative to /api/v1/docs/).
    const page = (await api.request('GET', '/api/v1/docs/')).body;
    const assets = [...page.matchAll(/(?:href|src)="([^"]+\.(?:css|js))"/g)].map((m) => new URL(m[1]!, 'http://localhost/api/v1/docs/').pathname);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect({ asset, status: (await api.request('GET', asset)).statusCode }).toEqual({ asset, status: 200 });
  });
});
