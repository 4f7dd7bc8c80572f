// Google Cloud Functions (2nd gen) / Cloud Run functions entry points (DESIGN.md §4): `flagstack` is an HTTP
// function (the functions-framework hands it Express's request and response) that forwards every request to the
// app; `migrate` is an HTTP function for the deploy-time migration job. The app is built once per instance, lazily.
// Exported plainly (no functions.http registration), so the bundle needs the functions-framework only to be served.
import './function-preload'; // first: AppDynamics must start before any other module is loaded
import type { IncomingMessage, ServerResponse } from 'node:http';
import { lazyApiRuntime, runMigrations, runScheduledJob, type FunctionAppOptions } from './function-app';

const options: FunctionAppOptions = { runtime: 'gcp' };
const getRuntime = lazyApiRuntime(options);

/** What the functions-framework passes: Express objects, of which only the node:http parts and rawBody are used. */
export type GcpRequest = IncomingMessage & { rawBody?: Buffer; body?: unknown; originalUrl?: string; url: string };

function requestBody(req: GcpRequest): Buffer | string | undefined {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  // The framework has already read (and parsed) the body; rawBody holds the bytes as sent.
  if (req.rawBody !== undefined) return req.rawBody;
  if (req.body === undefined || req.body === null) return undefined;
  if (Buffer.isBuffer(req.body) || typeof req.body === 'string') return req.body;
  return JSON.stringify(req.body);
}

function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy(error as Error);
    return;
  }
  res.statusCode = 503;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ detail: 'The service is starting or misconfigured; see the function log.' }));
}

export async function flagstack(req: GcpRequest, res: ServerResponse): Promise<void> {
  try {
    const runtime = await getRuntime();
    const headers = { ...req.headers };
    // The body is passed as bytes: the framework's decoded length would be wrong if it differs.
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    const reply = await runtime.app.inject({
      method: req.method as never,
      url: req.originalUrl ?? req.url,
      headers,
      payload: requestBody(req),
      remoteAddress: req.socket?.remoteAddress,
    });
    res.statusCode = reply.statusCode;
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value === undefined || name === 'transfer-encoding' || name === 'connection') continue;
      res.setHeader(name, value as string | string[]);
    }
    res.end(reply.rawPayload);
  } catch (error) {
    fail(res, error);
  }
}

/** HTTP function for the deploy-time migration job (a Cloud Build step or Cloud Scheduler calls it, authenticated). */
export async function migrate(_req: GcpRequest, res: ServerResponse): Promise<void> {
  try {
    const result = await runMigrations(options);
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(result));
  } catch (error) {
    res.statusCode = 500;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: (error as Error).message }));
  }
}

/**
 * HTTP function for the scheduled jobs (Cloud Scheduler): the job named by the JSON body (`{"job": "ldap-sync"}`),
 * scheduled changes when the body is empty. A job that reports failure answers 500, so Cloud Scheduler records it.
 */
export async function scheduler(req: GcpRequest, res: ServerResponse): Promise<void> {
  try {
    const result = await runScheduledJob(options, req.rawBody ?? req.body);
    res.statusCode = result.status === 'ok' ? 200 : 500;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(result));
  } catch (error) {
    res.statusCode = 500;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: (error as Error).message }));
  }
}
