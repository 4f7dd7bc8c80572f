// Identities and their stored traits held in memory for the SDK identity endpoints (docs/performance.md §1–§3), with
// the same staleness bound as environment documents (issue 10; the product owner's decision of 2026-11-25):
//
//  - an entry is served for at most `ttlMs` (CACHE_POLL_INTERVAL_MS, default 1000 ms) after the moment its read from
//    the database began, then read again: a trait written by another process is served within that bound even if no
//    notification arrives;
//  - every write through this process that changes an identity or its traits drops the entry synchronously after the
//    commit (the store reports them: `Store.identitiesChanged` and `WriteScope.touchIdentity`), and a read that began
//    before such a drop cannot store its (older) result: read your writes, in this process;
//  - on PostgreSQL the change feed carries the same drops to the other processes (typically well under 100 ms);
//  - identity overrides are not here (they are part of the environment document), so a document rebuild keeps entries.
//
// Bound: entries leave in the order they were read (every entry expires `ttlMs` after its read, so that order is the
// order of expiry), and the total estimated size (identifier, traits, the cached answer) is kept under `budgetBytes`
// (default 32 MiB). Expired entries are swept on every successful version poll and whenever something is stored.
//
// While the database is unreachable an entry may be served past its expiry if it was read at most `ttlMs` before the
// outage was first noticed: no write can commit during the outage, so it misses at most what a fresh entry may miss.
import type { Executor } from '../../store/rows';
import type { IdentityRef } from '../../store/store';
import type { TraitRecord } from '../../store/repositories/identities';
import { loadIdentityWithTraits } from '../../store/repositories/identity-reads';
import { isConnectionError } from '../../store/errors';
import { TraitFloat } from '../../domain/traits';
import type { KeyKind } from './environment-view';

/** Bytes the identity cache keeps at most (estimated: strings as UTF-16, the cached answer's bytes, fixed overheads). */
export const IDENTITY_CACHE_BUDGET_BYTES = 32 * 1024 * 1024;

export interface StoredIdentity {
  id: number;
  traits: TraitRecord[];
}

/** The serialized answer of a plain GET of this identity under one view and key kind. */
export interface CachedAnswer {
  viewId: number;
  kind: KeyKind;
  body: Buffer;
  /** Every header the route sends with it, content-length included (for the listening server's fast path). */
  headers: Readonly<Record<string, string>>;
}

export interface CachedIdentity extends StoredIdentity {
  readonly key: string;
  readonly environmentId: number;
  /** When the read that produced it began (epoch ms): it reflects the database at least as of then. */
  readonly readAt: number;
  answer?: CachedAnswer;
  bytes: number;
}

interface Pending {
  promise: Promise<StoredIdentity | undefined>;
  readAt: number;
}

export interface IdentityCacheOptions {
  /** How long an entry is served after its read began: the staleness bound (CACHE_POLL_INTERVAL_MS). */
  ttlMs: number;
  budgetBytes?: number;
  /** When the database was first found unreachable in the current outage (epoch ms), or null. */
  databaseDownSince?: () => number | null;
  /** The database read (tests replace it). */
  read?: (db: Executor, environmentId: number, identifier: string) => Promise<StoredIdentity | undefined>;
  now?: () => number;
}

export interface IdentityCacheStats {
  identities: number;
  bytes: number;
  budgetBytes: number;
  /** Answers from memory. */
  hits: number;
  /** Reads from the database (concurrent requests sharing one read count once). */
  misses: number;
  invalidations: number;
  /** Entries served past their expiry because the database was unreachable. */
  outageServes: number;
}

export function identityCacheKey(environmentId: number, identifier: string): string {
  return `${environmentId}\u0001${identifier}`;
}

const ENTRY_OVERHEAD = 200;
const TRAIT_OVERHEAD = 120;
const ANSWER_OVERHEAD = 400;

function traitsSize(traits: TraitRecord[]): number {
  let bytes = 0;
  for (const t of traits) {
    const v = t.value;
    bytes += TRAIT_OVERHEAD + 2 * t.key.length + (typeof v === 'string' ? 2 * v.length : v instanceof TraitFloat ? 48 : 16);
  }
  return bytes;
}

export class IdentityCache {
  private readonly entries = new Map<string, CachedIdentity>();
  private readonly pending = new Map<string, Pending>();
  private bytes = 0;
  private readonly budgetBytes: number;
  private readonly read: NonNullable<IdentityCacheOptions['read']>;
  private readonly now: () => number;
  hits = 0;
  misses = 0;
  invalidations = 0;
  outageServes = 0;

