// The OpenAPI document, generated from the route schemas, at /api/v1/docs/openapi.json, and a docs page at /api/v1/docs/.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'flagstack API',
        version,
        description:
          'Admin API (Flagsmith-compatible paths; `Authorization: Token <key>` from POST /api/v1/auth/login/, or `Api-Key <key>`). ' +
          'The SDK endpoints (/api/v1/flags/, /api/v1/identities/, /api/v1/environment-document/, traits, analytics) follow the Flagsmith wire protocol.',
      },
      components: {
        securitySchemes: {
          Token: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <key>' },
          ApiKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Api-Key <key>' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs', staticCSP: true });
  app.get('/api/v1/docs/openapi.json', { schema: { hide: true } as never }, async () => app.swagger());
}
