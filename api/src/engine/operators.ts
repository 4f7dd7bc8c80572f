// Segment condition operators with the Python engine's semantics (FLAGSMITH-COMPAT.md §2.5). The condition value
// is cast to the type of the context value (bool, int, float or str); a failed cast makes the condition false,
// NOT_EQUAL included.

import { resolveContextValue, type ContextValue, type EvaluationState } from './context-values';
import { getHashedPercentageForObjectIds } from './hashing';
import { parseJson } from './lossless-json';
import { comparePyStr, parsePyFloat, parsePyInt, pyFloatMod, pyStr } from './python';
import { pythonReMatch } from './python-regex';
import { compareSemver, parseConditionSemver, parseSemver } from './semver';
import type { SegmentCondition } from './types';
import { PyFloat, pyIntStr, type JsonValue } from './values';

export function conditionMatches(state: EvaluationState, condition: SegmentCondition, segmentKey: string): boolean {
  const property = condition.property;
  const value: ContextValue = property ? resolveContextValue(state, property) : null;
  switch (condition.operator) {
    case 'IN':
      return matchesIn(condition.value, value);
    case 'PERCENTAGE_SPLIT': {
      // Without a property the split is on the identity key; a property that resolves to nothing never matches.
      const subject = property ? value : (state.identityKey ?? null);
      return subject !== null && matchesPercentageSplit(condition.value, segmentKey, subject);
    }
    case 'IS_SET':
      return value !== null;
    case 'IS_NOT_SET':
      return value === null;
    default:
      return value !== null && matchesValue(condition.operator, condition.value, value);
  }
}

/** The operators that compare a set context value `v` with the condition value `s`. */
export function matchesValue(operator: string, s: JsonValue | undefined, v: Exclude<ContextValue, null>): boolean {
  switch (operator) {
    case 'EQUAL':
    case 'NOT_EQUAL':
    case 'GREATER_THAN':
    case 'GREATER_THAN_INCLUSIVE':
    case 'LESS_THAN':
    case 'LESS_THAN_INCLUSIVE':
    case 'CONTAINS':
      return compareTyped(operator, s, v);
    case 'NOT_CONTAINS':
      return typeof v === 'string' && !v.includes(pyStr(s));
    case 'REGEX':
      return pythonReMatch(pyStr(s), pyStr(v));
    case 'MODULO':
      return matchesModulo(s, v);
    default:
      return false;
  }
}

function compareTyped(operator: string, s: JsonValue | undefined, v: Exclude<ContextValue, null>): boolean {
  if (typeof v === 'string') {
    if (typeof s === 'string' && s.endsWith(':semver')) {
      if (operator === 'CONTAINS') return false; // a version has no "contains"
      const a = parseSemver(v);
      const b = parseConditionSemver(s.slice(0, -7));
      return a !== undefined && b !== undefined && holds(operator, compareSemver(a, b));
    }
    const text = pyStr(s);
    return operator === 'CONTAINS' ? v.includes(text) : holds(operator, comparePyStr(v, text));
  }
  if (operator === 'CONTAINS') return false; // `in` on a bool or number raises TypeError in Python
  if (typeof v === 'boolean') {
    const b = s !== 'False' && s !== 'false';
    return holds(operator, Number(v) - Number(b));
  }
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) {
    const n = castInt(s);
    return n !== undefined && holds(operator, v < n ? -1 : v > n ? 1 : 0);
  }
  const f = castFloat(s);
  if (f === undefined) return false;
  const x = typeof v === 'number' ? v : (v as PyFloat).value;
  // Direct comparisons so that NaN behaves as in Python (only != is true).
  switch (operator) {
    case 'EQUAL': return x === f;
    case 'NOT_EQUAL': return x !== f;
    case 'GREATER_THAN': return x > f;
    case 'GREATER_THAN_INCLUSIVE': return x >= f;
    case 'LESS_THAN': return x < f;
    default: return x <= f;
  }
}

