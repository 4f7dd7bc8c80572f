// Property: no request body, content type, path id or credential makes a write route fail with a 5xx, answer
// anything but JSON, or change the database while answering 4xx. Bodies start from each route's own typebox
// schema (so most of them get past the first check) and are then corrupted; every write route of ADMIN_ROUTES and
// every SDK write route is driven, on in-memory SQLite, with the paths' ids taken from a real fixture.
import fc from 'fast-check';
import { Type, type TSchema } from '@sinclair/typebox';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN_ROUTES } from '../../../api/src/http/app';
import { CONDITION_OPERATORS, RULE_TYPES } from '../../../api/src/domain/segments';
import { ENVIRONMENT_PERMISSIONS, ORGANISATION_PERMISSIONS, PROJECT_PERMISSIONS } from '../../../api/src/domain/permissions';
import { startTestApi, type TestApi } from '../../support/harness';
import { changedTables, createFixtureSet, crossScopeViolations, DbWatcher, fillParams, fingerprint, login, MEMBER_PASSWORD, RBAC_COLLECTIONS, uid, type FixtureSet } from './helpers';

jest.setTimeout(Number(process.env.FUZZ_RUNS ?? 1500) * 200);

// FUZZ_RUNS raises the count for a longer hunt (the default keeps the suite well under a minute).
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const MIN_PER_ROUTE = 6;
const MIB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Routes

type Params = Record<string, string | number>;

interface FuzzRoute {
  name: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  sdk: boolean;
  permission: string;
  body?: TSchema;
  params: string[];
}

const SdkIdentifier = Type.String({ minLength: 1, maxLength: 2000, 'x-hint': 'identifier' });
const SdkTraitKey = Type.String({ minLength: 1, maxLength: 200, 'x-hint': 'trait_key' });
const SdkTraitValue = Type.Union([Type.String({ maxLength: 2000 }), Type.Integer(), Type.Number(), Type.Boolean(), Type.Null()]);
const SdkTraitItem = Type.Object({ identity: Type.Object({ identifier: SdkIdentifier }), trait_key: SdkTraitKey, trait_value: SdkTraitValue });
const FeatureName = Type.String({ maxLength: 300, 'x-hint': 'feature_name' });

/** What Flagsmith's SDKs send to the write endpoints; the server reads these tolerantly, without a schema. */
const SDK_WRITE_ROUTES: FuzzRoute[] = [
  {
    method: 'POST', url: '/api/v1/identities/',
    body: Type.Object({
      identifier: SdkIdentifier,
      traits: Type.Optional(Type.Array(Type.Object({ trait_key: SdkTraitKey, trait_value: SdkTraitValue, transient: Type.Optional(Type.Boolean()) }), { maxItems: 4 })),
      transient: Type.Optional(Type.Boolean()),
    }),
  },
  { method: 'POST', url: '/api/v1/traits/', body: SdkTraitItem },
  { method: 'PUT', url: '/api/v1/traits/bulk/', body: Type.Array(SdkTraitItem, { maxItems: 4 }) },
  { method: 'POST', url: '/api/v1/traits/increment-value/', body: Type.Object({ identifier: SdkIdentifier, trait_key: SdkTraitKey, increment_by: Type.Integer() }) },
  { method: 'POST', url: '/api/v1/analytics/flags/', body: Type.Object({ standard: Type.Optional(Type.Integer({ minimum: 0 })), multi: Type.Optional(Type.Integer({ minimum: 0 })) }) },
  {
    method: 'POST', url: '/api/v2/analytics/flags/',
    body: Type.Object({
      evaluations: Type.Array(
        Type.Object({ feature_name: FeatureName, count: Type.Integer({ minimum: 0 }), identity_identifier: Type.Optional(Type.Union([SdkIdentifier, Type.Null()])), enabled_when_evaluated: Type.Optional(Type.Boolean()) }),
        { maxItems: 4 },
      ),
    }),
  },
].map((r) => ({ ...r, method: r.method as FuzzRoute['method'], name: `${r.method} ${r.url}`, sdk: true, permission: 'SDK', params: [] }));

const ADMIN_WRITE_ROUTES: FuzzRoute[] = ADMIN_ROUTES.filter((r) => r.method !== 'GET').map((r) => ({
  name: `${r.method} ${r.url}`,
  method: r.method as FuzzRoute['method'],
  url: r.url,
  sdk: false,
  permission: r.permission,
  body: r.schema?.body,
  params: [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!),
}));

const ROUTES: FuzzRoute[] = [...ADMIN_WRITE_ROUTES, ...SDK_WRITE_ROUTES];

// ---------------------------------------------------------------------------------------------------------------
// Payloads: JSON values with raw-text markers (numbers JSON.stringify cannot write, nesting deeper than it recurses)

const RAW = '\u0000raw';
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const raw = (text: string): Json => ({ [RAW]: text });
const isRaw = (v: unknown): v is { [RAW]: string } => typeof v === 'object' && v !== null && !Array.isArray(v) && RAW in v;

