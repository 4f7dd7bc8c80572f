// Environment views held in memory for the SDK endpoints (DESIGN.md §2). A view is rebuilt when its environment's
// version changes: at once for writes made by this process (the store tells us), within milliseconds for writes made
// by other processes on PostgreSQL (the change feed's LISTEN/NOTIFY), and within one poll interval everywhere (the
// versions are polled on every engine, so a missed notification is still caught), and at the moment a scheduled
// change goes live. While the database is unreachable the last good view keeps being served: one log line when the
// outage is noticed, one when it ends, and counters for /health/metrics.
//
// The hot path is `peek()`: a synchronous map lookup that returns a preallocated { view, kind } pair, so a request for
// a fresh view costs no promise, no allocation and no database round trip.
//
// The cache also holds the identity cache (identity-cache.ts): stored identities and their traits, kept for at most
// one poll interval, dropped at once by this process's writes and, on PostgreSQL, by the other processes' notifications.
import { hashSecret, SERVER_KEY_PREFIX } from '../../auth/keys';
import type { Store } from '../../store/store';
import type { ChangeFeed } from '../../store/change-feed';
import { isConnectionError } from '../../store/errors';
import { findEnvironmentByKey, findEnvironmentByServerKeyHash, listEnvironmentVersions } from '../../store/repositories/environments';
import { loadEffectiveSnapshot } from './effective-snapshot';
import { EnvironmentView, type KeyKind } from './environment-view';
import { IdentityCache } from './identity-cache';

export interface CacheLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface EnvironmentCacheOptions {
  /** How often environment versions are compared with the database: the staleness bound. */
  pollIntervalMs: number;
  logger?: CacheLogger;
  /** Pushes other processes' changes (PostgreSQL LISTEN/NOTIFY); polling runs regardless. */
  feed?: ChangeFeed;
  /** After a failed rebuild, how long the last good view is served before the next attempt (default: the poll interval, at most 1 s). */
  retryAfterMs?: number;
  /** Bytes the identity cache keeps at most (default IDENTITY_CACHE_BUDGET_BYTES). */
  identityBudgetBytes?: number;
}

export interface Resolved {
  view: EnvironmentView;
  kind: KeyKind;
}

interface Entry {
  view: EnvironmentView;
  client: Resolved;
  server: Resolved;
  stale: boolean;
  reload?: Promise<EnvironmentView>;
  reloadGeneration?: number;
  /** While the database is failing: no rebuild is attempted before this time (epoch ms). */
  retryAt: number;
  liveTimer?: NodeJS.Timeout;
}

/** Counters and gauges for /health/metrics and /health/readiness. */
export interface CacheStats {
  documents: number;
  rebuilds: number;
  rebuildFailures: number;
  /** Requests answered from a view known to be out of date because rebuilding it failed. */
  staleServes: number;
  /** SDK requests answered from memory while the database was unreachable. */
  servedWhileDatabaseDown: number;
  /** Identity requests answered without the identity's stored traits because the database was unreachable. */
  identityFallbacks: number;
  /** GET /flags/ answered by the listening server's fast path, beneath Fastify (http/sdk/fast-path.ts). */
  fastPathServes: number;
  /** GET /identities/ answered by the listening server's fast path from the identity cache. */
  identityFastPathServes: number;
  databaseReachable: boolean;
  /** When the database stopped answering (epoch ms), or null. */
  databaseDownSince: number | null;
  polls: number;
  pollFailures: number;
  /** Epoch ms of the last successful version poll, or null. */
  lastPollAt: number | null;
  pollIntervalMs: number;
  changeFeed: 'notify' | 'poll';
  changeFeedListening: boolean;
  notificationsReceived: number;
  /** The identity cache (identity-cache.ts). */
  identities: number;
  identityBytes: number;
  identityBudgetBytes: number;
  identityHits: number;
  identityMisses: number;
  identityInvalidations: number;
  identityOutageServes: number;
}

/** How long an unknown key is remembered as unknown, so random keys cannot make every request query the database. */
const NEGATIVE_TTL_MS = 1000;
const NEGATIVE_MAX = 10_000;
const SERVER_KEYS_MAX = 10_000;
/** Rebuild failures other than the outage itself are logged at most this often. */
const FAILURE_LOG_INTERVAL_MS = 30_000;

