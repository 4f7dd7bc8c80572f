// Test helpers for the engine suites.

import { PyFloat, getEvaluationResult, parseEvaluationContext } from '../../../api/src/engine';
import type { EvaluationContext, EvaluationResult, SegmentCondition } from '../../../api/src/engine';

/**
 * A deep-comparable form of engine output or of parsed JSON: Maps become plain objects and floats become
 * `{float: n}`, so that 5 and 5.0 compare unequal under toEqual while key order does not matter.
 */
export function comparable(value: unknown): unknown {
  if (value instanceof PyFloat) return { float: value.value };
  if (typeof value === 'number' && !Number.isInteger(value)) return { float: value };
  if (typeof value === 'bigint') return { int: value.toString() };
  if (Array.isArray(value)) return value.map(comparable);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, comparable(v)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  }
  return value;
}

/** A context with one identity and one segment holding the given conditions in one ALL rule. */
export function segmentContext(traits: Record<string, unknown> | Map<string, unknown>, conditions: SegmentCondition[]): EvaluationContext {
  return {
    environment: { key: 'env', name: 'Env' },
    identity: { identifier: 'user', traits: traits instanceof Map ? (traits as never) : (new Map(Object.entries(traits)) as never) },
    segments: new Map([['1', { key: '1', name: 'segment', rules: [{ type: 'ALL', conditions }] }]]),
  };
}

/** Whether an identity with `traits` is in a segment with one condition. */
export function matches(traits: Record<string, unknown> | Map<string, unknown>, condition: SegmentCondition): boolean {
  return getEvaluationResult(segmentContext(traits, [condition])).segments.length === 1;
}

/** Evaluates a context given as JSON text (so that floats can be written 5.0). */
export function evaluateJson(text: string): EvaluationResult {
  return getEvaluationResult(parseEvaluationContext(text));
}