function toJsonText(v: Json): string {
  if (isRaw(v)) return v[RAW];
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${toJsonText(v[k]!)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** Every key at any depth of what was sent (iteratively: bodies nest deeply), so a 400 naming a sent field is recognised. */
function sentKeys(text: string | undefined, contentType: string | null | undefined): Set<string> {
  const out = new Set<string>();
  if (text === undefined) return out;
  if (contentType && /x-www-form-urlencoded/i.test(contentType)) {
    for (const k of new URLSearchParams(text).keys()) out.add(k);
    return out;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    return out;
  }
  const stack: unknown[] = [parsed];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.add(k), stack.push(x);
  }
  return out;
}

type Payload =
  | { kind: 'none'; label: string }
  | { kind: 'json'; value: Json; contentType: string; label: string }
  | { kind: 'text'; text: string; contentType: string | null; label: string };

function payloadText(p: Payload): string | undefined {
  if (p.kind === 'none') return undefined;
  if (p.kind === 'text') return p.text;
  return toJsonText(p.value);
}

// ---------------------------------------------------------------------------------------------------------------
// Valid-looking values from a typebox schema

interface IdPools {
  [field: string]: number[];
}

function schemaProps(schema: TSchema | undefined): string[] {
  if (!schema) return [];
  const s = schema as { properties?: Record<string, TSchema>; items?: TSchema; anyOf?: TSchema[] };
  if (s.properties) return Object.keys(s.properties).flatMap((k) => [k, ...schemaProps(s.properties![k])]);
  if (s.items) return schemaProps(s.items);
  if (s.anyOf) return s.anyOf.flatMap(schemaProps);
  return [];
}

const EDGE_DATES = ['2016-12-31T23:59:60Z', '1990-12-31T15:59:60-08:00', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999999999Z', '2020-01-01t00:00:00z', '2020-02-29T00:00:00+14:00'];

function rulesArb(pools: { identifiers: string[] }): fc.Arbitrary<Json> {
  const condition = fc.record(
    {
      operator: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...CONDITION_OPERATORS) }, { weight: 1, arbitrary: fc.constantFrom('equal', 'LIKE', '', 'MODULO ') }),
      property: fc.oneof(fc.constant('plan'), fc.string({ maxLength: 10 }), fc.constant(null)),
      value: fc.oneof(fc.constantFrom('pro', '2|0', '3|1', '50', '1.5.0', '.*', 'a,b', '2|', '|', 'x|y', '1e999'), fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null)),
      description: fc.string({ maxLength: 10 }),
    },
    { requiredKeys: ['operator'] },
  );
  const rule = fc.letrec<{ rule: Json }>((tie) => ({
    rule: fc.record(
      {
        type: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...RULE_TYPES) }, { weight: 1, arbitrary: fc.constantFrom('all', 'SOME', '') }),
        rules: fc.array(tie('rule'), { maxLength: 2, depthIdentifier: 'rules' }),
        conditions: fc.array(condition as fc.Arbitrary<Json>, { maxLength: 3 }),
      },
      { requiredKeys: ['type'] },
    ) as fc.Arbitrary<Json>,
  })).rule;
  void pools;
  return fc.array(rule, { maxLength: 3 });
}

function validish(schema: TSchema, field: string, pools: IdPools, strings: { identifiers: string[] }, depth = 0): fc.Arbitrary<Json> {
  const s = schema as Record<string, unknown> & TSchema;
  if (field === 'rules' && depth <= 1) return rulesArb(strings);
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as TSchema[]).map((x) => validish(x, field, pools, strings, depth)));
  if (s.const !== undefined) return fc.constant(s.const as Json);
  switch (s.type) {
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, TSchema>;
      const model: Record<string, fc.Arbitrary<Json>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = validish(v, k, pools, strings, depth + 1);
      return fc.record(model, { requiredKeys: (s.required as string[] | undefined) ?? [] }) as fc.Arbitrary<Json>;
    }
    case 'array': {
      const itemField = field === 'tags' ? 'tag' : field;
      return fc.array(validish(s.items as TSchema, itemField, pools, strings, depth + 1), { minLength: (s.minItems as number) ?? 0, maxLength: Math.min((s.maxItems as number) ?? 3, 3) });
    }
    case 'string': {
      if (s.format === 'date-time') return fc.oneof({ weight: 4, arbitrary: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()) }, { weight: 1, arbitrary: fc.constantFrom(...EDGE_DATES) });
      if (s.format === 'email') return fc.oneof(fc.emailAddress().filter((e) => e.length <= 254), fc.constantFrom('a@b', 'UPPER@EXAMPLE.COM', 'x@example.com'));
      const min = (s.minLength as number) ?? 0;
      const max = (s.maxLength as number) ?? 50;
      const hint = (s['x-hint'] as string | undefined) ?? field;
      const options: Array<fc.Arbitrary<Json>> = [fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, Math.min(max, 16)) })];
      if (hint === 'identifier') options.push(fc.constantFrom(...strings.identifiers));
      if (hint === 'trait_key') options.push(fc.constantFrom('plan', 'age', 'n'));
      if (hint === 'feature_name') options.push(fc.constantFrom('standard', 'multi'));
      if (hint === 'permissions') options.push(fc.constantFrom(...ORGANISATION_PERMISSIONS, ...PROJECT_PERMISSIONS, ...ENVIRONMENT_PERMISSIONS, 'ADMIN', 'view_project'));
      if (max <= 25_000) options.push(fc.constantFrom('x'.repeat(max), 'é'.repeat(Math.max(min, max - 1))));
      return fc.oneof(...options);
    }
    case 'integer': {
      const pool = pools[field];
      const min = (s.minimum as number | undefined) ?? -1_000_000;
      const max = (s.maximum as number | undefined) ?? 1_000_000;
      if (pool) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.integer({ min, max }) });
      if (field === 'version') return fc.integer({ min: 1, max: 4 });
      if (field === 'priority') return fc.integer({ min: 0, max: 4 });
      return fc.integer({ min, max });
    }
    case 'number': {
      const min = (s.minimum as number | undefined) ?? -1e9;
      const max = (s.maximum as number | undefined) ?? 1e9;
      return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Corruptions

type Path = Array<string | number>;

function pathsOf(v: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (isRaw(v)) return out;
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) pathsOf(v[k]!, [...prefix, k], out);
  return out;
}

function clone(v: Json): Json {
  if (Array.isArray(v)) return v.map(clone);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: clone(v[k]!), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

function getAt(v: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string, Json>)[key as string]!, v);
}

