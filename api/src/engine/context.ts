// Reading an EvaluationContext from JSON text without losing key order or float-ness (see lossless-json.ts).
// Collections whose order matters (features, segments, traits) become Maps; unknown fields are dropped.

import { parseJson } from './lossless-json';
import type {
  EvaluationContext,
  FeatureContext,
  FeatureValue,
  IdentityContext,
  PyNumber,
  SegmentCondition,
  SegmentContext,
  SegmentRule,
  TraitValue,
} from './types';
import { PyFloat, isPlainObject, type JsonObject, type JsonValue } from './values';

/**
 * Parses an evaluation context from JSON text. An engine-test-data case (`{"context": ..., "result": ...}`) is
 * also accepted and its `context` used. Throws SyntaxError for bad JSON and TypeError for a bad shape.
 */
export function parseEvaluationContext(jsonText: string): EvaluationContext {
  const doc = parseJson(jsonText);
  const context = isObject(doc) && !has(doc, 'environment') && isObject(get(doc, 'context')) ? get(doc, 'context') : doc;
  return toEvaluationContext(context);
}

/** Converts an already parsed JSON value (Maps or plain objects) into an EvaluationContext. */
export function toEvaluationContext(value: JsonValue | undefined): EvaluationContext {
  const root = object(value, '$');
  const environment = object(get(root, 'environment'), '$.environment');
  const identity = get(root, 'identity');
  const features = get(root, 'features');
  const segments = get(root, 'segments');
  return {
    environment: { key: string(get(environment, 'key'), '$.environment.key'), name: optionalString(get(environment, 'name'), '') },
    identity: identity === null || identity === undefined ? null : toIdentity(identity),
    features: features === null || features === undefined ? null : mapOf(features, '$.features', toFeature),
    segments: segments === null || segments === undefined ? null : mapOf(segments, '$.segments', toSegment),
  };
}

function toIdentity(value: JsonValue): IdentityContext {
  const identity = object(value, '$.identity');
  const key = get(identity, 'key');
  const traits = get(identity, 'traits');
  return {
    identifier: string(get(identity, 'identifier'), '$.identity.identifier'),
    key: key === null || key === undefined ? null : string(key, '$.identity.key'),
    traits: traits === null || traits === undefined ? null : mapOf<TraitValue>(traits, '$.identity.traits', (v) => v),
  };
}

function toFeature(value: JsonValue, path: string): FeatureContext {
  const feature = object(value, path);
  const variants = get(feature, 'variants');
  const enabled = get(feature, 'enabled');
  if (typeof enabled !== 'boolean') throw new TypeError(`${path}.enabled: expected a boolean`);
  return {
    key: keyString(get(feature, 'key'), `${path}.key`),
    name: string(get(feature, 'name'), `${path}.name`),
    enabled,
    value: get(feature, 'value') ?? null,
    variants: variants === null || variants === undefined ? null : list(variants, `${path}.variants`).map((v, i) => toVariant(v, `${path}.variants[${i}]`)),
    priority: optionalNumber(get(feature, 'priority'), `${path}.priority`),
    metadata: optionalObject(get(feature, 'metadata'), `${path}.metadata`),
  };
}

function toVariant(value: JsonValue, path: string): FeatureValue {
  const variant = object(value, path);
  const weight = get(variant, 'weight');
  if (typeof weight !== 'number' && !(weight instanceof PyFloat) && typeof weight !== 'bigint') {
    throw new TypeError(`${path}.weight: expected a number`);
  }
  const key = get(variant, 'key');
  return {
    value: get(variant, 'value') ?? null,
    weight: typeof weight === 'bigint' ? Number(weight) : weight,
    priority: optionalNumber(get(variant, 'priority'), `${path}.priority`),
    key: key === null || key === undefined ? null : string(key, `${path}.key`),
  };
}

function toSegment(value: JsonValue, path: string): SegmentContext {
  const segment = object(value, path);
  const rules = get(segment, 'rules');
  const overrides = get(segment, 'overrides');
  return {
    key: keyString(get(segment, 'key'), `${path}.key`),
    name: string(get(segment, 'name'), `${path}.name`),
    rules: rules === null || rules === undefined ? [] : list(rules, `${path}.rules`).map((r, i) => toRule(r, `${path}.rules[${i}]`)),
    overrides:
      overrides === null || overrides === undefined
        ? null
        : list(overrides, `${path}.overrides`).map((o, i) => toFeature(o, `${path}.overrides[${i}]`)),
    metadata: optionalObject(get(segment, 'metadata'), `${path}.metadata`),
  };
}

function toRule(value: JsonValue, path: string): SegmentRule {
  const rule = object(value, path);
  const conditions = get(rule, 'conditions');
  const rules = get(rule, 'rules');
  return {
    type: string(get(rule, 'type'), `${path}.type`),
    conditions:
      conditions === null || conditions === undefined
        ? null
        : list(conditions, `${path}.conditions`).map((c, i) => toCondition(c, `${path}.conditions[${i}]`)),
    rules: rules === null || rules === undefined ? null : list(rules, `${path}.rules`).map((r, i) => toRule(r, `${path}.rules[${i}]`)),
  };
}

function toCondition(value: JsonValue, path: string): SegmentCondition {
  const condition = object(value, path);
  const property = get(condition, 'property');
  return {
    property: property === null || property === undefined ? null : string(property, `${path}.property`),
    operator: string(get(condition, 'operator'), `${path}.operator`),
    value: get(condition, 'value') ?? null,
  };
}

// --- shape helpers: the reader makes Maps, but callers may pass JSON.parse output -------------------------------

function isObject(value: unknown): value is JsonObject {
  return value instanceof Map || isPlainObject(value);
}

function has(obj: JsonObject, key: string): boolean {
  return obj instanceof Map ? obj.has(key) : Object.prototype.hasOwnProperty.call(obj, key);
}

function get(obj: JsonObject, key: string): JsonValue | undefined {
  if (obj instanceof Map) return obj.get(key);
  return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, JsonValue>)[key] : undefined;
}

function object(value: JsonValue | undefined, path: string): JsonObject {
  if (!isObject(value)) throw new TypeError(`${path}: expected an object`);
  return value;
}

function optionalObject(value: JsonValue | undefined, path: string): JsonObject | null {
  return value === null || value === undefined ? null : object(value, path);
}

function list(value: JsonValue, path: string): readonly JsonValue[] {
  if (!Array.isArray(value)) throw new TypeError(`${path}: expected a list`);
  return value as readonly JsonValue[];
}

function string(value: JsonValue | undefined, path: string): string {
  if (typeof value !== 'string') throw new TypeError(`${path}: expected a string`);
  return value;
}

function optionalString(value: JsonValue | undefined, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** Keys are strings in the schema; an integer id is accepted as its decimal text (Python's str()). */
function keyString(value: JsonValue | undefined, path: string): string {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return string(value, path);
}

function optionalNumber(value: JsonValue | undefined, path: string): PyNumber | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof PyFloat) return value;
  throw new TypeError(`${path}: expected a number`);
}

function mapOf<T>(value: JsonValue, path: string, convert: (item: JsonValue, path: string) => T): Map<string, T> {
  const obj = object(value, path);
  const out = new Map<string, T>();
  const entries = obj instanceof Map ? obj.entries() : Object.entries(obj);
  for (const [key, item] of entries) out.set(key, convert(item, `${path}[${JSON.stringify(key)}]`));
  return out;
}
