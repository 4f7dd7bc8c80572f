// Environment views held in memory for the SDK endpoints (DESIGN.md §2). A view is rebuilt when its environment's
// version changes: at once for writes made by this process (the store tells us), within one poll interval for writes
// made by others, and at the moment a scheduled change goes live. While the database is unreachable the last good
// view keeps being served.
import { hashSecret, SERVER_KEY_PREFIX } from '../../auth/keys';
import type { Store } from '../../store/store';
import { findEnvironmentByKey, findEnvironmentByServerKeyHash, listEnvironmentVersions } from '../../store/repositories/environments';
import { loadEffectiveSnapshot } from './effective-snapshot';
import { EnvironmentView, type KeyKind } from './environment-view';

export interface CacheLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface EnvironmentCacheOptions {
  pollIntervalMs: number;
  logger?: CacheLogger;
}

interface Entry {
  view: EnvironmentView;
  stale: boolean;
  reload?: Promise<EnvironmentView>;
  liveTimer?: NodeJS.Timeout;
}

/** How long an unknown key is remembered as unknown, so random keys cannot make every request query the database. */
const NEGATIVE_TTL_MS = 1000;
const NEGATIVE_MAX = 10_000;

export class EnvironmentCache {
  private readonly entries = new Map<string, Entry>(); // by client api key
  private readonly keyOfEnvironment = new Map<number, string>();
  private readonly serverKeys = new Map<string, { apiKey: string; environmentId?: number }>(); // by key hash
  private readonly unknownKeys = new Map<string, number>(); // key -> expiry
  private readonly knownVersions = new Map<number, number>();
  private poller?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  /** Counts reads served from a stale view because the database failed; exposed as a metric. */
  staleServes = 0;

  constructor(private readonly store: Store, private readonly options: EnvironmentCacheOptions) {
    this.unsubscribe = store.onEnvironmentsChanged((ids) => this.invalidate(ids));
  }

  setLogger(logger: CacheLogger): void {
    this.options.logger = logger;
  }

  start(): void {
    if (this.poller) return;
    this.poller = setInterval(() => void this.poll(), this.options.pollIntervalMs);
    this.poller.unref();
  }

  stop(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    this.unsubscribe?.();
    for (const entry of this.entries.values()) if (entry.liveTimer) clearTimeout(entry.liveTimer);
  }

  /** Marks environments changed: their views rebuild on next use, and their server keys are looked up again. */
  invalidate(environmentIds: number[]): void {
    for (const id of environmentIds) {
      const apiKey = this.keyOfEnvironment.get(id);
      const entry = apiKey !== undefined ? this.entries.get(apiKey) : undefined;
      if (entry) entry.stale = true;
      for (const [hash, value] of this.serverKeys) if (value.apiKey === apiKey || value.environmentId === id) this.serverKeys.delete(hash);
    }
    this.unknownKeys.clear();
  }

  /** Compares every environment's version with what this process has seen, and invalidates the changed ones. */
  async poll(): Promise<void> {
    let versions: Array<{ id: number; version: number }>;
    try {
      versions = await listEnvironmentVersions(this.store.db);
    } catch {
      return; // The database is away: keep serving what we have.
    }
    const changed: number[] = [];
    const present = new Set<number>();
    for (const { id, version } of versions) {
      present.add(id);
      const seen = this.knownVersions.get(id);
      if (seen !== undefined && seen !== version) changed.push(id);
      this.knownVersions.set(id, version);
    }
    for (const id of this.keyOfEnvironment.keys()) if (!present.has(id)) changed.push(id);
    if (changed.length > 0) this.invalidate(changed);
  }

  /** Resolves an `X-Environment-Key` value: its view and whether it is a server-side key; undefined if unknown. */
  async resolve(key: string): Promise<{ view: EnvironmentView; kind: KeyKind } | undefined> {
    if (key.startsWith(SERVER_KEY_PREFIX)) {
      const hash = hashSecret(key);
      let server = this.serverKeys.get(hash);
      if (!server) {
        if (this.isKnownUnknown(key)) return undefined;
        const found = await findEnvironmentByServerKeyHash(this.store.db, hash);
        if (!found) return this.rememberUnknown(key);
        server = { apiKey: found.apiKey };
        this.serverKeys.set(hash, server);
      }
      const view = await this.view(server.apiKey);
      if (view) server.environmentId = view.environmentId;
      return view && { view, kind: 'server' };
    }
    const view = await this.view(key);
    return view && { view, kind: 'client' };
  }

  /** The current view of an environment by its client key. */
  async view(apiKey: string): Promise<EnvironmentView | undefined> {
    const entry = this.entries.get(apiKey);
    if (entry && !entry.stale) return entry.view;
    if (entry) return this.refresh(apiKey, entry);
    if (this.isKnownUnknown(apiKey)) return undefined;
    const environment = await findEnvironmentByKey(this.store.db, apiKey);
    if (!environment) return this.rememberUnknown(apiKey);
    return this.load(apiKey, environment.id);
  }

  private async refresh(apiKey: string, entry: Entry): Promise<EnvironmentView | undefined> {
    entry.reload ??= this.build(entry.view.environmentId).finally(() => (entry.reload = undefined));
    try {
      const view = await entry.reload;
      return view;
    } catch (error) {
      if ((error as Error).message === 'environment deleted') {
        this.forget(apiKey, entry.view.environmentId);
        return undefined;
      }
      this.staleServes++;
      this.options.logger?.warn({ err: error, environment: entry.view.environmentId, staleServes: this.staleServes }, 'database unavailable: serving the last good environment document');
      return entry.view;
    }
  }

  private async load(apiKey: string, environmentId: number): Promise<EnvironmentView | undefined> {
    try {
      return await this.build(environmentId);
    } catch (error) {
      if ((error as Error).message === 'environment deleted') return undefined;
      throw error;
    }
  }

  private async build(environmentId: number): Promise<EnvironmentView> {
    const snapshot = await loadEffectiveSnapshot(this.store.db, environmentId);
    if (!snapshot) throw new Error('environment deleted');
    const view = new EnvironmentView(snapshot);
    const previous = this.entries.get(view.apiKey);
    if (previous?.liveTimer) clearTimeout(previous.liveTimer);
    const entry: Entry = { view, stale: false };
    if (snapshot.nextLiveFrom) {
      // A scheduled change goes live at its time even if no write happens then.
      const delay = Math.max(0, Math.min(snapshot.nextLiveFrom.getTime() - Date.now(), 2 ** 31 - 1));
      entry.liveTimer = setTimeout(() => (entry.stale = true), delay);
      entry.liveTimer.unref();
    }
    this.entries.set(view.apiKey, entry);
    this.keyOfEnvironment.set(environmentId, view.apiKey);
    this.knownVersions.set(environmentId, view.version);
    return view;
  }

  private forget(apiKey: string, environmentId: number): void {
    const entry = this.entries.get(apiKey);
    if (entry?.liveTimer) clearTimeout(entry.liveTimer);
    this.entries.delete(apiKey);
    this.keyOfEnvironment.delete(environmentId);
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