function setAt(v: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const root = clone(v);
  const parent = getAt(root, path.slice(0, -1)) as Record<string, Json>;
  Object.defineProperty(parent, path[path.length - 1] as string, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

const typeOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const OTHER_TYPES: Json[] = [5, -1, 1.5, true, false, null, '', 'text', '5', [], {}, [1, 'a'], { a: 1 }];
const UNKNOWN_KEYS = ['zz_unknown', 'Name', 'is_superuser', '__proto__', 'constructor', 'prototype', '', ' ', 'name ', '😀', 'k'.repeat(300), 'id', 'organisation_id'];
const EDGE_NUMBERS = ['0', '-0', '-1', '2147483648', '9007199254740991', '9007199254740993', '1e308', '1e999', '-1e999', '0.1', '1e-400', '123456789012345678901234567890', '100.0000000001', '101', '-100', '1E2'];
const NAN_STRINGS = ['NaN', 'Infinity', '-Infinity', '1e999', '0x1F', '', ' ', 'null', 'true', 'undefined', '١٢٣', '1_000', '+1', '\u0000', '1 ', '00001', '2|0', '-1'];
const UNICODE = ['\u202egnp.exe', '\ud800', 'e\u0301', '𝕏𝕐', 'Ω≈ç√', '\u200b', 'ﷺ', '🇺🇳👩‍👩‍👧', 'a\u0000b', '\\', '"\'', '<script>alert(1)</script>', "'; DROP TABLE features; --", '%00', '../../etc/passwd'];

type Corruption =
  | { op: 'wrongType'; pick: number; with: number }
  | { op: 'unknownField'; pick: number; key: number; value: Json }
  | { op: 'drop'; pick: number; key: number }
  | { op: 'null'; pick: number }
  | { op: 'huge'; pick: number; size: number; char: string }
  | { op: 'deep'; pick: number; depth: number; kind: 'array' | 'object' }
  | { op: 'arrayForObject'; pick: number }
  | { op: 'edgeNumber'; pick: number; n: number }
  | { op: 'nanString'; pick: number; n: number }
  | { op: 'unicode'; pick: number; text: string };

const corruptionArb: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ op: fc.constant('wrongType' as const), pick: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('unknownField' as const), pick: fc.nat(), key: fc.nat(), value: fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json> }),
  fc.record({ op: fc.constant('drop' as const), pick: fc.nat(), key: fc.nat() }),
  fc.record({ op: fc.constant('null' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('huge' as const),
    pick: fc.nat(),
    size: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(2001, 2500, 20_001) }, { weight: 1, arbitrary: fc.constant(MIB + 50_000) }),
    char: fc.constantFrom('x', 'é', '😀', '\u0000', '"'),
  }),
  fc.record({ op: fc.constant('deep' as const), pick: fc.nat(), depth: fc.constantFrom(64, 1000, 20_000), kind: fc.constantFrom('array' as const, 'object' as const) }),
  fc.record({ op: fc.constant('arrayForObject' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('edgeNumber' as const), pick: fc.nat(), n: fc.nat() }),
  fc.record({ op: fc.constant('nanString' as const), pick: fc.nat(), n: fc.nat() }),
  fc.record({ op: fc.constant('unicode' as const), pick: fc.nat(), text: fc.oneof(fc.constantFrom(...UNICODE), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 })) }),
);

function corrupt(value: Json, c: Corruption): Json {
  const paths = pathsOf(value);
  const at = paths[c.pick % paths.length]!;
  const node = getAt(value, at);
  switch (c.op) {
    case 'wrongType': {
      const others = OTHER_TYPES.filter((o) => typeOf(o) !== typeOf(node));
      return setAt(value, at, clone(others[c.with % others.length]!));
    }
    case 'unknownField': {
      const objects = paths.filter((p) => { const n = getAt(value, p); return n !== null && typeof n === 'object' && !Array.isArray(n) && !isRaw(n); });
      if (objects.length === 0) return value;
      const target = objects[c.pick % objects.length]!;
      return setAt(value, [...target, UNKNOWN_KEYS[c.key % UNKNOWN_KEYS.length]!], c.value);
    }
    case 'drop': {
      const objects = paths.filter((p) => { const n = getAt(value, p); return n !== null && typeof n === 'object' && !Array.isArray(n) && !isRaw(n) && Object.keys(n).length > 0; });
      if (objects.length === 0) return value;
      const target = objects[c.pick % objects.length]!;
      const copy = clone(getAt(value, target)) as Record<string, Json>;
      const keys = Object.keys(copy);
      delete copy[keys[c.key % keys.length]!];
      return setAt(value, target, copy);
    }
    case 'null':
      return setAt(value, at, null);
    case 'huge':
      return setAt(value, at, c.char.repeat(Math.ceil(c.size / c.char.length)));
    case 'deep': {
      const text = c.kind === 'array' ? '['.repeat(c.depth) + ']'.repeat(c.depth) : '{"a":'.repeat(c.depth) + '1' + '}'.repeat(c.depth);
      return setAt(value, at, raw(text));
    }
    case 'arrayForObject':
      return setAt(value, at, [clone(node)]);
    case 'edgeNumber':
      return setAt(value, at, raw(EDGE_NUMBERS[c.n % EDGE_NUMBERS.length]!));
    case 'nanString':
      return setAt(value, at, NAN_STRINGS[c.n % NAN_STRINGS.length]!);
    case 'unicode':
      return setAt(value, at, c.text);
  }
}

const RAW_TEXTS = ['', ' ', '{', '[1,2', "{'name': 'x'}", 'undefined', 'NaN', '{"name":"x"}garbage', '\ufeff{"name":"x"}', '{"name":"x",}', '{"a":1,"a":2}', 'null', 'true', '123', '"string"', '[]', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', 'name=x&organisation=1', '<xml/>'];
const WRONG_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/octet-stream', 'application/json; charset=utf-16', 'application/jsonx', 'APPLICATION/JSON', 'application/vnd.api+json', null];
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];

