// Serves the admin UI (built by `npm run build:ui` into dist/ui): hashed assets under /assets/ with a one-year
// immutable cache, and index.html — no-cache, with the UI's runtime settings injected as a JSON script tag (inert
// under the CSP, which allows no inline script) — for `/` and every client-side route. API paths never fall through
// to the UI: they keep their JSON 404.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UiConfig } from '../../config';
import type { AppDependencies } from '../dependencies';

/** Where a build may be: beside the sources in a checkout (dist/ui), beside a bundle (dist/server → dist/ui), or cwd. */
export function uiDirCandidates(): string[] {
  return [resolve(__dirname, '../../../../dist/ui'), resolve(__dirname, '../ui'), resolve(process.cwd(), 'dist/ui')];
}

export function findUiDir(explicit?: string): string | undefined {
  const candidates = explicit ? [explicit] : uiDirCandidates();
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** What the UI reads at start: the seed's API_URL, FLAGSMITH_CLIENT_API and FLAGSMITH. */
export interface UiRuntimeSettings {
  apiUrl: string | null;
  flagsmithClientApi: string | null;
  flagsmithEnvironmentKey: string | null;
  version: string;
}

export function uiRuntimeSettings(ui: UiConfig | undefined, version: string): UiRuntimeSettings {
  return {
    apiUrl: ui?.apiUrl ?? null,
    flagsmithClientApi: ui?.flagsmithClientApi ?? null,
    flagsmithEnvironmentKey: ui?.flagsmithEnvironmentKey ?? null,
    version,
  };
}

/** JSON that is safe inside a <script> element: no `<`, so no `</script>` or `<!--` can end or change it. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function originOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The UI's Content-Security-Policy: scripts and styles only from this origin, no framing. */
export function contentSecurityPolicy(settings: UiRuntimeSettings): string {
  const connect = new Set(["'self'"]);
  for (const url of [settings.apiUrl, settings.flagsmithClientApi]) {
    const origin = originOf(url);
    if (origin) connect.add(origin);
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${[...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(reply: FastifyReply, request: FastifyRequest): FastifyReply {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
  return reply;
}

const SETTINGS_MARKER = '<!--flagstack-settings-->';
const NOT_BUILT =
  '<!doctype html><meta charset="utf-8"><title>flagstack</title><h1>The admin UI has not been built</h1>' +
  '<p>Run <code>npm run build:ui</code> (or <code>npm start</code>, which builds it when missing) and reload.</p>';

/** Paths that belong to the API: they never get the UI's index.html. */
function isApiPath(path: string): boolean {
  return path.startsWith('/api/') || path === '/api' || path.startsWith('/health') || path.startsWith('/assets/');
}

export interface UiOptions {
  /** The folder with index.html and assets/ (default: the first of uiDirCandidates() that has a build). */
  uiDir?: string;
  version?: string;
}

export async function registerUi(app: FastifyInstance, deps: AppDependencies, options: UiOptions = {}): Promise<void> {
  const settings = uiRuntimeSettings(deps.config?.ui, options.version ?? '0.0.0');
  const csp = contentSecurityPolicy(settings);
  const settingsTag = `<script id="flagstack-settings" type="application/json">${scriptSafeJson(settings)}</script>`;
  let uiDir = findUiDir(options.uiDir);
  let page: string | undefined;

  const indexHtml = (): string | undefined => {
    if (page !== undefined) return page;
    uiDir ??= findUiDir(options.uiDir);
    if (!uiDir) return undefined;
    const raw = readFileSync(join(uiDir, 'index.html'), 'utf8');
    page = raw.includes(SETTINGS_MARKER) ? raw.replace(SETTINGS_MARKER, settingsTag) : raw.replace('</head>', `${settingsTag}</head>`);
    return page;
  };

  // Assets: content-hashed names, so they never change and can be cached for a year.
  await app.register(async (scope) => {
    const root = join(uiDir ?? options.uiDir ?? uiDirCandidates()[0]!, 'assets');
    if (!existsSync(root)) return;
    // Loaded only when there is a UI to serve: a function bundle (which carries none) never loads @fastify/static.
    const fastifyStatic = (await import('@fastify/static')).default;
    await scope.register(fastifyStatic, {
      root,
      prefix: '/assets/',
      index: false,
      decorateReply: false,
      cacheControl: false,
      setHeaders: (res) => {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
        res.setHeader('x-content-type-options', 'nosniff');
      },
    });
  });

  const serveIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (isApiPath(path)) return reply.callNotFound();
    securityHeaders(reply, request).header('content-security-policy', csp);
    const html = indexHtml();
    if (html === undefined) return reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };
  const hidden = { schema: { hide: true } as never };
  app.get('/', hidden, serveIndex);
  app.get('/*', hidden, serveIndex);
}