export class EnvironmentCache {
  private readonly entries = new Map<string, Entry>(); // by client api key
  private readonly keyOfEnvironment = new Map<number, string>();
  /** Server-side keys by their text: the client api key of their environment. */
  private readonly serverKeys = new Map<string, string>();
  private readonly unknownKeys = new Map<string, number>(); // key -> expiry
  private readonly knownVersions = new Map<number, number>();
  /** Invalidations per environment: a rebuild that started before the latest one cannot mark its view fresh. */
  private readonly generations = new Map<number, number>();
  private poller?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private unsubscribe?: () => void;
  private unsubscribeIdentities?: () => void;
  private lastFailureLog = 0;
  private readonly retryAfterMs: number;

  // Counters (see CacheStats).
  rebuilds = 0;
  rebuildFailures = 0;
  staleServes = 0;
  servedWhileDatabaseDown = 0;
  identityFallbacks = 0;
  fastPathServes = 0;
  identityFastPathServes = 0;
  polls = 0;
  pollFailures = 0;
  lastPollAt: number | null = null;
  databaseDownSince: number | null = null;

  /** Stored identities and their traits, for at most one poll interval (identity-cache.ts). */
  readonly identities: IdentityCache;

  constructor(private readonly store: Store, private readonly options: EnvironmentCacheOptions) {
    this.retryAfterMs = options.retryAfterMs ?? Math.min(options.pollIntervalMs, 1000);
    this.identities = new IdentityCache({
      ttlMs: options.pollIntervalMs,
      budgetBytes: options.identityBudgetBytes,
      databaseDownSince: () => this.databaseDownSince,
    });
    this.unsubscribe = store.onEnvironmentsChanged((ids) => this.invalidate(ids));
    this.unsubscribeIdentities = store.onIdentitiesChanged((refs) => this.identities.invalidate(refs));
  }

  setLogger(logger: CacheLogger): void {
    this.options.logger = logger;
    this.options.feed?.setLogger(logger);
  }

  start(): void {
    if (this.poller) return;
    this.poller = setInterval(() => void this.poll(), this.options.pollIntervalMs);
    this.poller.unref();
    this.options.feed?.start({
      onChange: (ids) => this.invalidate(ids),
      onIdentitiesChanged: (refs, environmentIds) => {
        this.identities.invalidate(refs);
        if (environmentIds.length > 0) this.identities.invalidateEnvironments(environmentIds);
      },
      onResync: () => void this.poll(),
    });
  }

