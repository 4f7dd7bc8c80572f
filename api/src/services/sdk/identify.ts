// The identity endpoints: GET and POST /api/v1/identities/ with Core's persistence rules (FLAGSMITH-COMPAT.md §1.4–1.5).
import { getEvaluationResult } from '../../engine';
import type { Store } from '../../store/store';
import { ensureIdentity, applyTraitChanges, type TraitRecord } from '../../store/repositories/identities';
import { loadIdentityWithTraits } from '../../store/repositories/identity-reads';
import type { CachedAnswer, IdentityCache, StoredIdentity } from './identity-cache';
import { isConnectionError } from '../../store/errors';
import { encodeTraitValue, plainTraitValue, type TraitValue } from '../../domain/traits';
import type { FlagValue } from '../../domain/values';
import type { EnvironmentView, KeyKind } from './environment-view';
import { identityContext, identityOverridesFor, type FlagMetadata } from './evaluation-context';
import { sdkFlag, type SdkFlag } from './sdk-flags';
import { transientIdentifier, type TraitInput } from './trait-input';
import { flagsMemo, memoKey } from './flags-memo';

export interface IdentityResponse {
  identifier: string;
  traits: Array<{ id: number | null; trait_key: string; trait_value: string | number | boolean; transient: boolean }>;
  /** The evaluated flags, each already serialized by the view (see flagFragment and flags-memo.ts). */
  flags: readonly string[];
}

/** The response body, in Core's key order. */
export function identityResponseBody(response: IdentityResponse): string {
  return `{"identifier":${JSON.stringify(response.identifier)},"traits":${JSON.stringify(response.traits)},"flags":[${response.flags.join(',')}]}`;
}

/** The evaluated flags as objects (for `?feature=`). */
export function identityResponseFlags(response: IdentityResponse): SdkFlag[] {
  return JSON.parse(`[${response.flags.join(',')}]`) as SdkFlag[];
}

interface EvaluatedIdentity {
  identifier: string;
  identityId: number | null;
  traits: Array<{ id: number | null; key: string; value: TraitValue; transient: boolean }>;
}

type FlagVisitor = (meta: FlagMetadata, enabled: boolean, value: FlagValue, variant: string | null | undefined) => void;

/** Evaluates every flag for an identity against the cached environment view, in Core's order and filtering. */
function visitIdentityFlags(view: EnvironmentView, kind: KeyKind, identity: EvaluatedIdentity, visit: FlagVisitor): void {
  const context = identityContext(view.context, view.environment, {
    identifier: identity.identifier,
    identityId: identity.identityId,
    traits: identity.traits.map((t) => ({ key: t.key, value: t.value })),
  });
  const result = getEvaluationResult(context);
  const overrides = identityOverridesFor(view.context, identity.identityId);
  for (const evaluated of result.flags.values()) {
    const own = overrides?.get(evaluated.name);
    const flag = own ? { enabled: own.enabled, value: own.value, variant: null, metadata: own.metadata } : evaluated;
    const meta = flag.metadata as FlagMetadata | undefined;
    if (!meta) continue;
    if (!view.servesFeature(meta.id, kind)) continue;
    if (view.hideDisabledFlags && !flag.enabled) continue;
    visit(meta, flag.enabled, flag.value as FlagValue, flag.variant);
  }
}

/** Evaluates every flag for an identity against the cached environment view, as objects. */
export function evaluateIdentityFlags(view: EnvironmentView, kind: KeyKind, identity: EvaluatedIdentity): SdkFlag[] {
  const flags: SdkFlag[] = [];
  visitIdentityFlags(view, kind, identity, (meta, enabled, value, variant) => {
    flags.push(
      sdkFlag(
        view.sdkFeatures.get(meta.id)!,
        view.environmentId,
        { stateId: meta.state, featureSegmentId: meta.featureSegment, identityId: meta.identity },
        enabled,
        value,
        view.hideSensitiveData,
        variant,
      ),
    );
  });
  return flags;
}

