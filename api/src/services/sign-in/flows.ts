// Transient state of redirect sign-ins (SAML AuthnRequest ids; OIDC state, nonce and PKCE verifier; where to go
// afterwards), kept server-side under the SHA-256 of its key and consumed exactly once: two ACS posts or two callbacks
// with the same key race for one DELETE, and only the one that deleted the row proceeds (AUTH-NOTES.md §4 replay).
import { hashSecret } from '../../auth/keys';
import * as repo from '../../store/repositories/sign-in';
import type { Store } from '../../store/store';
import { SYSTEM_ACTOR } from '../../domain/actor';

export type FlowKind = 'saml' | 'oidc';

export interface SavedFlow<P> {
  provider: string;
  payload: P;
}

/** Stores a flow's state under `key` (a random id the browser carries back) for `ttlSeconds`. */
export async function saveFlow<P>(store: Store, kind: FlowKind, provider: string, key: string, payload: P, ttlSeconds = 600): Promise<void> {
  const now = new Date();
  await store.write(SYSTEM_ACTOR, async (w) => {
    await repo.deleteExpiredAuthFlows(w.trx, now);
    await repo.insertAuthFlow(w.trx, w.traits, {
      keyHash: hashSecret(key),
      kind,
      provider,
      payload: JSON.stringify(payload),
      now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    });
  });
}

/**
 * Takes a flow's state out, once: undefined when the key is unknown, expired, of another kind or provider, or
 * already consumed by a concurrent request.
 */
export async function consumeFlow<P>(store: Store, kind: FlowKind, provider: string, key: string): Promise<P | undefined> {
  if (!key || key.length > 512) return undefined;
  const found = await repo.findAuthFlow(store.db, hashSecret(key));
  // A key of another kind or provider is left alone: a crafted request must not burn someone else's pending flow.
  if (!found || found.kind !== kind || found.provider !== provider) return undefined;
  const deleted = await repo.deleteAuthFlow(store.db, found.id);
  if (!deleted || found.expiresAt <= new Date()) return undefined;
  return JSON.parse(found.payload) as P;
}
