// The SDK endpoints (FLAGSMITH-COMPAT.md §1). They answer from the in-memory environment view; only identity and
// trait requests touch the database. Bodies are read tolerantly, as Core does, and errors keep Core's wording.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDependencies } from '../dependencies';
import type { EnvironmentView, KeyKind } from '../../services/sdk/environment-view';
import { getIdentity, identify } from '../../services/sdk/identify';
import { incrementTrait, setTrait, setTraitsBulk } from '../../services/sdk/traits';
import { recordAnalyticsV1, recordAnalyticsV2 } from '../../services/sdk/analytics';
import { parseTraitList } from '../../services/sdk/trait-input';
import { ValidationError } from '../../domain/errors';
import { SDK_CORS_HEADERS, registerSdkPreflight } from './cors';
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

const hidden = { hide: true } as never;

interface Resolved {
  view: EnvironmentView;
  kind: KeyKind;
}

/** Resolves the environment key, or answers Core's 403 and returns undefined. */
async function environmentFor(deps: AppDependencies, req: FastifyRequest, reply: FastifyReply, serverOnly = false): Promise<Resolved | undefined> {
  const raw = req.headers['x-environment-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || (serverOnly && !key.startsWith('ser.'))) {
    void reply.code(403).headers(SDK_CORS_HEADERS).send(MISSING_KEY);
    return undefined;
  }
  const resolved = await deps.cache.resolve(key);
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

function queryValue(req: FastifyRequest, name: string): string | undefined {
  const value = (req.query as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

export function registerSdkRoutes(app: FastifyInstance, deps: AppDependencies): void {
  registerSdkPreflight(app, SDK_PATHS);

  app.get('/api/v1/flags/', { schema: hidden }, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    const featureName = queryValue(req, 'feature');
    if (featureName !== undefined) {
      const wanted = featureName.toLowerCase();
      const flag = env.view.environmentFlags(env.kind).find((f) => f.feature.name.toLowerCase() === wanted);
      return reply.code(flag ? 200 : 404).headers(SDK_CORS_HEADERS).send(flag ?? FEATURE_NOT_FOUND);
    }
    const { body, etag } = env.view.flagsBody(env.kind);
    const headers = { ...SDK_CORS_HEADERS, etag, 'x-flagsmith-document-updated-at': env.view.updatedAtHeader, 'content-type': 'application/json; charset=utf-8' };
    if (req.headers['if-none-match'] === etag) return reply.code(304).headers(headers).send();
    return reply.code(200).headers(headers).send(body);
  });

  app.get('/api/v1/identities/', { schema: hidden }, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    const identifier = queryValue(req, 'identifier');
    // Core's quirk: a missing identifier is a 200 with a detail message.
    if (!identifier) return reply.code(200).headers(SDK_CORS_HEADERS).send(MISSING_IDENTIFIER);
    if (identifier.length > 2000) throw ValidationError.field('identifier', 'Ensure this field has no more than 2000 characters.');
    const transient = !!queryValue(req, 'transient');
    const response = await getIdentity(deps.store, env.view, env.kind, identifier, transient);
    const featureName = queryValue(req, 'feature');
    const headers = { ...SDK_CORS_HEADERS, 'x-flagsmith-document-updated-at': env.view.updatedAtHeader };
    if (featureName !== undefined) {
      const flag = response.flags.find((f) => f.feature.name === featureName);
      return reply.code(flag ? 200 : 404).headers(headers).send(flag ?? FEATURE_NOT_FOUND);
    }
    return reply.code(200).headers(headers).send(response);
  });

  app.post('/api/v1/identities/', { schema: hidden }, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    let identifier = body.identifier ?? queryValue(req, 'identifier');
    // Core's CharField: numbers become their text; lists, objects and booleans are not an identifier.
    if (typeof identifier === 'number') identifier = String(identifier);
    else if (identifier !== undefined && identifier !== null && typeof identifier !== 'string') throw ValidationError.field('identifier', 'Not a valid string.');
    if (typeof identifier === 'string' && identifier.length > 2000) throw ValidationError.field('identifier', 'Ensure this field has no more than 2000 characters.');
    const response = await identify(deps.store, env.view, env.kind, {
      identifier: (identifier as string | null | undefined) || null,
      traits: parseTraitList(body.traits),
      transient: body.transient === true || body.transient === 'true',
    });
    return reply.code(200).headers({ ...SDK_CORS_HEADERS, 'x-flagsmith-document-updated-at': env.view.updatedAtHeader }).send(response);
  });

  app.get('/api/v1/environment-document/', { schema: hidden }, async (req, reply) => {
    const env = await environmentFor(deps, req, reply, true);
    if (!env) return reply;
    const lastModified = env.view.updatedAt;
    const headers = {
      ...SDK_CORS_HEADERS,
      'last-modified': lastModified.toUTCString(),
      'x-flagsmith-document-updated-at': env.view.updatedAtHeader,
      'content-type': 'application/json; charset=utf-8',
    };
    const since = req.headers['if-modified-since'];
    // HTTP dates have whole seconds: compare at that precision.
    if (since && Math.floor(lastModified.getTime() / 1000) <= Math.floor(Date.parse(since) / 1000)) return reply.code(304).headers(headers).send();
    return reply.code(200).headers(headers).send(env.view.documentBody());
  });

  app.post('/api/v1/traits/', { schema: hidden }, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    return reply.code(200).headers(SDK_CORS_HEADERS).send(await setTrait(deps.store, env.view, env.kind, req.body));
  });

  app.put('/api/v1/traits/bulk/', { schema: hidden }, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    return reply.code(200).headers(SDK_CORS_HEADERS).send(await setTraitsBulk(deps.store, env.view, env.kind, req.body));
  });

  app.post('/api/v1/traits/increment-value/', { schema: hidden }, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    return reply.code(200).headers(SDK_CORS_HEADERS).send(await incrementTrait(deps.store, env.view, env.kind, req.body));
  });

  app.post('/api/v1/analytics/flags/', { schema: hidden }, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    await recordAnalyticsV1(deps.store, env.view, req.body);
    return reply.code(200).headers(SDK_CORS_HEADERS).send();
  });

  app.post('/api/v2/analytics/flags/', { schema: hidden }, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    await recordAnalyticsV2(deps.store, env.view, req.body);
    return reply.code(204).headers(SDK_CORS_HEADERS).send();
  });

  app.get('/api/v1/flags/:feature_id/multivariate-options/', { schema: hidden }, async (req, reply) => {
    const env = await environmentFor(deps, req, reply);
    if (!env) return reply;
    const featureId = Number((req.params as { feature_id: string }).feature_id);
    const state = env.view.defaults.find((s) => s.featureId === featureId);
    if (!state || !env.view.servesFeature(featureId, env.kind)) return reply.code(404).headers(SDK_CORS_HEADERS).send(FEATURE_NOT_FOUND);
    const options = env.view.snapshot.options.filter((o) => o.featureId === featureId).map((o) => ({ value: o.value }));
    return reply.code(200).headers(SDK_CORS_HEADERS).send({ control_value: state.value, options });
  });
}