/**
 * The identity's flags, serialized: from the memo when the same evaluation was done under this view, else evaluated.
 * Each flag's JSON comes from the view, which serializes each (state, variant, value) once, so a memo entry is an
 * array of references to shared strings, not a copy of the body: a workload of many different identities churns
 * small entries, not 15 KB bodies that would end in the old generation.
 */
function evaluatedFlags(view: EnvironmentView, kind: KeyKind, identity: EvaluatedIdentity): readonly string[] {
  const key = memoKey(view.viewId, kind, identity.identifier, identity.identityId, identity.traits);
  let flags = flagsMemo.get(key);
  if (flags === undefined) {
    const parts: string[] = [];
    visitIdentityFlags(view, kind, identity, (meta, enabled, value, variant) => parts.push(view.flagFragment(meta, enabled, value, variant)));
    flags = parts;
    flagsMemo.set(key, flags);
  }
  return flags;
}

function respond(view: EnvironmentView, kind: KeyKind, identity: EvaluatedIdentity): IdentityResponse {
  return {
    identifier: identity.identifier,
    traits: view.hideSensitiveData
      ? []
      : identity.traits.map((t) => ({ id: t.id, trait_key: t.key, trait_value: plainTraitValue(t.value), transient: t.transient })),
    flags: evaluatedFlags(view, kind, identity),
  };
}

type ResponseTrait = EvaluatedIdentity['traits'][number];

function stored(traits: TraitRecord[]): ResponseTrait[] {
  return traits.map((t) => ({ id: t.id, key: t.key, value: t.value, transient: false }));
}

/**
 * The answer to a plain GET /identities/?identifier= (no `transient`, no `feature`) when the identity is fresh in the
 * identity cache, synchronously: the body is serialized on the first such request under this view and key kind and
 * kept on the cache entry, so later ones cost two map lookups. Undefined when the identity must be read first.
 */
export function cachedIdentityAnswer(identities: IdentityCache, view: EnvironmentView, kind: KeyKind, identifier: string): CachedAnswer | undefined {
  const entry = identities.peek(view.environmentId, identifier);
  if (entry === undefined) return undefined;
  const answer = entry.answer;
  if (answer !== undefined && answer.viewId === view.viewId && answer.kind === kind) return answer;
  const body = Buffer.from(identityResponseBody(respond(view, kind, { identifier, identityId: entry.id, traits: stored(entry.traits) })));
  const made: CachedAnswer = { viewId: view.viewId, kind, body, headers: Object.freeze({ ...view.sdkJsonHeaders, 'content-length': String(body.length) }) };
  identities.attachAnswer(entry, made);
  return made;
}

/** GET /identities/?identifier=: stored traits, no writes except creating a missing non-transient identity. */
export async function getIdentity(
  store: Store,
  identities: IdentityCache,
  view: EnvironmentView,
  kind: KeyKind,
  identifier: string,
  transient: boolean,
): Promise<IdentityResponse> {
  const found: StoredIdentity | undefined = identities.peek(view.environmentId, identifier) ?? (await identities.load(store.db, view.environmentId, identifier));
  if (found) return respond(view, kind, { identifier, identityId: transient ? null : found.id, traits: stored(found.traits) });
  if (transient) return respond(view, kind, { identifier, identityId: null, traits: [] });
  // Nothing caches an identity's absence, so creating one needs no invalidation.
  const created = await ensureIdentity(store.db, store.traits, view.environmentId, identifier);
  return respond(view, kind, { identifier, identityId: created.id, traits: [] });
}

/** Whether storing this trait would change nothing. */
function unchanged(storedTraits: TraitRecord[], t: TraitInput): boolean {
  const before = storedTraits.find((s) => s.key === t.key);
  if (t.value === null) return before === undefined;
  return before !== undefined && encodeTraitValue(before.value) === encodeTraitValue(t.value);
}

/** Merges incoming traits over stored ones for evaluation, without saving (transient requests, no persistence). */
function merge(storedTraits: TraitRecord[], incoming: TraitInput[], allTransient: boolean) {
  const merged = new Map<string, ResponseTrait>(stored(storedTraits).map((t) => [t.key, t]));
  for (const t of incoming) {
    if (t.value === null) merged.delete(t.key);
    else merged.set(t.key, { id: null, key: t.key, value: t.value, transient: allTransient || t.transient });
  }
  return [...merged.values()];
}

