// One fetch wrapper for the admin API: the session cookie rides along, unsafe methods carry the CSRF token, and
// every failure becomes an ApiError whose field messages the forms show next to their fields.
import { apiBase } from './settings';

export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** DRF-style `{field: [messages]}`; `detail` and `non_field_errors` are the form-level ones. */
    readonly fields: FieldErrors,
    message: string,
    /** Seconds to wait before trying again (429 answers: the body's `retry_after` or the Retry-After header). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /** Messages for one field (exact name), or for any field under a prefix when `prefix` is true. */
  for(field: string): string[] {
    return this.fields[field] ?? [];
  }
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API answers 401 (the session ended): the app shows the login screen. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

function normaliseErrors(status: number, body: unknown): { fields: FieldErrors; message: string } {
  const fields: FieldErrors = {};
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (Array.isArray(value)) fields[key] = value.map(String);
      else if (typeof value === 'string') fields[key] = [value];
      else if (value && typeof value === 'object') fields[key] = [JSON.stringify(value)];
    }
  } else if (Array.isArray(body)) {
    fields.non_field_errors = body.map(String);
  }
  const first = fields.detail?.[0] ?? fields.non_field_errors?.[0] ?? Object.entries(fields).map(([k, v]) => `${k}: ${v.join(' ')}`)[0];
  return { fields, message: first ?? `The server answered ${status}.` };
}

export async function api<T = unknown>(method: string, path: string, body?: unknown, options: { quiet401?: boolean } = {}): Promise<T> {
  const url = new URL(path.replace(/^\/?(api\/v1\/)?/, ''), apiBase());
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!['GET', 'HEAD'].includes(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: url.origin === location.origin ? 'same-origin' : 'include',
    });
  } catch (error) {
    throw new ApiError(0, { detail: ['The API could not be reached. Check your connection and try again.'] }, (error as Error).message);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = { detail: text.slice(0, 300) || response.statusText };
  }
  if (!response.ok) {
    const { fields, message } = normaliseErrors(response.status, data);
    if (response.status === 401 && !options.quiet401) unauthenticatedListeners.forEach((l) => l());
    let retryAfter: number | undefined;
    if (response.status === 429) {
      const fromBody = (data as { retry_after?: unknown } | undefined)?.retry_after;
      const header = response.headers.get('retry-after');
      const seconds = typeof fromBody === 'number' ? fromBody : header ? Number(header) : NaN;
      if (Number.isFinite(seconds) && seconds >= 0) retryAfter = Math.ceil(seconds);
      delete fields.retry_after;
    }
    throw new ApiError(response.status, fields, message, retryAfter);
  }
  return data as T;
}

export const get = <T,>(path: string) => api<T>('GET', path);
export const post = <T,>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T,>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const put = <T,>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = (path: string) => api<void>('DELETE', path);

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** Every page of a paged list (for small lists the UI needs whole, e.g. all states of an environment). */
export async function all<T>(path: string, pageSize = 1000): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page < 1000; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get<Page<T> | T[]>(`${path}${sep}page=${page}&page_size=${pageSize}`);
    if (Array.isArray(res)) return res;
    out.push(...res.results);
    if (!res.next) break;
  }
  return out;
}
