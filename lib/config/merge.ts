// Deep merge for `defaults` → environment: objects merge key by key, anything else (arrays included) is
// replaced by the environment's value. A list such as oidc providers or synced groups is one setting.

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return clone(base);
  if (!isPlainObject(base) || !isPlainObject(override)) return clone(override);
  const out: PlainObject = clone(base) as PlainObject;
  for (const [key, value] of Object.entries(override)) out[key] = deepMerge(base[key], value);
  return out;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}

export function hasPath(value: unknown, segments: readonly (string | number)[]): boolean {
  let node = value;
  for (const s of segments) {
    if (node === null || typeof node !== 'object' || !(String(s) in (node as PlainObject))) return false;
    node = (node as PlainObject)[String(s)];
  }
  return true;
}
