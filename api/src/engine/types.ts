// The engine's input and output, mirroring Flagsmith's evaluation-context.json and evaluation-result.json.
// Numbers follow the int/float convention of values.ts. Objects whose order matters (features, segments) may be
// Maps, which keep insertion order for every key; a plain object iterates integer-like keys ("16", "381942") first
// in numeric order, so only use one when no key is integer-like or order does not matter.

import type { JsonObject, JsonValue, PyFloat } from './values';

export type OrderedRecord<T> = ReadonlyMap<string, T> | { readonly [key: string]: T };

/** A Python number: int (integer JS number or bigint) or float (fractional JS number or PyFloat). */
export type PyNumber = number | bigint | PyFloat;

export interface EnvironmentContext {
  readonly key: string;
  readonly name: string;
}

/**
 * Trait values are meant to be str, int, float, bool or null. Anything else (a list or object) is read as its
 * Python `str()`, as Flagsmith's engine does.
 */
export type TraitValue = JsonValue;

export interface IdentityContext {
  readonly identifier: string;
  /** Hash key for multivariate and % split; defaults to `<environment.key>_<identifier>` when missing or empty. */
  readonly key?: string | null;
  readonly traits?: OrderedRecord<TraitValue> | null;
}

export interface FeatureValue {
  readonly value: JsonValue;
  /** Percentage allocation; its Python text appears in `SPLIT; weight=<w>` (30 vs 30.0). */
  readonly weight: number | PyFloat;
  /** Lower sorts first; equal priorities keep their order. A missing priority sorts last. */
  readonly priority?: PyNumber | null;
  /** Returned as the flag's `variant` when this variant is picked. */
  readonly key?: string | null;
}

export interface FeatureContext {
  /** Hash seed for multivariate (str of the feature state id). */
  readonly key: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly value?: JsonValue;
  readonly variants?: readonly FeatureValue[] | null;
  /** Segment override priority: lower wins, missing counts as +Infinity. Identity overrides use -Infinity. */
  readonly priority?: PyNumber | null;
  readonly metadata?: JsonObject | null;
}

export type RuleType = 'ALL' | 'ANY' | 'NONE';

export type ConditionOperator =
  | 'EQUAL'
  | 'NOT_EQUAL'
  | 'GREATER_THAN'
  | 'GREATER_THAN_INCLUSIVE'
  | 'LESS_THAN'
  | 'LESS_THAN_INCLUSIVE'
  | 'CONTAINS'
  | 'NOT_CONTAINS'
  | 'REGEX'
  | 'MODULO'
  | 'IN'
  | 'IS_SET'
  | 'IS_NOT_SET'
  | 'PERCENTAGE_SPLIT';

export interface SegmentCondition {
  /** A trait key, a `$.` JSONPath over the context, or empty (PERCENTAGE_SPLIT on the identity key). */
  readonly property?: string | null;
  /** Unknown operators never match. */
  readonly operator: ConditionOperator | (string & {});
  /** A string; IN also takes a list. */
  readonly value?: JsonValue;
}

export interface SegmentRule {
  readonly type: RuleType | (string & {});
  readonly conditions?: readonly SegmentCondition[] | null;
  readonly rules?: readonly SegmentRule[] | null;
}

export interface SegmentContext {
  /** Seed for PERCENTAGE_SPLIT (str of the segment id). */
  readonly key: string;
  readonly name: string;
  /** Every rule must match; a segment without rules never matches. */
  readonly rules: readonly SegmentRule[];
  readonly overrides?: readonly FeatureContext[] | null;
  readonly metadata?: JsonObject | null;
}

export interface EvaluationContext {
  readonly environment: EnvironmentContext;
  readonly identity?: IdentityContext | null;
  /** Evaluated in iteration order; segment order breaks override priority ties and orders `result.segments`. */
  readonly segments?: OrderedRecord<SegmentContext> | null;
  /** The flags come out in this order. */
  readonly features?: OrderedRecord<FeatureContext> | null;
}

export interface FlagResult {
  readonly name: string;
  readonly enabled: boolean;
  /**
   * The chosen feature context's (or variant's) value, passed through unchanged: a float read as 5.0 is still a
   * PyFloat. Write results with toPlainJSON/stringifyJson to keep 5.0, or toPlainValue for JSON.stringify.
   */
  readonly value: JsonValue;
  /** `DEFAULT`, `TARGETING_MATCH; segment=<name>` or `SPLIT; weight=<w>`. */
  readonly reason: string;
  /** null without identity or variants, `"control"` when no variant was picked, else the picked variant's key. */
  readonly variant: string | null;
  /** Present only when the chosen feature context has non-empty metadata. */
  readonly metadata?: JsonObject;
}

export interface SegmentResult {
  readonly name: string;
  readonly metadata?: JsonObject;
}

export interface EvaluationResult {
  /** Keyed by feature name, in feature order (a Map, so integer-like names keep their place too). */
  readonly flags: ReadonlyMap<string, FlagResult>;
  /** Matched segments in evaluation order. */
  readonly segments: readonly SegmentResult[];
}
