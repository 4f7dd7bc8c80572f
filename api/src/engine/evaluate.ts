// get_evaluation_result (FLAGSMITH-COMPAT.md §2.3): segments decide overrides, features decide the flags, and
// multivariate features pick a variant by the identity's hash bucket.

import { EvaluationState } from './context-values';
import { getHashedPercentageForObjectIds } from './hashing';
import { pyStr, pyTruthy } from './python';
import { isContextInSegment } from './segments';
import type {
  EvaluationContext,
  EvaluationResult,
  FeatureContext,
  FeatureValue,
  FlagResult,
  OrderedRecord,
  PyNumber,
  SegmentContext,
  SegmentResult,
} from './types';
import { PyFloat, type JsonObject } from './values';

interface ChosenOverride {
  readonly feature: FeatureContext;
  readonly segmentName: string;
}

/** Evaluates every feature of the context. Pure and synchronous; the context is not modified. */
export function getEvaluationResult(context: EvaluationContext): EvaluationResult {
  const state = createState(context);
  const segments: SegmentResult[] = [];
  let overrides: Map<string, ChosenOverride> | undefined;

  // The Python engine walks segments with or without an identity (the Node SDK does not); follow Python.
  if (context.segments) {
    for (const segment of valuesOf<SegmentContext>(context.segments)) {
      if (!isContextInSegment(state, segment)) continue;
      segments.push(withMetadata<SegmentResult>({ name: segment.name }, segment.metadata));
      if (!segment.overrides) continue;
      for (const override of segment.overrides) {
        overrides ??= new Map();
        const current = overrides.get(override.name);
        // Strictly lower wins, so on a tie the segment walked first keeps the feature.
        if (current === undefined || priorityOf(override.priority) < priorityOf(current.feature.priority)) {
          overrides.set(override.name, { feature: override, segmentName: segment.name });
        }
      }
    }
  }

  const flags = new Map<string, FlagResult>();
  if (context.features) {
    for (const feature of valuesOf<FeatureContext>(context.features)) {
      // Overrides of features missing from `features` are never looked up, so they are ignored.
      const override = overrides?.get(feature.name);
      const chosen = override ? override.feature : feature;
      const reason = override ? `TARGETING_MATCH; segment=${override.segmentName}` : 'DEFAULT';
      flags.set(feature.name, flagResult(feature.name, chosen, reason, state.identityKey));
    }
  }
  return { flags, segments };
}

function createState(context: EvaluationContext): EvaluationState {
  const identity = context.identity;
  if (!identity) return new EvaluationState(context, undefined);
  if (identity.key) return new EvaluationState(context, identity.key);
  // The derived key must also be what `$.identity.key` finds, so conditions see a context that carries it.
  const key = `${pyStr(context.environment.key)}_${pyStr(identity.identifier)}`;
  return new EvaluationState({ ...context, identity: { ...identity, key } }, key);
}

function flagResult(name: string, feature: FeatureContext, reason: string, identityKey: string | undefined): FlagResult {
  let value = feature.value === undefined ? null : feature.value;
  let variant: string | null = null;
  const variants = feature.variants;
  if (identityKey !== undefined && variants && variants.length > 0) {
    variant = 'control';
    // The chosen context's own key seeds the hash, so a segment override buckets independently of the default.
    const percentage = getHashedPercentageForObjectIds([feature.key, identityKey]);
    let start = 0;
    for (const option of byPriority(variants)) {
      const weight = option.weight instanceof PyFloat ? option.weight.value : Number(option.weight);
      const limit = start + weight;
      if (start <= percentage && percentage < limit) {
        value = option.value === undefined ? null : option.value;
        variant = option.key ?? null;
        reason = `SPLIT; weight=${pyStr(option.weight)}`;
        break;
      }
      start = limit;
    }
  }
  const result: FlagResult = { name, enabled: feature.enabled, value, reason, variant };
  return withMetadata(result, feature.metadata);
}

function withMetadata<T extends { metadata?: JsonObject }>(result: T, metadata: JsonObject | null | undefined): T {
  if (metadata && pyTruthy(metadata)) (result as { metadata?: JsonObject }).metadata = metadata;
  return result;
}

/** Missing priority sorts after every number (Python's default is +inf). */
function priorityOf(priority: PyNumber | null | undefined): number | bigint {
  if (priority === undefined || priority === null) return Infinity;
  return priority instanceof PyFloat ? priority.value : priority;
}

const sortedVariants = new WeakMap<readonly FeatureValue[], readonly FeatureValue[]>();

/** Variants by ascending priority, stable for ties. Usually already sorted, which costs no allocation. */
function byPriority(variants: readonly FeatureValue[]): readonly FeatureValue[] {
  let sorted = true;
  for (let i = 1; i < variants.length; i++) {
    if (priorityOf(variants[i].priority) < priorityOf(variants[i - 1].priority)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return variants;
  let cached = sortedVariants.get(variants);
  if (!cached) {
    // Array.prototype.sort is stable, which keeps equal priorities in their original order.
    cached = [...variants].sort((a, b) => {
      const pa = priorityOf(a.priority);
      const pb = priorityOf(b.priority);
      return pa < pb ? -1 : pa > pb ? 1 : 0;
    });
    sortedVariants.set(variants, cached);
  }
  return cached;
}

function valuesOf<T>(record: OrderedRecord<T>): Iterable<T> {
  return record instanceof Map ? record.values() : Object.values(record as { readonly [key: string]: T });
}
