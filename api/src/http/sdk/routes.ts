// The SDK endpoints (FLAGSMITH-COMPAT.md §1). They answer from the in-memory environment view; only identity and
// trait requests touch the database. Bodies are read tolerantly, as Core does, and errors keep Core's wording.
//
// GET /flags/ is the hottest route: when the view is fresh it is answered synchronously (no promise, no allocation)
// from bytes serialized once per environment version, with an ETag and 304 on If-None-Match (docs/performance.md).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDependencies } from '../dependencies';
import type { EnvironmentView, KeyKind, CachedBody } from '../../services/sdk/environment-view';
import type { Resolved } from '../../services/sdk/environment-cache';
import { cachedIdentityAnswer, getIdentity, identify, identityResponseBody, identityResponseFlags } from '../../services/sdk/identify';
import { incrementTrait, setTrait, setTraitsBulk } from '../../services/sdk/traits';
import { recordAnalyticsV1, recordAnalyticsV2 } from '../../services/sdk/analytics';
import { parseTraitList } from '../../services/sdk/trait-input';
import { ValidationError } from '../../domain/errors';
import { SDK_CORS_HEADERS, registerSdkPreflight } from './cors';
import { quietChildLogger } from './quiet-logger';
import { FEATURE_NOT_FOUND, FLAGS_STOPPED, MISSING_IDENTIFIER, MISSING_KEY, UNKNOWN_KEY } from './responses';

const SDK_PATHS = [
  '/api/v1/flags/',
  '/api/v1/identities/',
  '/api/v1/environment-document/',
  '/api/v1/traits/',
  '/api/v1/traits/bulk/',
  '/api/v1/traits/increment-value/',
  '/api/v1/analytics/flags/',
  '/api/v2/analytics/flags/',
];

// Per-request logs of the read routes would cost more than the answer itself at thousands of requests a second:
// these routes log warnings and errors only (the admin routes keep the configured level); see quiet-logger.ts.
const hot = { schema: { hide: true } as never, childLoggerFactory: quietChildLogger as never };
const hidden = { schema: { hide: true } as never };

function environmentKey(req: FastifyRequest): string | undefined {
  const raw = req.headers['x-environment-key'];
  return Array.isArray(raw) ? raw[0] : raw;
}

/** Answers Core's 403 when the resolved key cannot be served; else returns it. */
function servable(resolved: Resolved | undefined, reply: FastifyReply): Resolved | undefined {
  if (!resolved) {
    void reply.code(403).headers(SDK_CORS_HEADERS).send(UNKNOWN_KEY);
    return undefined;
  }
  if (resolved.view.organisation.stop_serving_flags) {
    void reply.code(403).headers(SDK_CORS_HEADERS).send(FLAGS_STOPPED);
    return undefined;
  }
  return resolved;
}

/** Resolves the environment key, or answers Core's 403 and returns undefined. */
async function environmentFor(deps: AppDependencies, req: FastifyRequest, reply: FastifyReply, serverOnly = false): Promise<Resolved | undefined> {
  const key = environmentKey(req);
  if (!key || (serverOnly && !key.startsWith('ser.'))) {
    void reply.code(403).headers(SDK_CORS_HEADERS).send(MISSING_KEY);
    return undefined;
  }
  return servable(deps.cache.peek(key) ?? (await deps.cache.resolve(key)), reply);
}

/** A body cached on the view, or 304 when the client holds it already. */
function sendCached(req: FastifyRequest, reply: FastifyReply, cached: CachedBody): void {
  if (req.headers['if-none-match'] === cached.etag) void reply.code(304).headers(cached.headers).send();
  else void reply.code(200).headers(cached.headers).send(cached.body);
}

function sendFlags(req: FastifyRequest, reply: FastifyReply, env: Resolved): void {
  const featureName = queryValue(req, 'feature');
  if (featureName === undefined) return sendCached(req, reply, env.view.flagsBody(env.kind));
  const cached = env.view.featureBody(env.kind, featureName);
  if (cached) return sendCached(req, reply, cached);
  void reply.code(404).headers(SDK_CORS_HEADERS).send(FEATURE_NOT_FOUND);
}

