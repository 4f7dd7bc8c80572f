// Liveness says the process serves; readiness also checks the database answers; metrics count what the read path
// did (docs/performance.md).
//
// Readiness while the database is unreachable: 503 when this process has no environment document to serve, but 200
// with "status": "degraded" when it holds documents, because the SDK endpoints keep answering from them (DESIGN.md
// §2). A load balancer or Kubernetes that takes every instance out of service during a database outage would turn a
// degraded read path into a full outage; admin writes answer 503 with a JSON body meanwhile.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppDependencies } from './dependencies';
import type { CacheStats } from '../services/sdk/environment-cache';
import { quietChildLogger } from './sdk/quiet-logger';

// Probes and scrapes arrive every few seconds from every load balancer: they log warnings and errors only.
const hidden = { schema: { hide: true } as never, childLoggerFactory: quietChildLogger as never };

export function registerHealthRoutes(app: FastifyInstance, deps: AppDependencies): void {
  app.get('/health/liveness', hidden, async () => ({ status: 'ok' }));
  app.get('/health/readiness', hidden, async (_req, reply) => {
    const stats = deps.cache.stats();
    const cache = { documents: stats.documents, change_feed: stats.changeFeed, listening: stats.changeFeedListening, last_poll_at: iso(stats.lastPollAt) };
    try {
      await sql`select 1`.execute(deps.store.db);
      return { status: 'ok', database: 'ok', cache };
    } catch {
      if (stats.documents > 0) return { status: 'degraded', database: 'unreachable', cache };
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable', cache });
    }
  });
  // Prometheus text format; no database query, so scraping it during an outage shows the outage.
  app.get('/health/metrics', hidden, async (_req, reply) => {
    return reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(renderMetrics(deps.cache.stats()));
  });
  // Flagsmith's own health path, used by its Helm charts and load balancers.
  app.get('/health', { schema: { hide: true } as never }, async () => ({ status: 'ok' }));
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function renderMetrics(s: CacheStats, now = Date.now()): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, value: number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
  };
  metric('flagstack_environment_documents', 'gauge', 'Environment documents held in memory.', s.documents);
  metric('flagstack_environment_document_rebuilds_total', 'counter', 'Environment documents built from the database.', s.rebuilds);
  metric('flagstack_environment_document_rebuild_failures_total', 'counter', 'Rebuilds that failed; the last good document was served instead.', s.rebuildFailures);
  metric('flagstack_stale_document_serves_total', 'counter', 'SDK requests answered from a document known to be out of date because it could not be rebuilt.', s.staleServes);
  metric('flagstack_served_while_database_down_total', 'counter', 'SDK requests answered from memory while the database was unreachable.', s.servedWhileDatabaseDown);
  metric('flagstack_identity_fallbacks_total', 'counter', 'POST /identities/ answered from the cached document and the request\'s traits because the database was unreachable.', s.identityFallbacks);
  metric('flagstack_flags_fast_path_serves_total', 'counter', 'GET /api/v1/flags/ answered from memory by the listening server before Fastify\'s routing.', s.fastPathServes);
  metric('flagstack_identities_fast_path_serves_total', 'counter', 'GET /api/v1/identities/ answered from the identity cache by the listening server before Fastify\'s routing.', s.identityFastPathServes);
  metric('flagstack_database_reachable', 'gauge', '1 when the last database call of the read path succeeded, else 0.', s.databaseReachable ? 1 : 0);
  metric('flagstack_database_down_seconds', 'gauge', 'How long the database has been unreachable (0 when reachable).', s.databaseDownSince === null ? 0 : (now - s.databaseDownSince) / 1000);
  metric('flagstack_version_polls_total', 'counter', 'Successful polls of the environments\' versions.', s.polls);
  metric('flagstack_version_poll_failures_total', 'counter', 'Failed polls of the environments\' versions.', s.pollFailures);
  metric('flagstack_version_poll_age_seconds', 'gauge', 'Seconds since the last successful version poll (-1 before the first).', s.lastPollAt === null ? -1 : (now - s.lastPollAt) / 1000);
  metric('flagstack_version_poll_interval_seconds', 'gauge', 'Configured poll interval (CACHE_POLL_INTERVAL_MS): the staleness bound.', s.pollIntervalMs / 1000);
  metric('flagstack_change_feed_listening', 'gauge', '1 while the PostgreSQL LISTEN connection is up (always 0 on other engines).', s.changeFeedListening ? 1 : 0);
  metric('flagstack_identity_cache_identities', 'gauge', 'Identities (with their traits) held in memory for the SDK identity endpoints.', s.identities);
  metric('flagstack_identity_cache_bytes', 'gauge', 'Estimated bytes the identity cache holds (bounded by flagstack_identity_cache_budget_bytes).', s.identityBytes);
  metric('flagstack_identity_cache_budget_bytes', 'gauge', 'Bytes the identity cache keeps at most.', s.identityBudgetBytes);
  metric('flagstack_identity_cache_hits_total', 'counter', 'Identity requests answered with the identity and traits from memory.', s.identityHits);
  metric('flagstack_identity_cache_misses_total', 'counter', 'Identity reads from the database for the identity cache.', s.identityMisses);
  metric('flagstack_identity_cache_invalidations_total', 'counter', 'Identities dropped from memory because a write changed them (this process or, on PostgreSQL, another).', s.identityInvalidations);
  metric('flagstack_identity_cache_outage_serves_total', 'counter', 'Identity requests answered from memory past the entry\'s expiry because the database was unreachable.', s.identityOutageServes);
  metric('flagstack_change_notifications_total', 'counter', 'Change notifications received from other processes (LISTEN/NOTIFY).', s.notificationsReceived);
  return lines.join('\n') + '\n';
}