function formEncode(v: Json): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || isRaw(v)) return `value=${encodeURIComponent(toJsonText(v))}`;
  return Object.keys(v).map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v[k] === 'string' ? (v[k] as string) : toJsonText(v[k]!))}`).join('&');
}

function payloadArb(route: FuzzRoute, pools: IdPools, strings: { identifiers: string[] }): fc.Arbitrary<Payload> {
  const base: fc.Arbitrary<Json> = route.body ? validish(route.body, '', pools, strings) : fc.constant({});
  const corrupted = fc.tuple(base, fc.array(corruptionArb, { minLength: 1, maxLength: 3 })).map(([v, cs]) => ({ value: cs.reduce(corrupt, v), label: cs.map((c) => c.op).join('+') }));
  return fc.oneof(
    { weight: 7, arbitrary: fc.tuple(base, fc.constantFrom(...JSON_TYPES)).map(([value, contentType]): Payload => ({ kind: 'json', value, contentType, label: 'valid' })) },
    { weight: 10, arbitrary: fc.tuple(corrupted, fc.constantFrom(...JSON_TYPES)).map(([c, contentType]): Payload => ({ kind: 'json', value: c.value, contentType, label: c.label })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value): Payload => ({ kind: 'json', value: value as Json, contentType: 'application/json', label: 'any-json' })) },
    { weight: 2, arbitrary: fc.oneof(fc.constantFrom(...RAW_TEXTS), fc.string({ unit: 'binary', maxLength: 40 })).map((text): Payload => ({ kind: 'text', text, contentType: 'application/json', label: 'bad-json' })) },
    {
      weight: 2,
      arbitrary: fc.tuple(base, fc.constantFrom(...WRONG_TYPES)).map(([value, contentType]): Payload => ({
        kind: 'text',
        text: contentType === 'application/x-www-form-urlencoded' ? formEncode(value) : toJsonText(value),
        contentType,
        label: `content-type ${contentType ?? 'none'}`,
      })),
    },
    { weight: 1, arbitrary: fc.constant<Payload>({ kind: 'none', label: 'no body' }) },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Targets and credentials

const BAD_IDS = ['999999', '0', '-1', 'abc', '1.5', '1e3', '99999999999999999999', '%20', '%C3%BC', "1'%20OR%201=1", 'null', '0x10'];
const BAD_KEYS = ['nope', 'x'.repeat(101), 'x'.repeat(250), '%F0%9F%98%80', 'ser.nope', '..%2F'];

type Target = { kind: 'real' } | { kind: 'unknown'; param: number; value: number } | { kind: 'foreign' };
const targetArb: fc.Arbitrary<Target> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Target>({ kind: 'real' }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unknown' as const), param: fc.nat(), value: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant<Target>({ kind: 'foreign' }) },
);

const ADMIN_ACTORS = ['admin', 'admin', 'admin', 'admin', 'admin', 'admin', 'adminKey', 'member', 'readKey', 'revokedKey', 'badToken', 'none', 'malformed'] as const;
const SDK_ACTORS = ['client', 'client', 'client', 'client', 'server', 'server', 'otherClient', 'unknownKey', 'noKey'] as const;
type Actor = (typeof ADMIN_ACTORS)[number] | (typeof SDK_ACTORS)[number];

const QUERIES = ['', '', '', '', '', '', '?identifier=query-user', '?a=1&a=2', '?__proto__=x', '?format=xml'];

interface Sample {
  route: FuzzRoute;
  target: Target;
  actor: Actor;
  payload: Payload;
  query: string;
}

// ---------------------------------------------------------------------------------------------------------------

describe('HTTP fuzz: every write route on in-memory SQLite', () => {
  let api: TestApi;
  let main: FixtureSet;
  let other: FixtureSet;
  const tokens: Record<string, string> = {};
  const secrets: string[] = [];
  const perRoute = new Map<string, { n: number; statuses: Map<number, number> }>(ROUTES.map((r) => [r.name, { n: 0, statuses: new Map() }]));
  let watcher: DbWatcher;
  const timing = { setup: 0, request: 0, checks: 0 };
  let refusals = 0;
  let started = 0;

  beforeAll(async () => {
    started = Date.now();
    api = await startTestApi('sqlite', { env: { DATABASE_URL: 'sqlite::memory:' } });
    if (!api.runtime.databaseDescription.includes(':memory:')) throw new Error(`not in memory: ${api.runtime.databaseDescription}`);
    main = await createFixtureSet(api, 'main');
    other = await createFixtureSet(api, 'other');
    const memberEmail = `${uid('member')}@example.com`;
    await api.admin('POST', `/api/v1/organisations/${main.orgId}/users/`, { email: memberEmail, password: MEMBER_PASSWORD, role: 'USER' });
    tokens.member = await login(api, memberEmail, MEMBER_PASSWORD);
    tokens.adminKey = (await api.admin('POST', `/api/v1/organisations/${main.orgId}/master-api-keys/`, { name: 'admin key', is_admin: true })).key;
    tokens.readKey = (await api.admin('POST', `/api/v1/organisations/${main.orgId}/master-api-keys/`, { name: 'read key', is_admin: false })).key;
    const revoked = await api.admin('POST', `/api/v1/organisations/${main.orgId}/master-api-keys/`, { name: 'revoked key' });
    await api.admin('DELETE', `/api/v1/organisations/${main.orgId}/master-api-keys/${revoked.id}/`);
    tokens.revokedKey = revoked.key;
    watcher = await DbWatcher.start(api);
    secrets.push(api.adminToken, tokens.member, tokens.adminKey, tokens.readKey, tokens.revokedKey, main.serverKey, other.serverKey, MEMBER_PASSWORD);
  });

  afterAll(async () => {
    const lines = [...perRoute.entries()].map(([name, s]) => `${String(s.n).padStart(4)}  ${name}  ${[...s.statuses.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}×${v}`).join(' ')}`);
    const total = [...perRoute.values()].reduce((a, s) => a + s.n, 0);
    console.log(`fuzz: ${total} requests over ${perRoute.size} routes in ${((Date.now() - started) / 1000).toFixed(1)} s (setup and fingerprints ${timing.setup} ms, requests ${timing.request} ms, checks ${timing.checks} ms)\n${lines.join('\n')}`);
    await api?.close();
  });

  function authHeader(actor: Actor): Record<string, string> {
    switch (actor) {
      case 'admin': return { authorization: `Token ${api.adminToken}` };
      case 'adminKey': return { authorization: `Api-Key ${tokens.adminKey}` };
      case 'member': return { authorization: `Token ${tokens.member}` };
      case 'readKey': return { authorization: `Api-Key ${tokens.readKey}` };
      case 'revokedKey': return { authorization: `Api-Key ${tokens.revokedKey}` };
      case 'badToken': return { authorization: 'Token 0123456789abcdef0123456789abcdef' };
      case 'malformed': return { authorization: 'Basic YWRtaW46YWRtaW4=' };
      case 'client': return { 'x-environment-key': main.envKey };
      case 'server': return { 'x-environment-key': main.serverKey };
      case 'otherClient': return { 'x-environment-key': other.envKey };
      case 'unknownKey': return { 'x-environment-key': 'unknown-environment-key' };
      default: return {};
    }
  }

  // -- real ids for each route; DELETE routes get a fresh object to delete ------------------------------------

  async function create(path: string, body: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return api.admin('POST', path, body);
  }

  const both = (methods: string[], url: string, f: (s: FixtureSet) => Promise<Params> | Params) => Object.fromEntries(methods.map((m) => [`${m} ${url}`, f]));

  const RESOLVERS: Record<string, (s: FixtureSet) => Promise<Params> | Params> = {
    'POST /api/v1/organisations/': () => ({}),
    ...both(['PUT', 'PATCH'], '/api/v1/organisations/:id/', (s) => ({ id: s.orgId })),
    'DELETE /api/v1/organisations/:id/': async () => ({ id: (await create('/api/v1/organisations/', { name: uid('doomed org') })).id }),
    'POST /api/v1/organisations/:id/users/': (s) => ({ id: s.orgId }),
    'POST /api/v1/organisations/:id/users/:user_id/update-role/': (s) => ({ id: s.orgId, user_id: s.roleTargetUserId }),
    'DELETE /api/v1/organisations/:id/users/:user_id/': async (s) => {
      const res = await api.request('POST', `/api/v1/organisations/${s.orgId}/users/`, { token: api.adminToken, body: { email: s.spareUserEmail, role: 'USER' } });
      if (res.statusCode !== 201 && res.statusCode !== 409) throw new Error(`adding the spare user: ${res.statusCode} ${res.body}`);
      return { id: s.orgId, user_id: s.spareUserId };
    },
    'POST /api/v1/organisations/:id/master-api-keys/': (s) => ({ id: s.orgId }),
    'DELETE /api/v1/organisations/:id/master-api-keys/:key_id/': async (s) => ({ id: s.orgId, key_id: (await create(`/api/v1/organisations/${s.orgId}/master-api-keys/`, { name: 'doomed' })).id }),
    'POST /api/v1/projects/': () => ({}),
    ...both(['PUT', 'PATCH'], '/api/v1/projects/:id/', (s) => ({ id: s.projectId })),
    'DELETE /api/v1/projects/:id/': async (s) => ({ id: (await create('/api/v1/projects/', { name: uid('doomed'), organisation: s.orgId })).id }),
    'POST /api/v1/projects/:project_pk/tags/': (s) => ({ project_pk: s.projectId }),
    ...both(['PUT', 'PATCH'], '/api/v1/projects/:project_pk/tags/:id/', (s) => ({ project_pk: s.projectId, id: s.tagId })),
    'DELETE /api/v1/projects/:project_pk/tags/:id/': async (s) => ({ project_pk: s.projectId, id: (await create(`/api/v1/projects/${s.projectId}/tags/`, { label: uid('doomed') })).id }),
    'POST /api/v1/environments/': () => ({}),
    ...both(['PUT', 'PATCH'], '/api/v1/environments/:env_key/', (s) => ({ env_key: s.envKey })),
    'DELETE /api/v1/environments/:env_key/': async (s) => ({ env_key: (await create('/api/v1/environments/', { name: uid('doomed'), project: s.projectId })).api_key }),
    'POST /api/v1/environments/:env_key/api-keys/': (s) => ({ env_key: s.envKey }),
    ...both(['PUT', 'PATCH'], '/api/v1/environments/:env_key/api-keys/:id/', (s) => ({ env_key: s.envKey, id: s.targetServerKeyId })),
    'DELETE /api/v1/environments/:env_key/api-keys/:id/': async (s) => ({ env_key: s.envKey, id: (await create(`/api/v1/environments/${s.envKey}/api-keys/`, { name: 'doomed' })).id }),
    'POST /api/v1/projects/:project_pk/features/': (s) => ({ project_pk: s.projectId }),
    ...both(['PUT', 'PATCH'], '/api/v1/projects/:project_pk/features/:id/', (s) => ({ project_pk: s.projectId, id: s.featureId })),
    'DELETE /api/v1/projects/:project_pk/features/:id/': async (s) => ({ project_pk: s.projectId, id: (await create(`/api/v1/projects/${s.projectId}/features/`, { name: uid('doomed') })).id }),
    'POST /api/v1/projects/:project_pk/features/:feature_pk/mv-options/': (s) => ({ project_pk: s.projectId, feature_pk: s.mvFeatureId }),
    ...both(['PUT', 'PATCH'], '/api/v1/projects/:project_pk/features/:feature_pk/mv-options/:id/', (s) => ({ project_pk: s.projectId, feature_pk: s.mvFeatureId, id: s.optionId })),
    'DELETE /api/v1/projects/:project_pk/features/:feature_pk/mv-options/:id/': async (s) => ({
      project_pk: s.projectId,
      feature_pk: s.mvFeatureId,
      id: (await create(`/api/v1/projects/${s.projectId}/features/${s.mvFeatureId}/mv-options/`, { type: 'unicode', string_value: 'doomed', default_percentage_allocation: 0 })).id,
    }),
    ...both(['PUT', 'PATCH'], '/api/v1/environments/:env_key/featurestates/:id/', (s) => ({ env_key: s.envKey, id: s.defaultStateId })),
    'POST /api/v1/environments/:env_key/features/:feature_pk/create-segment-override/': (s) => ({ env_key: s.envKey, feature_pk: s.mvFeatureId }),
    'POST /api/v1/features/featurestates/': () => ({}),
    ...both(['PUT', 'PATCH'], '/api/v1/features/featurestates/:id/', (s) => ({ id: s.segmentStateId })),
    'DELETE /api/v1/features/featurestates/:id/': async (s) => {
      const identity = await create(`/api/v1/environments/${s.envKey}/identities/`, { identifier: uid('doomed') });
      return { id: (await create(`/api/v1/environments/${s.envKey}/identities/${identity.id}/featurestates/`, { feature: s.featureId, enabled: true })).id };
    },
    'POST /api/v1/features/feature-segments/': () => ({}),
    'POST /api/v1/features/feature-segments/update-priorities/': () => ({}),
    'DELETE /api/v1/features/feature-segments/:id/': async (s) => {
      const segment = await create(`/api/v1/projects/${s.projectId}/segments/`, { name: uid('doomed'), rules: [] });
      return { id: (await create('/api/v1/features/feature-segments/', { feature: s.featureId, segment: segment.id, environment: s.envId })).id };
    },
    'POST /api/v1/projects/:project_pk/segments/': (s) => ({ project_pk: s.projectId }),
    ...both(['PUT', 'PATCH'], '/api/v1/projects/:project_pk/segments/:id/', (s) => ({ project_pk: s.projectId, id: s.segmentId })),
    'DELETE /api/v1/projects/:project_pk/segments/:id/': async (s) => ({ project_pk: s.projectId, id: (await create(`/api/v1/projects/${s.projectId}/segments/`, { name: uid('doomed'), rules: [] })).id }),
    'POST /api/v1/environments/:env_key/identities/': (s) => ({ env_key: s.envKey }),
    'DELETE /api/v1/environments/:env_key/identities/:identity_pk/': async (s) => ({ env_key: s.envKey, identity_pk: (await create(`/api/v1/environments/${s.envKey}/identities/`, { identifier: uid('doomed') })).id }),
    'POST /api/v1/environments/:env_key/identities/:identity_pk/traits/': (s) => ({ env_key: s.envKey, identity_pk: s.identityId }),
    'DELETE /api/v1/environments/:env_key/identities/:identity_pk/traits/:id/': async (s) => ({
      env_key: s.envKey,
      identity_pk: s.identityId,
      id: (await create(`/api/v1/environments/${s.envKey}/identities/${s.identityId}/traits/`, { trait_key: uid('doomed'), trait_value: 1 })).id,
    }),
    'POST /api/v1/environments/:env_key/identities/:identity_pk/featurestates/': (s) => ({ env_key: s.envKey, identity_pk: s.identityId }),
    ...both(['PUT', 'PATCH'], '/api/v1/environments/:env_key/identities/:identity_pk/featurestates/:id/', (s) => ({ env_key: s.envKey, identity_pk: s.identityId, id: s.identityOverrideId })),
    'DELETE /api/v1/environments/:env_key/identities/:identity_pk/featurestates/:id/': async (s) => {
      const identity = await create(`/api/v1/environments/${s.envKey}/identities/`, { identifier: uid('doomed') });
      return { env_key: s.envKey, identity_pk: identity.id, id: (await create(`/api/v1/environments/${s.envKey}/identities/${identity.id}/featurestates/`, { feature: s.featureId, enabled: false })).id };
    },
    'POST /api/v1/environments/:env_key/create-change-request/': (s) => ({ env_key: s.envKey }),
    ...both(['PUT', 'PATCH'], '/api/v1/features/workflows/change-requests/:id/', (s) => ({ id: s.envChangeRequestId })),
    'DELETE /api/v1/features/workflows/change-requests/:id/': async (s) => ({ id: (await create(`/api/v1/environments/${s.envKey}/create-change-request/`, { title: 'doomed', feature_states: [{ feature: s.featureId, enabled: false }] })).id }),
    'POST /api/v1/features/workflows/change-requests/:id/approve/': (s) => ({ id: s.envChangeRequestId }),
    'POST /api/v1/features/workflows/change-requests/:id/commit/': async (s) => ({ id: (await create(`/api/v1/environments/${s.envKey}/create-change-request/`, { title: 'to commit', feature_states: [{ feature: s.featureId, enabled: true }] })).id }),
    'POST /api/v1/projects/:project_pk/change-requests/': (s) => ({ project_pk: s.projectId }),
    'DELETE /api/v1/projects/:project_pk/change-requests/:id/': async (s) => ({ project_pk: s.projectId, id: (await create(`/api/v1/projects/${s.projectId}/change-requests/`, { title: 'doomed', segments: [{ segment: s.segmentId, description: 'x' }] })).id }),
    'POST /api/v1/projects/:project_pk/change-requests/:id/approve/': (s) => ({ project_pk: s.projectId, id: s.projectChangeRequestId }),
    'POST /api/v1/projects/:project_pk/change-requests/:id/commit/': async (s) => ({ project_pk: s.projectId, id: (await create(`/api/v1/projects/${s.projectId}/change-requests/`, { title: 'to commit', segments: [{ segment: s.segmentId, description: 'committed' }] })).id }),
    'DELETE /api/v1/organisations/:id/groups/:group_id/': async (s) => ({ id: s.orgId, group_id: (await create(`/api/v1/organisations/${s.orgId}/groups/`, { name: uid('doomed') })).id }),
    'DELETE /api/v1/organisations/:id/roles/:role_id/': async (s) => ({ id: s.orgId, role_id: (await create(`/api/v1/organisations/${s.orgId}/roles/`, { name: uid('doomed') })).id }),
  };

  /**
   * Routes without their own resolver (RBAC and any new ones) still get driven: parameters are filled from the fixture
   * by name, an item of an RBAC collection (`:item_id`, `:grant_id`) is the first one listed (created when there is
   * none), and any other name is an unknown id, so such a route is fuzzed on its 404 path.
   */
  function fallbackResolver(route: FuzzRoute): (s: FixtureSet) => Promise<Params> {
    return async (s) => {
      const out: Params = {};
      const last = route.params[route.params.length - 1];
      for (const name of route.params) {
        if (name === last && (name === 'item_id' || name === 'grant_id')) continue;
        try {
          out[name] = fillParams(route.url.slice(0, route.url.indexOf(`:${name}/`) + name.length + 2), s).split('/').at(-2)!;
        } catch {
          out[name] = 999_999;
        }
      }
      if (last === 'item_id' || last === 'grant_id') {
        const template = route.url.slice(0, route.url.indexOf(`:${last}/`));
        const collection = RBAC_COLLECTIONS.find((c) => c.url === template);
        out[last] = 999_999;
        if (collection) {
          const url = fillParams(template, s);
          const listed = await api.admin('GET', url);
          const items = (Array.isArray(listed) ? listed : listed.results) as Array<{ id: number }>;
          out[last] = items[0]?.id ?? (await create(url, collection.body(s))).id;
        }
      }
      return out;
    };
  }
  const resolverFor = (route: FuzzRoute): ((s: FixtureSet) => Promise<Params> | Params) => RESOLVERS[route.name] ?? fallbackResolver(route);
  const fallbackRoutes = ADMIN_WRITE_ROUTES.filter((r) => !RESOLVERS[r.name]).map((r) => r.name);

  test('the resolvers name real routes, and the core write routes have their own', () => {
    const known = new Set(ADMIN_WRITE_ROUTES.map((r) => r.name));
    expect(Object.keys(RESOLVERS).filter((name) => !known.has(name))).toEqual([]);
    expect(Object.keys(RESOLVERS).length).toBeGreaterThanOrEqual(58);
    if (fallbackRoutes.length > 0) console.log(`fuzz: routes without their own resolver (ids by parameter name):\n  ${fallbackRoutes.join('\n  ')}`);
  });

  test('the fingerprint sees a one-column change and ignores reads', async () => {
    const before = await fingerprint(api);
    await api.admin('GET', `/api/v1/projects/${main.projectId}/tags/`);
    expect((await fingerprint(api)).digest).toBe(before.digest);
    await api.admin('PATCH', `/api/v1/projects/${main.projectId}/tags/${main.tagId}/`, { color: '#123456' });
    const after = await fingerprint(api);
    expect(after.digest).not.toBe(before.digest);
    expect(changedTables(before, after).map((t) => t.split(' ')[0])).toEqual(expect.arrayContaining(['tags']));
    // The incremental watcher agrees with a fresh computation, and sees the same kind of change.
    const watched = await watcher.sync();
    await api.admin('PATCH', `/api/v1/projects/${main.projectId}/tags/${main.tagId}/`, { color: '#654321' });
    const next = await watcher.sync();
    expect(changedTables(watched, next).map((t) => t.split(' ')[0])).toEqual(expect.arrayContaining(['tags', 'audit_log']));
    expect((await watcher.full()).digest).toBe(next.digest);
  });

  async function pathFor(sample: Sample): Promise<{ path: string; foreign: boolean }> {
    const { route, target } = sample;
    let params: Params = {};
    let foreign = false;
    if (!route.sdk) {
      params = await resolverFor(route)(main);
      if (target.kind === 'foreign' && route.params.length >= 2) {
        const last = route.params[route.params.length - 1]!;
        params[last] = (await resolverFor(route)(other))[last]!;
        foreign = true;
      }
      if (target.kind === 'unknown' && route.params.length > 0) {
        const name = route.params[target.param % route.params.length]!;
        params[name] = name === 'env_key' ? BAD_KEYS[target.value % BAD_KEYS.length]! : BAD_IDS[target.value % BAD_IDS.length]!;
      }
    }
    const path = route.url.replace(/:(\w+)/g, (_m, name: string) => {
      const v = params[name];
      if (v === undefined) throw new Error(`${route.name}: no value for :${name}`);
      return typeof v === 'number' ? String(v) : v;
    });
    return { path: path + sample.query, foreign };
  }

  /**
   * Fuzzed writes may switch on what would stop the next request's setup or the SDK routes (change requests,
   * stopped flags, archived features, client traits off): switch it back, so every route stays reachable.
   */
  let settingsMayHaveChanged = true;
  async function keepFixturesUsable(): Promise<void> {
    // Only an accepted write can have switched something.
    if (!settingsMayHaveChanged) return;
    settingsMayHaveChanged = false;
    const db = api.runtime.store.db;
    for (const set of [main, other]) {
      const fixes: Array<[string, unknown]> = [];
      const org = await db.selectFrom('organisations').select(['stop_serving_flags', 'persist_trait_data']).where('id', '=', set.orgId).executeTakeFirstOrThrow();
      if (Boolean(org.stop_serving_flags) || !org.persist_trait_data) fixes.push([`/api/v1/organisations/${set.orgId}/`, { stop_serving_flags: false, persist_trait_data: true }]);
      const project = await db.selectFrom('projects').select(['minimum_change_request_approvals']).where('id', '=', set.projectId).executeTakeFirstOrThrow();
      if (project.minimum_change_request_approvals !== null) fixes.push([`/api/v1/projects/${set.projectId}/`, { minimum_change_request_approvals: null }]);
      const env = await db.selectFrom('environments').select(['allow_client_traits', 'minimum_change_request_approvals']).where('id', '=', set.envId).executeTakeFirstOrThrow();
      if (!env.allow_client_traits || env.minimum_change_request_approvals !== null) fixes.push([`/api/v1/environments/${set.envKey}/`, { allow_client_traits: true, minimum_change_request_approvals: null }]);
      for (const id of [set.featureId, set.mvFeatureId]) {
        const feature = await db.selectFrom('features').select(['is_archived']).where('id', '=', id).executeTakeFirstOrThrow();
        if (feature.is_archived) fixes.push([`/api/v1/projects/${set.projectId}/features/${id}/`, { is_archived: false }]);
      }
      for (const [path, body] of fixes) {
        await api.admin('PATCH', path, body);
      }
    }
  }

  function expectJsonBody(sample: Sample, res: LightMyRequestResponse): unknown {
    if (res.statusCode === 204) {
      if (res.body !== '') throw new Error('204 with a body');
      return undefined;
    }
    // Core answers the v1 analytics endpoint with an empty 200.
    if (sample.route.url === '/api/v1/analytics/flags/' && res.statusCode === 200 && res.body === '') return undefined;
    const type = String(res.headers['content-type'] ?? '');
    if (!type.startsWith('application/json')) throw new Error(`not JSON (${type || 'no content type'}): ${res.body.slice(0, 200)}`);
    return JSON.parse(res.body);
  }

  function checkFieldNames(sample: Sample, body: unknown, sent: Set<string>): void {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error(`400 body is not an object: ${JSON.stringify(body)?.slice(0, 200)}`);
    const keys = Object.keys(body);
    if (keys.length === 0) throw new Error('400 body names nothing');
    const known = new Set<string>(['detail', 'non_field_errors', ...schemaProps(sample.route.body), ...sample.route.params, ...sample.route.params.map((p) => p.replace(/_pk$/, '')), ...sent]);
    for (const key of keys) {
      const root = key.split(/[.[]/)[0]!;
      if (key.startsWith('[') || known.has(root) || known.has(key)) continue;
      throw new Error(`400 names "${key}", which is neither a field of the route nor of the request`);
    }
    for (const [key, value] of Object.entries(body)) {
      const ok = Array.isArray(value) ? value.length > 0 && value.every((m) => typeof m === 'string' && m.length > 0) : key === 'detail' && typeof value === 'string';
      if (!ok) throw new Error(`400 field "${key}" does not hold a list of messages: ${JSON.stringify(value).slice(0, 200)}`);
    }
  }

  async function runSample(sample: Sample): Promise<void> {
    const { route, payload, actor } = sample;
    let t = Date.now();
    await keepFixturesUsable();
    const { path, foreign } = await pathFor(sample);
    const before = await watcher.sync();
    timing.setup += Date.now() - t;
    t = Date.now();
    const text = payloadText(payload);
    const headers: Record<string, string> = { ...authHeader(actor) };
    if (payload.kind === 'json') headers['content-type'] = payload.contentType;
    if (payload.kind === 'text' && payload.contentType) headers['content-type'] = payload.contentType;
    const res = await api.app.inject({ method: route.method, url: path, payload: text, headers });
    timing.request += Date.now() - t;
    t = Date.now();
    const stats = perRoute.get(route.name)!;
    stats.n++;
    stats.statuses.set(res.statusCode, (stats.statuses.get(res.statusCode) ?? 0) + 1);

    const describeIt = () => `${route.method} ${path.slice(0, 200)} as ${actor} with ${payload.label} (${text === undefined ? 'no body' : `${Buffer.byteLength(text)} bytes: ${text.slice(0, 300)}`}) -> ${res.statusCode} ${res.body.slice(0, 300)}`;
    const fail = (why: string) => { throw new Error(`${why}\n  ${describeIt()}`); };

    if (res.statusCode >= 500) fail('server error');
    let body: unknown;
    try {
      body = expectJsonBody(sample, res);
    } catch (e) {
      fail((e as Error).message);
    }

    const bytes = text === undefined ? 0 : Buffer.byteLength(text);
    const tooLarge = bytes > MIB;
    const ct = payload.kind === 'none' ? undefined : payload.kind === 'json' ? payload.contentType : payload.contentType;
    const unsupportedType = payload.kind !== 'none' && !(ct && /^(application\/json|text\/plain|application\/x-www-form-urlencoded)\b/i.test(ct));
    // Admin routes check credentials before reading the body, so an anonymous oversize body gets 401 first.
    if (tooLarge && ![413, 415].includes(res.statusCode) && !(!route.sdk && [401, 404].includes(res.statusCode))) fail('a body over 1 MiB was not refused with 413');

    if (route.sdk) {
      const allowed = [200, 204, 400, 403, ...(tooLarge ? [413] : []), ...(unsupportedType ? [415] : [])];
      if (!allowed.includes(res.statusCode)) fail(`SDK route answered ${res.statusCode}; Core answers only ${allowed.join('/')}`);
      if (['noKey', 'unknownKey'].includes(actor) && res.statusCode < 400) fail('SDK write without a valid key succeeded');
    } else {
      const allowed = [200, 201, 204, 400, 401, 403, 404, 409, 413, 415];
      if (!allowed.includes(res.statusCode)) fail(`unexpected status ${res.statusCode}`);
      if (['badToken', 'none', 'malformed', 'revokedKey'].includes(actor) && (res.statusCode < 400 || res.statusCode === 403)) fail('unauthenticated write was not refused with 400/401');
      if (['member', 'readKey'].includes(actor) && route.permission !== 'AUTHENTICATED' && res.statusCode < 400) fail('read-only actor was allowed to write');
      if (foreign && res.statusCode < 400) fail("a child id from another organisation was accepted under this one's path");
    }

    if (res.statusCode >= 400) {
      const leaked = secrets.find((s) => res.body.includes(s));
      if (leaked) fail('error body echoes a secret');
      if (res.statusCode === 400 && body !== undefined) {
        try {
          checkFieldNames(sample, body, sentKeys(text, ct));
        } catch (e) {
          fail((e as Error).message);
        }
      }
      const after = await watcher.sync();
      if (after.digest !== before.digest) fail(`a ${res.statusCode} changed the database: ${changedTables(before, after).join(', ')}`);
      // Every 20th refusal, the incremental fingerprint is checked against one computed from scratch.
      if (++refusals % 20 === 0) {
        const fresh = await watcher.full();
        if (fresh.digest !== after.digest) fail(`the incremental fingerprint drifted: ${changedTables(after, fresh).join(', ')}`);
      }
    } else {
      settingsMayHaveChanged = true;
      const violations = await crossScopeViolations(api);
      if (violations.length > 0) fail(`a ${res.statusCode} left data that crosses projects: ${violations.join('; ')}`);
    }
    timing.checks += Date.now() - t;
  }

  function sampleArb(routes: FuzzRoute[], pools: IdPools, strings: { identifiers: string[] }): fc.Arbitrary<Sample> {
    return fc.constantFrom(...routes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        target: targetArb,
        actor: fc.constantFrom<Actor>(...(route.sdk ? SDK_ACTORS : ADMIN_ACTORS)),
        payload: payloadArb(route, pools, strings),
        query: fc.constantFrom(...QUERIES),
      }),
    );
  }

  test(`${NUM_RUNS}+ random requests: no 5xx, always JSON, 4xx leaves the database as it was`, async () => {
    const unknown = 999_999;
    const pools: IdPools = {
      organisation: [main.orgId, other.orgId, unknown],
      project: [main.projectId, other.projectId, unknown],
      environment: [main.envId, other.envId, unknown],
      feature: [main.featureId, main.mvFeatureId, other.featureId, unknown],
      feature_pk: [main.featureId],
      segment: [main.segmentId, other.segmentId, unknown],
      identity: [main.identityId, other.identityId, unknown],
      feature_segment: [main.featureSegmentId, other.featureSegmentId, unknown],
      multivariate_feature_option: [main.optionId, main.optionId + 1, other.optionId, unknown],
      tag: [main.tagId, other.tagId, unknown],
      user: [main.roleTargetUserId, other.roleTargetUserId, unknown],
      user_ids: [main.roleTargetUserId, main.spareUserId, other.roleTargetUserId, unknown],
      group: [main.groupId, other.groupId, unknown],
      role: [main.roleId, other.roleId, unknown],
      master_api_key: [main.apiKeyId, other.apiKeyId, unknown],
      id: [main.featureSegmentId, other.featureSegmentId, main.defaultStateId, main.segmentStateId, unknown],
    };
    const strings = { identifiers: [main.identifier, other.identifier, 'fuzz-user'] };
    const property = (routes: FuzzRoute[]) => fc.asyncProperty(sampleArb(routes, pools, strings), runSample);

    // FUZZ_SEED replays a failing run (the seed is printed with every failure).
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
    await fc.assert(property(ROUTES), { numRuns: NUM_RUNS, seed });
    // Top up the routes the random choice reached least, so every route is driven a few times.
    for (const route of ROUTES) {
      const missing = MIN_PER_ROUTE - perRoute.get(route.name)!.n;
      if (missing > 0) await fc.assert(property([route]), { numRuns: missing });
    }

    const counts = [...perRoute.values()].map((s) => s.n);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(NUM_RUNS);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(MIN_PER_ROUTE);
    // The fuzz is only worth something if bodies get through validation too: some writes succeed on most routes.
    const succeeded = [...perRoute.entries()].filter(([, s]) => [...s.statuses.keys()].some((code) => code < 300)).map(([name]) => name);
    expect(succeeded.length).toBeGreaterThan(ROUTES.length / 3);
  });
});