function queryValue(req: FastifyRequest, name: string): string | undefined {
  const value = (req.query as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

export function registerSdkRoutes(app: FastifyInstance, deps: AppDependencies): void {
  registerSdkPreflight(app, SDK_PATHS);

  app.get('/api/v1/flags/', hot, (req, reply) => {
    const key = environmentKey(req);
    const hit = key ? deps.cache.peek(key) : undefined;
    // Fresh view: answered synchronously. Otherwise resolve (maybe rebuild) first.
    if (hit && !hit.view.organisation.stop_serving_flags) return sendFlags(req, reply, hit);
    return environmentFor(deps, req, reply).then((env) => {
      if (env) sendFlags(req, reply, env);
      return reply;
    });
  });

  const getIdentityRoute = async (req: FastifyRequest, reply: FastifyReply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    const identifier = queryValue(req, 'identifier');
    // Core's quirk: a missing identifier is a 200 with a detail message.
    if (!identifier) return reply.code(200).headers(SDK_CORS_HEADERS).send(MISSING_IDENTIFIER);
    if (identifier.length > 2000) throw ValidationError.field('identifier', 'Ensure this field has no more than 2000 characters.');
    const transient = !!queryValue(req, 'transient');
    const response = await getIdentity(deps.store, deps.cache.identities, env.view, env.kind, identifier, transient);
    const featureName = queryValue(req, 'feature');
    if (featureName !== undefined) {
      const flag = identityResponseFlags(response).find((f) => f.feature.name === featureName);
      return reply.code(flag ? 200 : 404).headers(env.view.sdkHeaders).send(flag ?? FEATURE_NOT_FOUND);
    }
    // As bytes: one UTF-8 pass (a string costs Fastify a byteLength and node:http the encoding).
    return reply.code(200).headers(env.view.sdkJsonHeaders).send(Buffer.from(identityResponseBody(response)));
  };

  app.get('/api/v1/identities/', hot, (req, reply) => {
    // A fresh view and a fresh cached identity: answered synchronously with the bytes kept on the identity's entry.
    const key = environmentKey(req);
    const hit = key ? deps.cache.peek(key) : undefined;
    if (hit && !hit.view.organisation.stop_serving_flags) {
      const query = req.query as Record<string, string | string[] | undefined>;
      const identifier = query.identifier;
      if (typeof identifier === 'string' && identifier !== '' && identifier.length <= 2000 && query.transient === undefined && query.feature === undefined) {
        const answer = cachedIdentityAnswer(deps.cache.identities, hit.view, hit.kind, identifier);
        if (answer) return void reply.code(200).headers(hit.view.sdkJsonHeaders).send(answer.body);
      }
    }
    return getIdentityRoute(req, reply);
  });

  app.post('/api/v1/identities/', hot, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    let identifier = body.identifier ?? queryValue(req, 'identifier');
    // Core's CharField: numbers become their text; lists, objects and booleans are not an identifier.
    if (typeof identifier === 'number') identifier = String(identifier);
    else if (identifier !== undefined && identifier !== null && typeof identifier !== 'string') throw ValidationError.field('identifier', 'Not a valid string.');
    if (typeof identifier === 'string' && identifier.length > 2000) throw ValidationError.field('identifier', 'Ensure this field has no more than 2000 characters.');
    const response = await identify(deps.store, deps.cache.identities, env.view, env.kind, {
      identifier: (identifier as string | null | undefined) || null,
      traits: parseTraitList(body.traits),
      transient: body.transient === true || body.transient === 'true',
    }, { onDatabaseDown: () => deps.cache.identityFallbacks++ });
    return reply.code(200).headers(env.view.sdkJsonHeaders).send(Buffer.from(identityResponseBody(response)));
  });

  app.get('/api/v1/environment-document/', hot, async (req, reply) => {
    const env = await environmentFor(deps, req, reply, true);
    if (!env) return reply;
    const lastModified = env.view.updatedAt;
    const headers = env.view.documentHeaders;
    const since = req.headers['if-modified-since'];
    // HTTP dates have whole seconds: compare at that precision.
    if (since && Math.floor(lastModified.getTime() / 1000) <= Math.floor(Date.parse(since) / 1000)) return reply.code(304).headers(headers).send();
    return reply.code(200).headers(headers).send(env.view.documentBody());
  });

  app.post('/api/v1/traits/', hidden, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    return reply.code(200).headers(SDK_CORS_HEADERS).send(await setTrait(deps.store, env.view, env.kind, req.body));
  });

  app.put('/api/v1/traits/bulk/', hidden, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    return reply.code(200).headers(SDK_CORS_HEADERS).send(await setTraitsBulk(deps.store, env.view, env.kind, req.body));
  });

  app.post('/api/v1/traits/increment-value/', hidden, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    return reply.code(200).headers(SDK_CORS_HEADERS).send(await incrementTrait(deps.store, env.view, env.kind, req.body));
  });

  app.post('/api/v1/analytics/flags/', hidden, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    await recordAnalyticsV1(deps.store, env.view, req.body);
    return reply.code(200).headers(SDK_CORS_HEADERS).send();
  });

  app.post('/api/v2/analytics/flags/', hidden, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    await recordAnalyticsV2(deps.store, env.view, req.body);
    return reply.code(204).headers(SDK_CORS_HEADERS).send();
  });

  app.get('/api/v1/flags/:feature_id/multivariate-options/', hidden, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    const featureId = Number((req.params as { feature_id: string }).feature_id);
    const state = env.view.defaults.find((s) => s.featureId === featureId);
    if (!state || !env.view.servesFeature(featureId, env.kind)) return reply.code(404).headers(SDK_CORS_HEADERS).send(FEATURE_NOT_FOUND);
    const options = env.view.snapshot.options.filter((o) => o.featureId === featureId).map((o) => ({ value: o.value }));
    return reply.code(200).headers(SDK_CORS_HEADERS).send({ control_value: state.value, options });
  });
}
