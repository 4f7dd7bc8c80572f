// Maps an environment snapshot to the engine's evaluation context the way Core's server-side identity evaluation does
// (FLAGSMITH-COMPAT.md §2.2): features keyed by name with the state id as the multivariate hash seed, and only the
// segments that have overrides in this environment. Built once per environment version; identity requests add only
// the identity and, when it has any, its overrides.
import type { EvaluationContext, FeatureContext, FeatureValue, SegmentContext, SegmentRule as EngineRule } from '../../engine/types';
import { pyFloat } from '../../engine/values';
import type { EnvironmentSnapshot } from '../../store/repositories/environment-snapshot';
import type { FeatureStateRecord } from '../../store/repositories/feature-states';
import type { SegmentRule } from '../../domain/segments';
import { TraitFloat, type TraitValue } from '../../domain/traits';

/** What the server needs back from a flag result to answer in Core's shape. */
export interface FlagMetadata {
  [key: string]: number | null;
  id: number;
  state: number;
  featureSegment: number | null;
  identity: number | null;
}

export interface CompiledContext {
  features: Map<string, FeatureContext>;
  segments: Map<string, SegmentContext>;
  /** Identity overrides by identity id, as feature contexts that always win. */
  identityOverrides: Map<number, FeatureContext[]>;
}

function engineRules(rules: SegmentRule[]): EngineRule[] {
  return rules.map((r) => ({
    type: r.type,
    rules: engineRules(r.rules),
    conditions: r.conditions.map((c) => ({ operator: c.operator, property: c.property ?? '', value: c.value })),
  }));
}

export function compileContext(snapshot: EnvironmentSnapshot): CompiledContext {
  const featuresById = new Map(snapshot.features.map((f) => [f.id, f]));
  const optionsById = new Map(snapshot.options.map((o) => [o.id, o]));
  const placements = new Map(snapshot.featureSegments.map((f) => [f.id, f]));
  const variantsByState = new Map<number, FeatureValue[]>();
  // Variants are walked in the order of their id, as Core orders multivariate state values.
  for (const v of [...snapshot.stateValues].sort((a, b) => a.id - b.id)) {
    const option = optionsById.get(v.multivariateOptionId);
    if (!option) continue;
    const list = variantsByState.get(v.featureStateId) ?? [];
    list.push({ value: option.value, weight: v.percentageAllocation, priority: v.id, key: null });
    variantsByState.set(v.featureStateId, list);
  }

  const toContext = (s: FeatureStateRecord, priority?: number): FeatureContext | null => {
    const feature = featuresById.get(s.featureId);
    if (!feature) return null;
    const metadata: FlagMetadata = { id: feature.id, state: s.id, featureSegment: s.featureSegmentId, identity: s.identityId };
    return {
      key: String(s.id),
      name: feature.name,
      enabled: s.enabled,
      value: s.value,
      variants: variantsByState.get(s.id) ?? null,
      priority: priority ?? null,
      metadata,
    };
  };

  const features = new Map<string, FeatureContext>();
  const overridesBySegment = new Map<number, FeatureContext[]>();
  const identityOverrides = new Map<number, FeatureContext[]>();
  for (const s of snapshot.states) {
    if (s.identityId !== null) {
      const ctx = toContext(s, -Infinity);
      if (ctx) identityOverrides.set(s.identityId, [...(identityOverrides.get(s.identityId) ?? []), ctx]);
    } else if (s.featureSegmentId !== null) {
      const placement = placements.get(s.featureSegmentId);
      const ctx = placement && toContext(s, placement.priority);
      if (ctx) overridesBySegment.set(placement.segmentId, [...(overridesBySegment.get(placement.segmentId) ?? []), ctx]);
    } else {
      const ctx = toContext(s);
      if (ctx) features.set(ctx.name, ctx);
    }
  }
  const segments = new Map<string, SegmentContext>();
  for (const seg of snapshot.segments) {
    const overrides = overridesBySegment.get(seg.id);
    if (!overrides) continue;
    segments.set(String(seg.id), { key: String(seg.id), name: seg.name, rules: engineRules(seg.rules), overrides, metadata: { id: seg.id } });
  }
  return { features, segments, identityOverrides };
}

function engineTraitValue(value: TraitValue) {
  return value instanceof TraitFloat ? pyFloat(value.value) : value;
}

export interface IdentityInput {
  identifier: string;
  /** The stored identity's id, when it is stored (transient identities have none and get no overrides). */
  identityId: number | null;
  traits: Array<{ key: string; value: TraitValue }>;
}

/** The context for one identity request: the compiled environment plus the identity and its traits. */
export function identityContext(
  compiled: CompiledContext,
  environment: { api_key: string; name: string; use_identity_composite_key_for_hashing: boolean },
  identity: IdentityInput,
): EvaluationContext {
  const traits: Record<string, unknown> = {};
  for (const t of identity.traits) traits[t.key] = engineTraitValue(t.value);
  const key = environment.use_identity_composite_key_for_hashing || identity.identityId === null
    ? `${environment.api_key}_${identity.identifier}`
    : String(identity.identityId);
  return {
    environment: { key: environment.api_key, name: environment.name },
    identity: { identifier: identity.identifier, key, traits: traits as never },
    features: compiled.features,
    segments: compiled.segments,
  };
}

/**
 * An identity's own overrides, by feature name. They replace the evaluated flag whole, as Core does. They are applied
 * after evaluation rather than as Core's local-evaluation `$.identity.identifier IN [...]` segment, because the engine
 * coerces numeric-looking identifiers ("007" becomes 7), which that condition would then fail to match.
 */
export function identityOverridesFor(compiled: CompiledContext, identityId: number | null): Map<string, FeatureContext> | undefined {
  if (identityId === null) return undefined;
  const overrides = compiled.identityOverrides.get(identityId);
  return overrides && new Map(overrides.map((o) => [o.name, o]));
}
