// Liveness says the process serves; readiness also checks the database answers.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppDependencies } from './dependencies';

export function registerHealthRoutes(app: FastifyInstance, deps: AppDependencies): void {
  app.get('/health/liveness', { schema: { hide: true } as never }, async () => ({ status: 'ok' }));
  app.get('/health/readiness', { schema: { hide: true } as never }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(deps.store.db);
      return { status: 'ok', database: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
  // Flagsmith's own health path, used by its Helm charts and load balancers.
  app.get('/health', { schema: { hide: true } as never }, async () => ({ status: 'ok' }));
}
