// One environment, compiled for the SDK endpoints from a snapshot: the flags bodies serialized once (per key kind),
// the environment document, and the evaluation context identity requests start from.
import { createHash } from 'node:crypto';
import type { EnvironmentSnapshot } from '../../store/repositories/environment-snapshot';
import type { FeatureRecord } from '../../store/repositories/features';
import type { FeatureStateRecord } from '../../store/repositories/feature-states';
import { buildEnvironmentDocument } from './environment-document';
import { compileContext, type CompiledContext, type FlagMetadata } from './evaluation-context';
import type { FlagValue } from '../../domain/values';
import { sdkFeature, sdkFlag, type SdkFeature, type SdkFlag } from './sdk-flags';
import { SDK_CORS_HEADERS } from './sdk-headers';

export type KeyKind = 'client' | 'server';

/** A response body serialized once per environment version, with its ETag and every header it is sent with. */
export interface CachedBody {
  body: Buffer;
  etag: string;
  headers: Readonly<Record<string, string>>;
  /** The complete header sets of a 200 (with content-length) and a 304, as Fastify writes them: the fast path's. */
  okHeaders: Readonly<Record<string, string>>;
  notModifiedHeaders: Readonly<Record<string, string>>;
}

function cachedBody(value: unknown, headers: Record<string, string>): CachedBody {
  const body = Buffer.from(JSON.stringify(value));
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  const all = Object.freeze({ ...headers, etag, 'content-type': 'application/json; charset=utf-8' });
  return { body, etag, headers: all, okHeaders: Object.freeze({ ...all, 'content-length': String(body.length) }), notModifiedHeaders: all };
}

let nextViewId = 1;

export class EnvironmentView {
  /** Unique per view built in this process (a rebuild without a version change, e.g. a scheduled change, gets a new one). */
  readonly viewId = nextViewId++;
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
  /** Headers every SDK answer from this view carries (CORS and `X-Flagsmith-Document-Updated-At`). */
  readonly sdkHeaders: Readonly<Record<string, string>>;
  /** The same plus the JSON content type, for bodies serialized by the services. */
  readonly sdkJsonHeaders: Readonly<Record<string, string>>;
  private readonly bodies: Partial<Record<KeyKind, CachedBody>> = {};
  private readonly featureBodies: Partial<Record<KeyKind, Map<string, CachedBody>>> = {};
  private documentText?: Buffer;
  private documentHeaderSet?: Readonly<Record<string, string>>;
  private overrideIdentityIds?: Map<string, number>;
  /** Each evaluated flag's JSON, by state, variant and value: a finite set per view (see flagFragment). */
  private readonly fragments = new Map<string, string>();

  constructor(readonly snapshot: EnvironmentSnapshot) {
    const env = snapshot.environment;
    this.environmentId = env.id;
    this.apiKey = env.api_key;
    this.version = env.version;
    this.hideSensitiveData = env.hide_sensitive_data;
    this.hideDisabledFlags = env.hide_disabled_flags ?? snapshot.project.hide_disabled_flags;
    this.updatedAt = new Date(env.updated_at ?? 0);
    this.updatedAtHeader = String(this.updatedAt.getTime() / 1000);
    this.sdkHeaders = Object.freeze({ ...SDK_CORS_HEADERS, 'x-flagsmith-document-updated-at': this.updatedAtHeader });
    this.sdkJsonHeaders = Object.freeze({ ...this.sdkHeaders, 'content-type': 'application/json; charset=utf-8' });
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

  /** The stored id of an identity that has overrides in this environment (the document knows those), else undefined. */
  overrideIdentityId(identifier: string): number | undefined {
    if (!this.overrideIdentityIds) {
      this.overrideIdentityIds = new Map();
      for (const [id, identity] of this.snapshot.overrideIdentities) this.overrideIdentityIds.set(identity.identifier, id);
    }
    return this.overrideIdentityIds.get(identifier);
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

  /**
   * The JSON of one evaluated flag of an identity answer. What it holds is fixed by the feature state that won (its
   * id, with its segment or identity), the variant and the value, so it is serialized once per view and shared by
   * every identity that gets the same flag.
   */
  flagFragment(meta: FlagMetadata, enabled: boolean, value: FlagValue, variant: string | null | undefined): string {
    const key = `${meta.state}\u0000${enabled ? 1 : 0}\u0000${variant === undefined ? '' : variant === null ? '-' : `v${variant}`}\u0000${JSON.stringify(value)}`;
    let json = this.fragments.get(key);
    if (json === undefined) {
      const source = { stateId: meta.state, featureSegmentId: meta.featureSegment, identityId: meta.identity };
      json = JSON.stringify(sdkFlag(this.sdkFeatures.get(meta.id)!, this.environmentId, source, enabled, value, this.hideSensitiveData, variant));
      // Bounded by the document's states and variants; the guard only protects against the unforeseen.
      if (this.fragments.size >= 100_000) this.fragments.clear();
      this.fragments.set(key, json);
    }
    return json;
  }

  /** The /flags/ body, its ETag and headers, serialized once per environment version and key kind. */
  flagsBody(kind: KeyKind): CachedBody {
    return (this.bodies[kind] ??= cachedBody(this.environmentFlags(kind), this.sdkHeaders));
  }

  /** The /flags/?feature= body of one flag (Core matches the name case-insensitively), or undefined; cached likewise. */
  featureBody(kind: KeyKind, featureName: string): CachedBody | undefined {
    let byName = this.featureBodies[kind];
    if (!byName) {
      byName = new Map();
      // The first flag of a name wins, as Core's filter().first() does.
      for (const flag of this.environmentFlags(kind)) {
        const name = flag.feature.name.toLowerCase();
        if (!byName.has(name)) byName.set(name, cachedBody(flag, this.sdkHeaders));
      }
      this.featureBodies[kind] = byName;
    }
    return byName.get(featureName.toLowerCase());
  }

  /** Headers of /environment-document/ answers (Last-Modified for If-Modified-Since). */
  get documentHeaders(): Readonly<Record<string, string>> {
    return (this.documentHeaderSet ??= Object.freeze({
      ...this.sdkHeaders,
      'last-modified': this.updatedAt.toUTCString(),
      'content-type': 'application/json; charset=utf-8',
    }));
  }

  documentBody(): Buffer {
    this.documentText ??= Buffer.from(JSON.stringify(buildEnvironmentDocument(this.snapshot)));
    return this.documentText;
  }
}