  constructor(private readonly options: IdentityCacheOptions) {
    this.budgetBytes = options.budgetBytes ?? IDENTITY_CACHE_BUDGET_BYTES;
    this.read = options.read ?? loadIdentityWithTraits;
    this.now = options.now ?? Date.now;
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  stats(): IdentityCacheStats {
    return {
      identities: this.entries.size,
      bytes: this.bytes,
      budgetBytes: this.budgetBytes,
      hits: this.hits,
      misses: this.misses,
      invalidations: this.invalidations,
      outageServes: this.outageServes,
    };
  }

  /** The hot path: the entry when it is fresh, synchronously; else undefined (then `load`, which counts the miss). */
  peek(environmentId: number, identifier: string): CachedIdentity | undefined {
    const entry = this.entries.get(identityCacheKey(environmentId, identifier));
    if (entry !== undefined && this.now() - entry.readAt < this.options.ttlMs) {
      this.hits++;
      return entry;
    }
    return undefined;
  }

  /**
   * Reads the identity from the database and keeps it. Concurrent reads of one identity share one query, unless a
   * write dropped the identity after that query began. `fresh` starts a read of its own (a decision to write must not
   * rest on a read that began earlier). While the database is unreachable, an entry read at most one TTL before the
   * outage was noticed is answered instead of the error (not to a `fresh` read).
   */
  load(db: Executor, environmentId: number, identifier: string, fresh = false): Promise<StoredIdentity | undefined> {
    const key = identityCacheKey(environmentId, identifier);
    const joined = fresh ? undefined : this.pending.get(key);
    if (joined) return joined.promise;
    this.misses++;
    const readAt = this.now();
    const promise = this.read(db, environmentId, identifier).then(
      (found) => {
        if (this.pending.get(key) === pending) {
          this.pending.delete(key);
          if (found) this.store(key, environmentId, found, readAt);
        }
        return found;
      },
      (error: unknown) => {
        if (this.pending.get(key) === pending) this.pending.delete(key);
        // A read for a write decision (`fresh`) gets the error: its caller has its own outage answer.
        const kept = !fresh && isConnectionError(error) ? this.keptThroughOutage(key) : undefined;
        if (!kept) throw error;
        this.outageServes++;
        return kept;
      },
    );
    const pending: Pending = { promise, readAt };
    this.pending.set(key, pending);
    return promise;
  }

  /** The entry (fresh or not) when the database is unreachable and it was read at most one TTL before that was noticed. */
  keptThroughOutage(key: string): CachedIdentity | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const noticed = Math.min(this.options.databaseDownSince?.() ?? Number.POSITIVE_INFINITY, this.now());
    return entry.readAt >= noticed - this.options.ttlMs ? entry : undefined;
  }

  /** Keeps the serialized answer of a plain GET on the entry (replacing one of another view or key kind). */
  attachAnswer(entry: CachedIdentity, answer: CachedAnswer): void {
    if (this.entries.get(entry.key) !== entry) return; // dropped meanwhile
    const before = entry.bytes;
    entry.answer = answer;
    entry.bytes = ENTRY_OVERHEAD + 2 * entry.key.length + traitsSize(entry.traits) + ANSWER_OVERHEAD + answer.body.length;
    this.bytes += entry.bytes - before;
    this.evict();
  }

  /** Drops identities written through this process (or, on PostgreSQL, another one): called after the commit. */
  invalidate(identities: readonly IdentityRef[]): void {
    for (const { environmentId, identifier } of identities) {
      const key = identityCacheKey(environmentId, identifier);
      this.pending.delete(key);
      const entry = this.entries.get(key);
      if (entry) this.remove(key, entry);
      this.invalidations++;
    }
  }

  /** Drops every identity of these environments (a notification too large to name them, an environment deleted). */
  invalidateEnvironments(environmentIds: readonly number[]): void {
    const ids = new Set(environmentIds);
    for (const [key, entry] of this.entries) if (ids.has(entry.environmentId)) this.remove(key, entry);
    for (const key of [...this.pending.keys()]) if (ids.has(Number(key.slice(0, key.indexOf('\u0001'))))) this.pending.delete(key);
    this.invalidations++;
  }

  /** Drops expired entries (oldest first); not while the database is unreachable, when they may still be answered. */
  sweep(): void {
    const oldest = this.now() - this.options.ttlMs;
    for (const [key, entry] of this.entries) {
      if (entry.readAt > oldest) break;
      this.remove(key, entry);
    }
  }

  clear(): void {
    this.entries.clear();
    this.pending.clear();
    this.bytes = 0;
  }

  private store(key: string, environmentId: number, found: StoredIdentity, readAt: number): void {
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    const bytes = ENTRY_OVERHEAD + 2 * key.length + traitsSize(found.traits);
    if (bytes > this.budgetBytes) return;
    const entry: CachedIdentity = { key, environmentId, id: found.id, traits: found.traits, readAt, bytes };
    // Insertion order is read order: the sweep and the eviction take the oldest first.
    this.entries.set(key, entry);
    this.bytes += bytes;
    this.sweep();
    this.evict();
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.remove(key, entry);
    }
  }

  private remove(key: string, entry: CachedIdentity): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
