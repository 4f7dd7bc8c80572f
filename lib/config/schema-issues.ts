// Turns typebox's validation errors into one readable message per offending path, phrased from the schema
// ("expected one of postgres, mysql, sqlserver, oracle, got \"mongo\""), not from typebox's generic text.
import type { TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { display, pointerSegments } from './errors';
import { describeRange } from '../../api/src/config/coerce';

export interface RawIssue {
  /** Path segments from the root of the file. */
  segments: (string | number)[];
  message: string;
  /** The key of an unknown-key issue, with the keys its object allows. */
  unknownKey?: { key: string; allowed: string[] };
}

interface SchemaLike {
  type?: string;
  const?: unknown;
  anyOf?: SchemaLike[];
  pattern?: string;
  patternErrorMessage?: string;
  errorMessage?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  properties?: Record<string, unknown>;
}

export function schemaIssues(schema: TSchema, value: unknown, base: (string | number)[] = []): RawIssue[] {
  const seen = new Set<string>();
  const issues: RawIssue[] = [];
  for (const error of Value.Errors(schema, value)) {
    const segments = [...base, ...pointerSegments(error.path)];
    const key = segments.join('\u0000');
    if (seen.has(key)) continue; // one message per path: the first is the most specific
    seen.add(key);
    if (error.type === ValueErrorType.ObjectRequiredProperty) {
      issues.push({ segments, message: 'is required' });
    } else if (error.type === ValueErrorType.ObjectAdditionalProperties) {
      const allowed = Object.keys((error.schema as SchemaLike).properties ?? {});
      const unknownKey = String(segments[segments.length - 1]);
      issues.push({ segments, message: `unknown key (allowed: ${allowed.join(', ')})`, unknownKey: { key: unknownKey, allowed } });
    } else {
      issues.push({ segments, message: `expected ${describeSchema(error.schema)}, got ${display(error.value)}` });
    }
  }
  return issues;
}

/** Completes "expected …". */
export function describeSchema(schema: TSchema | SchemaLike): string {
  const s = schema as SchemaLike;
  if (s.errorMessage) return s.errorMessage;
  if (s.anyOf) {
    if (s.anyOf.every((m) => m.const !== undefined)) return `one of ${s.anyOf.map((m) => String(m.const)).join(', ')}`;
    return s.anyOf.map((m) => describeSchema(m)).join(' or ');
  }
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.patternErrorMessage) return s.patternErrorMessage;
  switch (s.type) {
    case 'string':
      if (s.pattern) return `a string matching ${s.pattern}`;
      if (s.maxLength !== undefined) return `a string of at most ${s.maxLength} characters`;
      return s.minLength ? 'a non-empty string' : 'a string';
    case 'integer':
      return `an integer${describeRange(s)}`;
    case 'number':
      return `a number${describeRange(s)}`;
    case 'boolean':
      return 'true or false';
    case 'array':
      return s.minItems ? `a list of at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}` : 'a list';
    case 'object':
      return 'an object';
    default:
      return 'a valid value';
  }
}
