// The flag objects the SDK endpoints return, in Core's `SDKFeatureStateSerializer` shape (FLAGSMITH-COMPAT.md §1.3).
import type { FeatureRecord } from '../../store/repositories/features';
import type { FlagValue } from '../../domain/values';

export interface SdkFeature {
  id: number;
  name: string;
  created_date: string | null;
  description: string | null;
  initial_value: string | null;
  default_enabled: boolean | null;
  type: 'STANDARD' | 'MULTIVARIATE';
}

export interface SdkFlag {
  id: number | null;
  feature: SdkFeature;
  feature_state_value: FlagValue;
  environment: number | null;
  identity: number | null;
  feature_segment: number | null;
  enabled: boolean;
  variant?: string | null;
}

export function sdkFeature(feature: FeatureRecord, hideSensitiveData: boolean): SdkFeature {
  return {
    id: feature.id,
    name: feature.name,
    created_date: hideSensitiveData ? null : feature.createdAt,
    description: hideSensitiveData ? null : feature.description,
    initial_value: hideSensitiveData ? null : feature.initialValue,
    default_enabled: hideSensitiveData ? null : feature.defaultEnabled,
    type: feature.type,
  };
}

export interface FlagSource {
  stateId: number;
  featureSegmentId: number | null;
  identityId: number | null;
}

export function sdkFlag(
  feature: SdkFeature,
  environmentId: number,
  source: FlagSource,
  enabled: boolean,
  value: FlagValue,
  hideSensitiveData: boolean,
  variant?: string | null,
): SdkFlag {
  const flag: SdkFlag = {
    id: hideSensitiveData ? null : source.stateId,
    feature,
    feature_state_value: value,
    environment: hideSensitiveData ? null : environmentId,
    identity: hideSensitiveData ? null : source.identityId,
    feature_segment: hideSensitiveData ? null : source.featureSegmentId,
    enabled,
  };
  if (variant !== undefined) flag.variant = variant;
  return flag;
}
