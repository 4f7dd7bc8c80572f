// node-saml's cache of AuthnRequest ids, kept in the database through the shared sign-in flows (services/sign-in/
// flows.ts) so every container and function sees the same requests, and consumed exactly once: node-saml reads an id
// (twice: once for the Response, once for the SubjectConfirmationData) and removes it later, which two concurrent posts
// of one response could both pass; here the first read takes the row out in one DELETE, and later reads within the
// same validation answer what it took.
import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { Store } from '../../store/store';
import { consumeFlow, saveFlow } from '../sign-in/flows';
import { REQUEST_TTL_MS } from '../../auth/saml/options';

/** What is kept with an AuthnRequest id until its response arrives. */
export interface SamlRequestState {
  /** node-saml's issue instant (it checks the request's age against it). */
  instant: string;
  /** Relative dashboard path to continue to, already checked. */
  next?: string;
  /** SHA-256 of the browser-binding cookie set when the request started, when the browser could take one. */
  binding?: string;
}

/** Request ids live under their own prefix: an InResponseTo can never name another record (e.g. a replay marker). */
const requestKey = (id: string) => `request:${id}`;

export class SamlRequestCache implements CacheProvider {
  private taken: { id: string; state: SamlRequestState } | undefined;

  constructor(
    private readonly store: Store,
    private readonly configurationName: string,
    private readonly extra: Omit<SamlRequestState, 'instant'> = {},
  ) {}

  /** The request this validation consumed, if any. */
  get consumed(): SamlRequestState | undefined {
    return this.taken?.state;
  }

  async saveAsync(id: string, instant: string): Promise<CacheItem | null> {
    const state: SamlRequestState = { instant, ...this.extra };
    await saveFlow(this.store, 'saml', this.configurationName, requestKey(id), state, Math.ceil(REQUEST_TTL_MS / 1000));
    return { value: instant, createdAt: Date.now() };
  }

  async getAsync(id: string): Promise<string | null> {
    if (this.taken?.id === id) return this.taken.state.instant;
    if (this.taken) return null;
    const state = await consumeFlow<SamlRequestState>(this.store, 'saml', this.configurationName, requestKey(id));
    if (!state || typeof state.instant !== 'string') return null;
    this.taken = { id, state };
    return state.instant;
  }

  /** Nothing to do: the row was deleted when it was read. */
  async removeAsync(id: string | null): Promise<string | null> {
    return id;
  }
}
