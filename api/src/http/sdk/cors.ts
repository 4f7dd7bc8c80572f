// CORS for the SDK endpoints, as Core serves it: any origin, no credentials, the SDK headers allowed, and a long
// preflight cache so browsers do not preflight every flag call (AUTH-NOTES.md §5).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SDK_CORS_HEADERS } from '../../services/sdk/sdk-headers';

export { SDK_CORS_HEADERS };

const PREFLIGHT_HEADERS = {
  ...SDK_CORS_HEADERS,
  'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
  'access-control-allow-headers':
    'X-Environment-Key, Content-Type, Flagsmith-SDK-User-Agent, Flagsmith-Application-Name, Flagsmith-Application-Version, User-Agent, If-None-Match, If-Modified-Since, sentry-trace, traceparent, tracestate, baggage',
  'access-control-max-age': '86400',
};

export function registerSdkPreflight(app: FastifyInstance, paths: string[]): void {
  for (const url of paths) {
    app.options(url, { schema: { hide: true } as never }, (_req, reply: FastifyReply) => reply.code(204).headers(PREFLIGHT_HEADERS).send());
  }
}