function holds(operator: string, cmp: number): boolean {
  switch (operator) {
    case 'EQUAL': return cmp === 0;
    case 'NOT_EQUAL': return cmp !== 0;
    case 'GREATER_THAN': return cmp > 0;
    case 'GREATER_THAN_INCLUSIVE': return cmp >= 0;
    case 'LESS_THAN': return cmp < 0;
    default: return cmp <= 0;
  }
}

/** Python int(s); undefined where it raises. Non-string condition values follow int()'s rules for them. */
function castInt(s: JsonValue | undefined): number | bigint | undefined {
  if (typeof s === 'string') return parsePyInt(s);
  if (typeof s === 'bigint') return s;
  if (typeof s === 'boolean') return s ? 1 : 0;
  const x = typeof s === 'number' ? s : s instanceof PyFloat ? s.value : undefined;
  return x !== undefined && Number.isFinite(x) ? Math.trunc(x) + 0 : undefined;
}

/** Python float(s); undefined where it raises. */
function castFloat(s: JsonValue | undefined): number | undefined {
  if (typeof s === 'string') return parsePyFloat(s);
  if (typeof s === 'number') return s;
  if (typeof s === 'bigint') return Number(s);
  if (typeof s === 'boolean') return s ? 1 : 0;
  return s instanceof PyFloat ? s.value : undefined;
}

/** "divisor|remainder": numeric (bools as 0/1) values only; Python's float % keeps the divisor's sign. */
function matchesModulo(s: JsonValue | undefined, v: Exclude<ContextValue, null>): boolean {
  if (typeof v === 'string' || typeof s !== 'string' || s === '') return false;
  const parts = s.split('|');
  if (parts.length !== 2) return false;
  const divisor = parsePyFloat(parts[0]);
  const remainder = parsePyFloat(parts[1]);
  // Python raises ZeroDivisionError for a zero divisor; here the condition is simply false.
  if (divisor === undefined || remainder === undefined || divisor === 0) return false;
  const x = typeof v === 'boolean' ? Number(v) : typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : v.value;
  return pyFloatMod(x, divisor) === remainder;
}

function matchesPercentageSplit(s: JsonValue | undefined, segmentKey: string, subject: Exclude<ContextValue, null>): boolean {
  const threshold = castFloat(s);
  return threshold !== undefined && getHashedPercentageForObjectIds([segmentKey, subject]) <= threshold;
}

/**
 * IN: `v` must be a str, or an int compared by its decimal text; floats and bools are never members (Python
 * compares them to strings, which is always false).
 */
function matchesIn(s: JsonValue | undefined, v: ContextValue): boolean {
  let member: string;
  if (typeof v === 'string') member = v;
  else if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) member = pyIntStr(v);
  else return false;
  return inValues(s).has(member);
}

const listCache = new WeakMap<readonly JsonValue[], ReadonlySet<string>>();
const textCache = new Map<string, ReadonlySet<string>>();
const TEXT_CACHE_LIMIT = 2000;
const EMPTY: ReadonlySet<string> = new Set();

/** The IN list: a list, a JSON array in a string, or else the string split on commas (no trimming). Cached. */
export function inValues(s: JsonValue | undefined): ReadonlySet<string> {
  if (Array.isArray(s)) {
    const list = s as readonly JsonValue[];
    let set = listCache.get(list);
    if (!set) listCache.set(list, (set = new Set(list.map(pyStr))));
    return set;
  }
  if (typeof s !== 'string') return EMPTY; // Python's json.loads raises TypeError here, which nothing catches
  let set = textCache.get(s);
  if (!set) {
    set = new Set(splitInText(s));
    if (textCache.size >= TEXT_CACHE_LIMIT) textCache.clear();
    textCache.set(s, set);
  }
  return set;
}

function splitInText(s: string): string[] {
  // Python tries json.loads on every string; only one that starts with "[" (after JSON whitespace) can be a list.
  if (s.trimStart().startsWith('[')) {
    try {
      const parsed = parseJson(s);
      if (Array.isArray(parsed)) return parsed.map(pyStr);
    } catch {
      // not JSON: fall through to the comma split, as Python does on ValueError
    }
  }
  return s.split(',');
}
