// One error handler for the whole API: every failure becomes a status and a JSON body (never an HTML page or a
// stack trace), and bodies name the field when there is one.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, ForbiddenError, NotFoundError, ServiceUnavailableError, TooManyRequestsError, UnauthenticatedError, ValidationError } from '../domain/errors';
import { isConnectionError } from '../store/errors';
import { fieldErrors } from './validation';

const SDK_PREFIXES = ['/api/v1/flags', '/api/v1/identities', '/api/v1/environment-document', '/api/v1/traits', '/api/v1/analytics', '/api/v2/analytics'];

function isSdkPath(url: string): boolean {
  return SDK_PREFIXES.some((p) => url.startsWith(p));
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ detail: 'Not found.' });
  });

  app.setErrorHandler((error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    // SDK endpoints are called from browsers on any origin: their errors must be readable there too.
    if (isSdkPath(req.url)) void reply.header('access-control-allow-origin', '*');
    if (error.validation) {
      return reply.code(400).send(fieldErrors(error.validation as never, error.validationContext ?? 'body'));
    }
    if (error instanceof ValidationError) return reply.code(400).send(error.fields);
    if (error instanceof UnauthenticatedError) return reply.code(401).send({ detail: error.message });
    if (error instanceof ForbiddenError) return reply.code(403).send({ detail: error.message });
    if (error instanceof NotFoundError) return reply.code(404).send({ detail: 'Not found.', resource: error.resource });
    if (error instanceof ConflictError) return reply.code(409).send({ detail: error.message, ...error.details });
    if (error instanceof TooManyRequestsError) {
      return reply.code(429).header('retry-after', String(error.retryAfterSeconds)).send({ detail: error.message, retry_after: error.retryAfterSeconds });
    }
    if (error instanceof ServiceUnavailableError) {
      req.log.warn({ err: error.cause ?? error }, error.message);
      return reply.code(503).header('retry-after', String(error.retryAfterSeconds)).send({ detail: error.message });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send({ detail: `JSON parse error - ${error.message}` });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send({ detail: `Unsupported media type "${req.headers['content-type'] ?? ''}" in request.` });
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send({ detail: 'Request body is too large.' });
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.code(400).send({ detail: 'Content-Length does not match the body.' });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ detail: error.message });
    }
    if (isConnectionError(error)) {
      req.log.error({ err: error }, 'database unavailable');
      return reply.code(503).header('Retry-After', '5').send({ detail: 'The database is unavailable; try again shortly.' });
    }
    req.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ detail: 'Internal server error.' });
  });
}
