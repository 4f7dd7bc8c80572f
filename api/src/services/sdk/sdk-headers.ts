// CORS headers of every SDK answer, as Core serves them: any origin, no credentials, the SDK's headers readable.
// Services build per-view header objects from them once; the HTTP layer re-exports them for errors and preflights.
export const SDK_CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Flagsmith-Document-Updated-At, ETag, Retry-After',
});
