// The environment document served to local-evaluation SDKs and edge proxies: Flagsmith's EnvironmentModel dump
// (FLAGSMITH-COMPAT.md §1.6), built from an environment snapshot.
import { createHash } from 'node:crypto';
import type { EnvironmentSnapshot } from '../../store/repositories/environment-snapshot';
import type { FeatureStateRecord } from '../../store/repositories/feature-states';
import type { SegmentRule } from '../../domain/segments';
import type { FlagValue } from '../../domain/values';

interface DocumentFeatureState {
  feature: { id: number; name: string; type: string };
  enabled: boolean;
  django_id: number;
  featurestate_uuid: string;
  feature_state_value: FlagValue;
  feature_segment: { priority: number } | null;
  multivariate_feature_state_values: Array<{
    id: number;
    mv_fs_value_uuid: string;
    percentage_allocation: number;
    multivariate_feature_option: { id: number; value: FlagValue };
  }>;
}

interface DocumentRule {
  type: string;
  rules: DocumentRule[];
  conditions: Array<{ operator: string; value: string | null; property_: string | null }>;
}

function documentRules(rules: SegmentRule[]): DocumentRule[] {
  return rules.map((r) => ({
    type: r.type,
    rules: documentRules(r.rules),
    conditions: r.conditions.map((c) => ({ operator: c.operator, value: c.value, property_: c.property })),
  }));
}

export function buildEnvironmentDocument(snapshot: EnvironmentSnapshot): Record<string, unknown> {
  const { environment, project, organisation } = snapshot;
  const featuresById = new Map(snapshot.features.map((f) => [f.id, f]));
  const optionsById = new Map(snapshot.options.map((o) => [o.id, o]));
  const priorities = new Map(snapshot.featureSegments.map((f) => [f.id, f]));
  const valuesByState = new Map<number, EnvironmentSnapshot['stateValues']>();
  for (const v of snapshot.stateValues) {
    const list = valuesByState.get(v.featureStateId) ?? [];
    list.push(v);
    valuesByState.set(v.featureStateId, list);
  }

  const toDocumentState = (s: FeatureStateRecord): DocumentFeatureState | null => {
    const feature = featuresById.get(s.featureId);
    if (!feature) return null;
    return {
      feature: { id: feature.id, name: feature.name, type: feature.type },
      enabled: s.enabled,
      django_id: s.id,
      featurestate_uuid: s.uuid,
      feature_state_value: s.value,
      feature_segment: s.featureSegmentId !== null ? { priority: priorities.get(s.featureSegmentId)?.priority ?? 0 } : null,
      multivariate_feature_state_values: (valuesByState.get(s.id) ?? [])
        .filter((v) => optionsById.has(v.multivariateOptionId))
        .map((v) => ({
          id: v.id,
          mv_fs_value_uuid: v.uuid,
          percentage_allocation: v.percentageAllocation,
          multivariate_feature_option: { id: v.multivariateOptionId, value: optionsById.get(v.multivariateOptionId)!.value },
        })),
    };
  };

  const defaults = snapshot.states.filter((s) => s.featureSegmentId === null && s.identityId === null);
  const overridesBySegment = new Map<number, DocumentFeatureState[]>();
  for (const s of snapshot.states) {
    if (s.featureSegmentId === null) continue;
    const placement = priorities.get(s.featureSegmentId);
    const doc = placement && toDocumentState(s);
    if (!doc) continue;
    const list = overridesBySegment.get(placement.segmentId) ?? [];
    list.push(doc);
    overridesBySegment.set(placement.segmentId, list);
  }
  // Feature-specific segments with no override in this environment are left out, as Core does.
  const segments = snapshot.segments
    .filter((seg) => seg.featureId === null || overridesBySegment.has(seg.id))
    .map((seg) => ({ id: seg.id, name: seg.name, rules: documentRules(seg.rules), feature_states: overridesBySegment.get(seg.id) ?? [] }));

  const identityOverrides: unknown[] = [];
  if (environment.use_identity_overrides_in_local_eval) {
    const byIdentity = new Map<number, DocumentFeatureState[]>();
    for (const s of snapshot.states) {
      if (s.identityId === null) continue;
      const doc = toDocumentState(s);
      if (!doc) continue;
      const list = byIdentity.get(s.identityId) ?? [];
      list.push(doc);
      byIdentity.set(s.identityId, list);
    }
    for (const [identityId, states] of byIdentity) {
      const identity = snapshot.overrideIdentities.get(identityId);
      if (!identity) continue;
      identityOverrides.push({
        identifier: identity.identifier,
        identity_uuid: createHash('md5').update(`${environment.api_key}_${identityId}`).digest('hex').replace(/^(.{8})(.{4}).(.{3}).(.{3})(.{12})$/, '$1-$2-4$3-8$4-$5'), // stable UUID4 (engine models require one)
        django_id: identityId,
        created_date: identity.createdAt,
        environment_api_key: environment.api_key,
        composite_key: `${environment.api_key}_${identity.identifier}`,
        identity_features: states,
        identity_traits: [],
      });
    }
  }

  return {
    id: environment.id,
    api_key: environment.api_key,
    name: environment.name,
    project: {
      id: project.id,
      name: project.name,
      organisation: {
        id: organisation.id,
        name: organisation.name,
        feature_analytics: organisation.feature_analytics,
        stop_serving_flags: organisation.stop_serving_flags,
        persist_trait_data: organisation.persist_trait_data,
      },
      hide_disabled_flags: project.hide_disabled_flags,
      enable_realtime_updates: project.enable_realtime_updates,
      server_key_only_feature_ids: snapshot.features.filter((f) => f.isServerKeyOnly).map((f) => f.id),
      segments,
    },
    feature_states: defaults.map(toDocumentState).filter((s) => s !== null),
    identity_overrides: identityOverrides,
    allow_client_traits: environment.allow_client_traits,
    updated_at: environment.updated_at,
    hide_sensitive_data: environment.hide_sensitive_data,
    hide_disabled_flags: environment.hide_disabled_flags,
    use_identity_composite_key_for_hashing: environment.use_identity_composite_key_for_hashing,
    use_identity_overrides_in_local_eval: environment.use_identity_overrides_in_local_eval,
  };
}
