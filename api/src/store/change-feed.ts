// How an API process learns that another process changed an environment (DESIGN.md §2, §7). Every engine is polled
// (the environments' version column, by the cache); on PostgreSQL the feed also pushes: after each committed write this
// process sends `pg_notify` with the changed environment ids, and a dedicated LISTEN connection (reconnected with
// backoff when it drops) hands other processes' notifications to the cache within milliseconds. Polling stays on as
// the bound: a notification lost to a crash between commit and notify, or sent while the listener was reconnecting,
// is caught by the next poll, and the listener asks for an immediate poll each time it (re)connects.
// Identity changes (traits, identity rows) travel the same channel so the other processes drop their cached identity
// at once; there the bound is the identity cache's expiry (one poll interval), which needs no notification.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { parseDatabaseUrl } from './database-url';
import { driverTlsOptions, type DatabaseTls } from './tls';
import type { IdentityRef, Store } from './store';

export const CHANGE_CHANNEL = 'flagstack_environments';

export interface ChangeFeedHandlers {
  /** Environments changed by another process. */
  onChange(environmentIds: number[]): void;
  /** Identities (or, when too many to name, every identity of some environments) changed by another process. */
  onIdentitiesChanged?(identities: IdentityRef[], environmentIds: number[]): void;
  /** The push channel (re)connected: notifications may have been missed, so compare versions now. */
  onResync(): void;
}

export interface ChangeFeedLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface ChangeFeed {
  /** 'notify' on PostgreSQL (LISTEN/NOTIFY plus polling), 'poll' elsewhere. */
  readonly kind: 'notify' | 'poll';
  /** Whether the push channel is connected now (always false for 'poll'). */
  readonly listening: boolean;
  /** Notifications received from other processes. */
  readonly received: number;
  start(handlers: ChangeFeedHandlers): void;
  stop(): Promise<void>;
  setLogger(logger: ChangeFeedLogger): void;
}

export interface ChangeFeedOptions {
  logger?: ChangeFeedLogger;
  /** Longest pause between reconnection attempts of the listener (default 5 s). */
  maxBackoffMs?: number;
  /** TLS of the LISTEN connection: the same DATABASE_TLS settings as the pool. */
  tls?: DatabaseTls;
}

/** The feed for a store: LISTEN/NOTIFY on PostgreSQL, nothing to push elsewhere (the cache's polling does the work). */
export function createChangeFeed(store: Store, databaseUrl: string, options: ChangeFeedOptions = {}): ChangeFeed {
  if (store.traits.engine === 'postgres') return new PostgresChangeFeed(store, parseDatabaseUrl(databaseUrl).url!, options);
  return { kind: 'poll', listening: false, received: 0, start: () => undefined, stop: async () => undefined, setLogger: () => undefined };
}

interface Payload {
  /** Sender: a random id per process, so a process ignores its own notifications (it invalidated already). */
  o: string;
  /** Changed environment ids. */
  e: number[];
  /** Changed identities as [environment id, identifier] (the identity cache's key). */
  i?: Array<[number, string]>;
  /** Environments whose every cached identity is to be dropped (identities too many for one notification). */
  x?: number[];
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; identities beyond this drop their environments' entries. */
const MAX_PAYLOAD_BYTES = 7000;

/** The notification of changed identities: named one by one, or by environment when they do not fit. */
export function identityPayload(origin: string, identities: readonly IdentityRef[]): string {
  const named: Payload = { o: origin, e: [], i: identities.map((r) => [r.environmentId, r.identifier]) };
  const text = JSON.stringify(named);
  if (Buffer.byteLength(text) <= MAX_PAYLOAD_BYTES) return text;
  return JSON.stringify({ o: origin, e: [], x: [...new Set(identities.map((r) => r.environmentId))] } satisfies Payload);
}

type PgClient = import('pg').Client;

class PostgresChangeFeed implements ChangeFeed {
  readonly kind = 'notify' as const;
  listening = false;
  received = 0;
  private readonly origin = randomBytes(8).toString('hex');
  private client?: PgClient;
  private handlers?: ChangeFeedHandlers;
  private unsubscribe?: () => void;
  private unsubscribeIdentities?: () => void;
  private retryTimer?: NodeJS.Timeout;
  private backoffMs = 0;
  private stopped = false;