  async stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    this.unsubscribe?.();
    this.unsubscribeIdentities?.();
    this.identities.clear();
    for (const entry of this.entries.values()) if (entry.liveTimer) clearTimeout(entry.liveTimer);
    await this.options.feed?.stop();
    await this.polling?.catch(() => undefined);
  }

  get databaseReachable(): boolean {
    return this.databaseDownSince === null;
  }

  stats(): CacheStats {
    return {
      documents: this.entries.size,
      rebuilds: this.rebuilds,
      rebuildFailures: this.rebuildFailures,
      staleServes: this.staleServes,
      servedWhileDatabaseDown: this.servedWhileDatabaseDown,
      identityFallbacks: this.identityFallbacks,
      fastPathServes: this.fastPathServes,
      identityFastPathServes: this.identityFastPathServes,
      databaseReachable: this.databaseReachable,
      databaseDownSince: this.databaseDownSince,
      polls: this.polls,
      pollFailures: this.pollFailures,
      lastPollAt: this.lastPollAt,
      pollIntervalMs: this.options.pollIntervalMs,
      changeFeed: this.options.feed?.kind ?? 'poll',
      changeFeedListening: this.options.feed?.listening ?? false,
      notificationsReceived: this.options.feed?.received ?? 0,
      ...identityStats(this.identities),
    };
  }

  /** Marks environments changed: their views rebuild on next use, and their server keys are looked up again. */
  invalidate(environmentIds: number[]): void {
    for (const id of environmentIds) {
      this.generations.set(id, (this.generations.get(id) ?? 0) + 1);
      const apiKey = this.keyOfEnvironment.get(id);
      const entry = apiKey !== undefined ? this.entries.get(apiKey) : undefined;
      if (entry) {
        entry.stale = true;
        entry.retryAt = 0;
      }
      if (apiKey !== undefined) for (const [key, value] of this.serverKeys) if (value === apiKey) this.serverKeys.delete(key);
    }
    // A key rotated or an environment created may turn an unknown key into a known one.
    this.unknownKeys.clear();
  }

  /** Compares every environment's version with what this process has seen, and invalidates the changed ones. */
  poll(): Promise<void> {
    // One poll at a time: against an unreachable server a poll can take as long as the connect timeout.
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    let versions: Array<{ id: number; version: number }>;
    try {
      versions = await listEnvironmentVersions(this.store.db);
    } catch (error) {
      this.pollFailures++;
      this.databaseDown(error);
      return;
    }
    this.polls++;
    this.lastPollAt = Date.now();
    this.databaseUp();
    this.identities.sweep();
    const changed: number[] = [];
    const present = new Set<number>();
    for (const { id, version } of versions) {
      present.add(id);
      const seen = this.knownVersions.get(id);
      if (seen !== undefined && seen !== version) changed.push(id);
      this.knownVersions.set(id, version);
    }
    const gone: number[] = [];
    for (const id of this.keyOfEnvironment.keys()) if (!present.has(id)) gone.push(id);
    changed.push(...gone);
    if (changed.length > 0) this.invalidate(changed);
    // A deleted environment's identities went with it.
    if (gone.length > 0) this.identities.invalidateEnvironments(gone);
  }

  /**
   * The hot path: the view for an `X-Environment-Key` value when it can be answered from memory without waiting,
   * else undefined (then call `resolve`). A view that is out of date but cannot be rebuilt now (the database is
   * failing and the retry pause has not passed) is answered too: that is the last good document.
   */
  peek(key: string): Resolved | undefined {
    const server = key.startsWith(SERVER_KEY_PREFIX);
    const apiKey = server ? this.serverKeys.get(key) : key;
    if (apiKey === undefined) return undefined;
    const entry = this.entries.get(apiKey);
    if (!entry) return undefined;
    if (entry.stale) {
      if (entry.reload || Date.now() >= entry.retryAt) return undefined;
      this.staleServes++;
    }
    if (this.databaseDownSince !== null) this.servedWhileDatabaseDown++;
    return server ? entry.server : entry.client;
  }

  /** Resolves an `X-Environment-Key` value: its view and whether it is a server-side key; undefined if unknown. */
  async resolve(key: string): Promise<Resolved | undefined> {
    const hit = this.peek(key);
    if (hit) return hit;
    if (key.startsWith(SERVER_KEY_PREFIX)) {
      let apiKey = this.serverKeys.get(key);
      if (apiKey === undefined) {
        if (this.isKnownUnknown(key)) return undefined;
        const found = await findEnvironmentByServerKeyHash(this.store.db, hashSecret(key));
        if (!found) return this.rememberUnknown(key);
        apiKey = found.apiKey;
        if (this.serverKeys.size >= SERVER_KEYS_MAX) this.serverKeys.clear();
        this.serverKeys.set(key, apiKey);
      }
      const entry = await this.entry(apiKey);
      return entry?.server;
    }
    const entry = await this.entry(key);
    return entry?.client;
  }

  /** The current view of an environment by its client key. */
  async view(apiKey: string): Promise<EnvironmentView | undefined> {
    return (await this.entry(apiKey))?.view;
  }

  private async entry(apiKey: string): Promise<Entry | undefined> {
    const entry = this.entries.get(apiKey);
    if (entry && !entry.stale) return entry;
    if (entry) return this.refresh(apiKey, entry);
    if (this.isKnownUnknown(apiKey)) return undefined;
    const environment = await findEnvironmentByKey(this.store.db, apiKey);
    if (!environment) return this.rememberUnknown(apiKey);
    try {
      return await this.build(environment.id);
    } catch (error) {
      if (error instanceof EnvironmentDeleted) return undefined;
      throw error;
    }
  }

  private async refresh(apiKey: string, entry: Entry): Promise<Entry | undefined> {
    const environmentId = entry.view.environmentId;
    const generation = this.generations.get(environmentId) ?? 0;
    if (Date.now() < entry.retryAt && !entry.reload) {
      this.staleServes++;
      return entry;
    }
    // Requests arriving during a rebuild share it, unless it started before the latest invalidation.
    if (!entry.reload || entry.reloadGeneration !== generation) {
      const reload = this.build(environmentId).then((fresh) => fresh.view);
      entry.reload = reload;
      entry.reloadGeneration = generation;
      void reload.finally(() => {
        if (entry.reload === reload) entry.reload = undefined;
      }).catch(() => undefined);
    }
    try {
      await entry.reload;
      return this.entries.get(apiKey) ?? entry;
    } catch (error) {
      if (error instanceof EnvironmentDeleted) {
        this.forget(apiKey, environmentId);
        return undefined;
      }
      this.rebuildFailures++;
      entry.retryAt = Date.now() + this.retryAfterMs;
      if (isConnectionError(error)) this.databaseDown(error);
      else this.logFailure(error, environmentId);
      this.staleServes++;
      return entry;
    }
  }

  private async build(environmentId: number): Promise<Entry> {
    const generation = this.generations.get(environmentId) ?? 0;
    const snapshot = await loadEffectiveSnapshot(this.store.db, environmentId);
    if (!snapshot) throw new EnvironmentDeleted();
    this.rebuilds++;
    this.databaseUp();
    const view = new EnvironmentView(snapshot);
    const previous = this.entries.get(view.apiKey);
    if (previous?.liveTimer) clearTimeout(previous.liveTimer);
    // Changed while we read: serve this view to the requests that waited for it, but rebuild on the next one.
    const stale = (this.generations.get(environmentId) ?? 0) !== generation;
    const entry: Entry = { view, client: { view, kind: 'client' }, server: { view, kind: 'server' }, stale, retryAt: 0 };
    if (snapshot.nextLiveFrom) {
      // A scheduled change goes live at its time even if no write happens then.
      const delay = Math.max(0, Math.min(snapshot.nextLiveFrom.getTime() - Date.now(), 2 ** 31 - 1));
      entry.liveTimer = setTimeout(() => (entry.stale = true), delay);
      entry.liveTimer.unref();
    }
    this.entries.set(view.apiKey, entry);
    this.keyOfEnvironment.set(environmentId, view.apiKey);
    if (!stale) this.knownVersions.set(environmentId, view.version);
    return entry;
  }

  private databaseDown(error: unknown): void {
    if (this.databaseDownSince !== null) return;
    this.databaseDownSince = Date.now();
    this.options.logger?.warn(
      { err: error, documents: this.entries.size },
      'database unreachable: serving the last good environment documents from memory until it is back',
    );
  }

  private databaseUp(): void {
    if (this.databaseDownSince === null) return;
    const downMs = Date.now() - this.databaseDownSince;
    this.databaseDownSince = null;
    this.options.logger?.info(
      { downMs, servedWhileDatabaseDown: this.servedWhileDatabaseDown, staleServes: this.staleServes },
      'database reachable again: environment documents refresh from it',
    );
    // Whatever changed meanwhile is found by comparing versions.
    void this.poll();
  }

  private logFailure(error: unknown, environmentId: number): void {
    const now = Date.now();
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
    this.lastFailureLog = now;
    this.options.logger?.warn({ err: error, environment: environmentId, rebuildFailures: this.rebuildFailures }, 'environment document rebuild failed: serving the last good one');
  }

  private forget(apiKey: string, environmentId: number): void {
    const entry = this.entries.get(apiKey);
    if (entry?.liveTimer) clearTimeout(entry.liveTimer);
    this.entries.delete(apiKey);
    this.keyOfEnvironment.delete(environmentId);
    this.identities.invalidateEnvironments([environmentId]);
  }

  private isKnownUnknown(key: string): boolean {
    const expiry = this.unknownKeys.get(key);
    if (expiry === undefined) return false;
    if (expiry > Date.now()) return true;
    this.unknownKeys.delete(key);
    return false;
  }

  private rememberUnknown(key: string): undefined {
    if (this.unknownKeys.size >= NEGATIVE_MAX) this.unknownKeys.clear();
    this.unknownKeys.set(key, Date.now() + NEGATIVE_TTL_MS);
    return undefined;
  }
}

function identityStats(cache: IdentityCache) {
  const s = cache.stats();
  return {
    identities: s.identities,
    identityBytes: s.bytes,
    identityBudgetBytes: s.budgetBytes,
    identityHits: s.hits,
    identityMisses: s.misses,
    identityInvalidations: s.invalidations,
    identityOutageServes: s.outageServes,
  };
}

class EnvironmentDeleted extends Error {
  constructor() {
    super('environment deleted');
  }
}