export interface IdentifyOptions {
  /** Called when the answer came from the cached document alone because the database was unreachable. */
  onDatabaseDown?: () => void;
}

/**
 * POST /identities/ while the database is unreachable (docs/performance.md, "Outage behaviour"): the identity is
 * evaluated against the cached environment document with the traits sent in this request (SDKs send the identity's
 * traits with every identify) and its own overrides, which the document holds; nothing is stored, and the traits come
 * back marked transient. Undefined when that answer could differ from the real one in a way the request cannot fix:
 * the environment hashes percentage splits by the stored identity's id and this identity has no override to tell it.
 */
function identifyFromDocument(view: EnvironmentView, kind: KeyKind, identifier: string, incoming: TraitInput[]): IdentityResponse | undefined {
  const identityId = view.overrideIdentityId(identifier) ?? null;
  if (identityId === null && !view.environment.use_identity_composite_key_for_hashing) return undefined;
  return respond(view, kind, { identifier, identityId, traits: merge([], incoming, true) });
}

/** POST /identities/: identify, upsert traits per the organisation's and environment's settings, evaluate. */
export async function identify(
  store: Store,
  identities: IdentityCache,
  view: EnvironmentView,
  kind: KeyKind,
  input: { identifier: string | null; traits: TraitInput[]; transient: boolean },
  options: IdentifyOptions = {},
): Promise<IdentityResponse> {
  const traitsAllowed = kind === 'server' || view.environment.allow_client_traits;
  const incoming = traitsAllowed ? input.traits : [];
  if (!input.identifier) {
    return respond(view, kind, {
      identifier: transientIdentifier(incoming),
      identityId: null,
      traits: incoming.filter((t) => t.value !== null).map((t) => ({ id: null, key: t.key, value: t.value!, transient: true })),
    });
  }
  const identifier = input.identifier;
  let found: StoredIdentity | undefined;
  try {
    // Read from the database, never from memory: whether to write rests on it (a trait another process changed within
    // the cache's bound must be written back, not skipped as unchanged). The read refreshes the identity cache.
    found = await identities.load(store.db, view.environmentId, identifier, true);
  } catch (error) {
    const fallback = isConnectionError(error) ? identifyFromDocument(view, kind, identifier, incoming) : undefined;
    if (!fallback) throw error;
    options.onDatabaseDown?.();
    return fallback;
  }
  if (input.transient) {
    return respond(view, kind, { identifier, identityId: null, traits: merge(found?.traits ?? [], incoming, true) });
  }
  const persist = view.organisation.persist_trait_data;
  const toStore = incoming.filter((t) => !t.transient);
  let identityId: number;
  let storedTraits: TraitRecord[];
  if (persist && found && toStore.every((t) => unchanged(found.traits, t))) {
    // SDKs send the same traits with every identify: when nothing changes there is nothing to write.
    identityId = found.id;
    storedTraits = found.traits;
  } else if (persist && toStore.length > 0) {
    try {
      ({ identityId, storedTraits } = await store.connection.db.transaction().execute(async (trx) => {
        const identity = found ?? (await ensureIdentity(trx, store.traits, view.environmentId, identifier));
        await applyTraitChanges(trx, identity.id, toStore.map((t) => ({ key: t.key, value: t.value })), found?.traits);
        const reread = await loadIdentityWithTraits(trx, view.environmentId, identifier);
        return { identityId: identity.id, storedTraits: reread?.traits ?? [] };
      }));
    } finally {
      // After the commit (or a failure whose outcome is unknown): the cached identity goes, here and elsewhere.
      store.identitiesChanged([{ environmentId: view.environmentId, identifier }]);
    }
  } else {
    identityId = found?.id ?? (await ensureIdentity(store.db, store.traits, view.environmentId, identifier)).id;
    storedTraits = found?.traits ?? [];
  }
  const transientOnes = persist ? incoming.filter((t) => t.transient) : incoming;
  return respond(view, kind, { identifier, identityId, traits: merge(storedTraits, transientOnes, !persist) });
}
