// Converts one raw environment string to the type its schema declares, and phrases what the schema expects
// for error messages ("an integer between 1 and 65535"). Driven by the JSON shape of the schema only.
import type { TSchema } from '@sinclair/typebox';
// Check alone (Value.Check is the same function): the Value namespace would pull every value operator into the bundle.
import { Check } from '@sinclair/typebox/value';

const TRUE_WORDS = new Set(['true', '1', 'on', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'off', 'no']);

interface JsonSchemaLike {
  type?: string;
  const?: unknown;
  anyOf?: JsonSchemaLike[];
  aliases?: Record<string, string>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  expected?: string;
}

/** Returns the converted value, or undefined when the text is not of the schema's type. */
export function coerce(schema: TSchema, raw: string): unknown {
  const s = schema as JsonSchemaLike;
  if (s.anyOf) {
    const lower = raw.trim().toLowerCase();
    const alias = s.aliases && Object.entries(s.aliases).find(([k]) => k.toLowerCase() === lower);
    if (alias) return alias[1];
    for (const member of s.anyOf) {
      const value = coerce(member as TSchema, raw);
      if (value !== undefined && Check(member as TSchema, value)) return value;
    }
    return undefined;
  }
  if (s.const !== undefined) {
    return typeof s.const === 'string' && s.const.toLowerCase() === raw.trim().toLowerCase() ? s.const : undefined;
  }
  switch (s.type) {
    case 'integer':
      return /^[+-]?\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
    case 'number':
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
    case 'boolean': {
      const word = raw.trim().toLowerCase();
      return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
    }
    default:
      return raw;
  }
}

/** Completes "expected …" for a schema. */
export function expectation(schema: TSchema): string {
  const s = schema as JsonSchemaLike;
  if (s.expected) return s.expected;
  if (s.anyOf) {
    if (s.anyOf.every((m) => m.const !== undefined)) return `one of ${s.anyOf.map((m) => String(m.const)).join(', ')}`;
    return s.anyOf.map((m) => expectation(m as TSchema)).join(' or ');
  }
  if (s.const !== undefined) return JSON.stringify(s.const);
  switch (s.type) {
    case 'integer':
      return `an integer${describeRange(s)}`;
    case 'number':
      return `a number${describeRange(s)}`;
    case 'boolean':
      return 'a boolean (true/false, 1/0, on/off, yes/no)';
    default:
      return 'a non-empty string';
  }
}

/** The bounds of a numeric schema in words (" between 1 and 10"); shared with the deployment config's messages. */
export function describeRange(s: { minimum?: number; maximum?: number; exclusiveMinimum?: number }): string {
  if (s.minimum !== undefined && s.maximum !== undefined) return ` between ${s.minimum} and ${s.maximum}`;
  if (s.exclusiveMinimum !== undefined && s.maximum !== undefined) return ` greater than ${s.exclusiveMinimum} and at most ${s.maximum}`;
  if (s.minimum !== undefined) return ` of at least ${s.minimum}`;
  if (s.exclusiveMinimum !== undefined) return ` greater than ${s.exclusiveMinimum}`;
  if (s.maximum !== undefined) return ` of at most ${s.maximum}`;
  return '';
}
