// One environment, compiled for the SDK endpoints from a snapshot: the flags bodies serialized once (per key kind),
// the environment document, and the evaluation context identity requests start from.
import { createHash } from 'node:crypto';
import type { EnvironmentSnapshot } from '../../store/repositories/environment-snapshot';
import type { FeatureRecord } from '../../store/repositories/features';
import type { FeatureStateRecord } from '../../store/repositories/feature-states';
import { buildEnvironmentDocument } from './environment-document';
import { compileContext, type CompiledContext } from './evaluation-context';
import { sdkFeature, sdkFlag, type SdkFeature, type SdkFlag } from './sdk-flags';

export type KeyKind = 'client' | 'server';

export class EnvironmentView {
  readonly environmentId: number;
  readonly apiKey: string;
  readonly version: number;
  readonly hideDisabledFlags: boolean;
  readonly hideSensitiveData: boolean;
  /** env.updated_at as epoch seconds, for `X-Flagsmith-Document-Updated-At`. */
  readonly updatedAtHeader: string;
  readonly updatedAt: Date;
  readonly featuresById: Map<number, FeatureRecord>;
  readonly sdkFeatures: Map<number, SdkFeature>;
  readonly defaults: FeatureStateRecord[];
  readonly serverKeyOnly: Set<number>;
  private compiledContext?: CompiledContext;
  private bodies = new Map<string, { body: Buffer; etag: string }>();
  private documentText?: Buffer;

  constructor(readonly snapshot: EnvironmentSnapshot) {
    const env = snapshot.environment;
    this.environmentId = env.id;
    this.apiKey = env.api_key;
    this.version = env.version;
    this.hideSensitiveData = env.hide_sensitive_data;
    this.hideDisabledFlags = env.hide_disabled_flags ?? snapshot.project.hide_disabled_flags;
    this.updatedAt = new Date(env.updated_at ?? 0);
    this.updatedAtHeader = String(this.updatedAt.getTime() / 1000);
    this.featuresById = new Map(snapshot.features.map((f) => [f.id, f]));
    this.sdkFeatures = new Map(snapshot.features.map((f) => [f.id, sdkFeature(f, this.hideSensitiveData)]));
    this.serverKeyOnly = new Set(snapshot.features.filter((f) => f.isServerKeyOnly).map((f) => f.id));
    this.defaults = snapshot.states
      .filter((s) => s.featureSegmentId === null && s.identityId === null && this.featuresById.has(s.featureId))
      .sort((a, b) => a.featureId - b.featureId);
  }

  get organisation() {
    return this.snapshot.organisation;
  }

  get environment() {
    return this.snapshot.environment;
  }

  get context(): CompiledContext {
    this.compiledContext ??= compileContext(this.snapshot);
    return this.compiledContext;
  }

  /** Whether a flag for this feature is served to this kind of key at all. */
  servesFeature(featureId: number, kind: KeyKind): boolean {
    return kind === 'server' || !this.serverKeyOnly.has(featureId);
  }

  /** The environment-default flags, in Core's /flags/ order and filtering. */
  environmentFlags(kind: KeyKind): SdkFlag[] {
    return this.defaults
      .filter((s) => {
        // Core quirk kept for compatibility: with hide_disabled_flags on, it skips the server-key-only filter.
        if (this.hideDisabledFlags) return s.enabled;
        return this.servesFeature(s.featureId, kind);
      })
      .map((s) => this.defaultFlag(s));
  }

  defaultFlag(s: FeatureStateRecord): SdkFlag {
    return sdkFlag(this.sdkFeatures.get(s.featureId)!, this.environmentId, { stateId: s.id, featureSegmentId: null, identityId: null }, s.enabled, s.value, this.hideSensitiveData);
  }

  /** The /flags/ body and its ETag, serialized once per environment version and key kind. */
  flagsBody(kind: KeyKind): { body: Buffer; etag: string } {
    let entry = this.bodies.get(kind);
    if (!entry) {
      const body = Buffer.from(JSON.stringify(this.environmentFlags(kind)));
      entry = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      this.bodies.set(kind, entry);
    }
    return entry;
  }

  documentBody(): Buffer {
    this.documentText ??= Buffer.from(JSON.stringify(buildEnvironmentDocument(this.snapshot)));
    return this.documentText;
  }
}
