// Azure Functions entry (v4 programming model, DESIGN.md §4): one catch-all HTTP trigger (route `{*path}`, every
// method, anonymous — the API does its own authentication) that forwards each request to the app; with host.json's
// routePrefix "" the API keeps its own paths (/api/v1/flags/). Also a function-key-protected HTTP trigger for the
// deploy-time migration job, a timer for the scheduled-changes pass and, where LDAP is configured, an hourly
// LDAP-sync timer. The app is built once per worker, lazily, on the first invocation.
import './function-preload'; // first: AppDynamics must start before any other module is loaded
import { app, type Cookie, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { lazyApiRuntime, runMigrations, runScheduledJob, type FunctionAppOptions, type ScheduledJobName } from './function-app';

const options: FunctionAppOptions = { runtime: 'azure' };
const getRuntime = lazyApiRuntime(options);

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export const MIGRATE_ROUTE = 'flagstack/migrate';
/** Every minute, the granularity of a scheduled change. */
export const SCHEDULER_SCHEDULE = '0 */1 * * * *';
/** Hourly at minute 17 (NCRONTAB, with seconds), like the other clouds' LDAP-sync schedule (lib/tf-common/jobs.ts). */
export const LDAP_SYNC_SCHEDULE = '0 17 * * * *';

const SAME_SITE: Record<string, Cookie['sameSite']> = { strict: 'Strict', lax: 'Lax', none: 'None' };

/** A Set-Cookie header as the Functions host wants it: a Cookie object (it drops repeated Set-Cookie headers). */
export function parseSetCookie(header: string): Cookie | undefined {
  const [pair, ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: Cookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'path') cookie.path = value;
    else if (key === 'domain') cookie.domain = value;
    else if (key === 'expires') cookie.expires = new Date(value);
    else if (key === 'max-age') cookie.maxAge = Number(value);
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'samesite') cookie.sameSite = SAME_SITE[value.toLowerCase()];
  }
  return cookie;
}

export async function flagstack(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  let runtime;
  try {
    runtime = await getRuntime();
  } catch (error) {
    context.error(`flagstack could not start: ${(error as Error).message}`);
    return { status: 503, jsonBody: { detail: 'The service is starting or misconfigured; see the function log.' } };
  }
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const body = hasBody ? Buffer.from(await request.arrayBuffer()) : undefined;
  const reply = await runtime.app.inject({
    method: request.method as never,
    url: `${url.pathname}${url.search}`,
    headers,
    payload: body && body.length > 0 ? body : undefined,
  });
  const responseHeaders: Record<string, string> = {};
  const cookies: Cookie[] = [];
  for (const [name, value] of Object.entries(reply.headers)) {
    if (value === undefined || name === 'transfer-encoding' || name === 'connection') continue;
    if (name === 'set-cookie') {
      for (const c of Array.isArray(value) ? value : [String(value)]) {
        const cookie = parseSetCookie(c);
        if (cookie) cookies.push(cookie);
      }
      continue;
    }
    responseHeaders[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return {
    status: reply.statusCode,
    headers: responseHeaders,
    cookies: cookies.length > 0 ? cookies : undefined,
    body: request.method === 'HEAD' ? undefined : new Uint8Array(reply.rawPayload),
  };
}

export async function migrate(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const result = await runMigrations(options);
    context.log(result.applied.length > 0 ? `applied migrations: ${result.applied.join(', ')}` : 'database schema is up to date');
    return { status: 200, jsonBody: result };
  } catch (error) {
    context.error(`migration failed: ${(error as Error).message}`);
    return { status: 500, jsonBody: { error: (error as Error).message } };
  }
}

/** A timer trigger's handler for one scheduled job (the same dispatch as Lambda's and Cloud Functions' scheduler). */
function timerJob(job: ScheduledJobName) {
  return async (_timer: unknown, context: InvocationContext): Promise<void> => {
    const result = await runScheduledJob(options, { job }, { logError: (line) => context.error(line) });
    if (result.status === 'ok' && result.job === 'scheduled-changes' && result.published > 0) context.log(`published ${result.published} scheduled changes`);
    if (result.status === 'ok' && result.job === 'ldap-sync') context.log(`ldap-sync: ${JSON.stringify(result.summary)}`);
  };
}

export const scheduler = timerJob('scheduled-changes');
export const ldapSync = timerJob('ldap-sync');

app.http('flagstack', { route: '{*path}', methods: [...HTTP_METHODS], authLevel: 'anonymous', handler: flagstack });
app.http('flagstack-migrate', { route: MIGRATE_ROUTE, methods: ['POST'], authLevel: 'function', handler: migrate });
app.timer('flagstack-scheduler', { schedule: SCHEDULER_SCHEDULE, handler: scheduler });
// Only where LDAP is configured (the app settings are the process environment when the worker loads this module).
if (process.env.LDAP_AUTH_URL) app.timer('flagstack-ldap-sync', { schedule: LDAP_SYNC_SCHEDULE, handler: ldapSync });
