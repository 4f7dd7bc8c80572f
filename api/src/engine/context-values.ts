// What a condition's `property` refers to, resolved as Flagsmith's Python engine does (FLAGSMITH-COMPAT.md §2.4):
// a trait, or for "$."-properties a trait of that literal name first and then a JSONPath over the whole context,
// followed by Python's coercion of numeric-looking strings ("42" -> 42, "1.50" -> 1.5).

import { compileJsonPath, evaluateJsonPath, toPlainView } from './jsonpath';
import { pyStr } from './python';
import type { EvaluationContext, OrderedRecord, TraitValue } from './types';
import { PyFloat, isPrimitive } from './values';

/** A resolved, coerced value: str, int (number/bigint), float (fractional number/PyFloat), bool, or null = not set. */
export type ContextValue = string | number | bigint | boolean | PyFloat | null;

/** Per-evaluation facts shared by all conditions. */
export class EvaluationState {
  /** The context as conditions see it: with the identity key filled in when it was derived. */
  readonly root: EvaluationContext;
  readonly identityKey: string | undefined;
  readonly traits: OrderedRecord<TraitValue> | null | undefined;
  private plain: unknown;

  constructor(root: EvaluationContext, identityKey: string | undefined) {
    this.root = root;
    this.identityKey = identityKey;
    this.traits = root.identity?.traits;
  }

  /** The plain-object copy general JSONPath queries need, made at most once per evaluation. */
  plainView(): unknown {
    if (this.plain === undefined) this.plain = toPlainView(this.root);
    return this.plain;
  }
}

export function resolveContextValue(state: EvaluationState, property: string): ContextValue {
  let value = traitValue(state.traits, property);
  if ((value === undefined || value === null) && property.startsWith('$.')) {
    const compiled = compileJsonPath(property);
    if (compiled) {
      const found = evaluateJsonPath(compiled, state.root, state);
      // Objects and lists selected by a path count as "not set".
      value = isPrimitive(found) ? found : null;
    }
  }
  return coerceContextValue(value);
}

function traitValue(traits: OrderedRecord<TraitValue> | null | undefined, key: string): unknown {
  if (!traits) return undefined;
  if (traits instanceof Map) return traits.get(key);
  return Object.prototype.hasOwnProperty.call(traits, key) ? (traits as Record<string, TraitValue>)[key] : undefined;
}

const INT_RE = /^-?[0-9]+$/;
const FLOAT_RE = /^-?[0-9]+\.[0-9]+$/;

/**
 * Python's map_any_value_to_context_value: strings that are plain decimal ints or floats become numbers, other
 * primitives stay, anything else (a list or object trait) becomes its Python str().
 */
export function coerceContextValue(value: unknown): ContextValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return coerceString(value);
  if (isPrimitive(value)) return value;
  return pyStr(value);
}

function coerceString(s: string): ContextValue {
  const c = s.charCodeAt(0);
  if (c !== 0x2d && !(c >= 0x30 && c <= 0x39)) return s; // cheap exit for ordinary strings
  if (INT_RE.test(s)) {
    const n = Number(s) + 0; // "-0" is int 0
    return Number.isSafeInteger(n) ? n : BigInt(s);
  }
  if (FLOAT_RE.test(s)) {
    const x = Number(s);
    return Number.isInteger(x) ? new PyFloat(x) : x;
  }
  return s;
}