  constructor(private readonly store: Store, private readonly url: string, private readonly options: ChangeFeedOptions) {}

  setLogger(logger: ChangeFeedLogger): void {
    this.options.logger = logger;
  }

  start(handlers: ChangeFeedHandlers): void {
    if (this.handlers) return;
    this.handlers = handlers;
    // Sent after the commit (the store tells listeners only then), so a notification never announces a rolled-back
    // write; pg_notify is itself transactional, so it reaches the listeners as soon as this statement commits.
    this.unsubscribe = this.store.onEnvironmentsChanged((ids) => void this.notify(ids));
    this.unsubscribeIdentities = this.store.onIdentitiesChanged((refs) => void this.send(identityPayload(this.origin, refs), 'identities'));
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribeIdentities?.();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }

  private async notify(environmentIds: number[]): Promise<void> {
    if (environmentIds.length === 0) return;
    const payload: Payload = { o: this.origin, e: environmentIds };
    await this.send(JSON.stringify(payload), environmentIds);
  }

  private async send(payload: string, what: number[] | 'identities'): Promise<void> {
    if (this.stopped) return;
    try {
      await sql`select pg_notify(${CHANGE_CHANNEL}, ${payload})`.execute(this.store.db);
    } catch (error) {
      // The write is committed; the other processes' polling (environments) or their cache's expiry (identities, at
      // most one poll interval) picks it up.
      this.options.logger?.warn({ err: error, environments: what }, 'change feed: could not send NOTIFY; other instances will see the change by polling');
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { Client } = await import('pg');
    // As the pool does: an sslmode in the URL itself still wins, since pg reads the connection string over these.
    const ssl = driverTlsOptions(this.options.tls);
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5000, keepAlive: true, ...(ssl ? { ssl } : {}) });
    this.client = client;
    let failed = false;
    const lost = (error?: Error) => {
      if (failed) return;
      failed = true;
      const wasListening = this.listening;
      this.listening = false;
      client.removeAllListeners('notification');
      client.on('error', () => undefined); // a late error from the dead client must not crash the process
      void client.end().catch(() => undefined);
      if (this.stopped || this.client !== client) return;
      if (wasListening) this.options.logger?.warn({ err: error }, 'change feed: LISTEN connection lost; polling until it is back');
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
      let payload: Payload;
      try {
        payload = JSON.parse(message.payload) as Payload;
      } catch {
        return;
      }
      if (payload.o === this.origin || !Array.isArray(payload.e)) return;
      this.received++;
      if (payload.e.length > 0) this.handlers?.onChange(payload.e.filter((id) => typeof id === 'number'));
      if (Array.isArray(payload.i) || Array.isArray(payload.x)) {
        const identities = (payload.i ?? []).filter((r) => Array.isArray(r) && typeof r[0] === 'number' && typeof r[1] === 'string').map(([environmentId, identifier]) => ({ environmentId, identifier }));
        this.handlers?.onIdentitiesChanged?.(identities, (payload.x ?? []).filter((id) => typeof id === 'number'));
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      lost(error as Error);
      return;
    }
    if (this.stopped || failed) return;
    const reconnected = this.backoffMs > 0;
    this.listening = true;
    this.backoffMs = 0;
    if (reconnected) this.options.logger?.info({}, 'change feed: LISTEN connection restored');
    // Whatever changed while nobody listened is found by comparing versions now.
    this.handlers?.onResync();
  }

  private scheduleReconnect(): void {
    this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 250), this.options.maxBackoffMs ?? 5000);
    this.retryTimer = setTimeout(() => void this.connect(), this.backoffMs);
    this.retryTimer.unref();
  }
}
