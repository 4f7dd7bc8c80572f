// Strict SemVer 2.0.0 as Python's `semver.Version.parse` reads it. The npm `semver` package is deliberately not used:
// even in strict mode it accepts a leading "v" or "=", surrounding spaces, and refuses numbers beyond 2^53, all of
// which Python decides the other way.

export interface SemVer {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Dot-separated identifiers, empty for a release. Build metadata is dropped: it has no precedence. */
  readonly prerelease: readonly string[];
}

const NUM = '0|[1-9][0-9]*';
const PRE_ID = '0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*';
// Python's `$` also matches before a final newline, so "1.2.3\n" parses there; keep that.
const SEMVER_RE = new RegExp(
  `^(${NUM})\\.(${NUM})\\.(${NUM})(?:-((?:${PRE_ID})(?:\\.(?:${PRE_ID}))*))?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?\\n?$`,
);

const conditionCache = new Map<string, SemVer | null>();
const CACHE_LIMIT = 2000;

/** parseSemver for condition values, which repeat on every evaluation: parsed once, cached. */
export function parseConditionSemver(text: string): SemVer | undefined {
  let parsed = conditionCache.get(text);
  if (parsed === undefined) {
    parsed = parseSemver(text) ?? null;
    if (conditionCache.size >= CACHE_LIMIT) conditionCache.clear();
    conditionCache.set(text, parsed);
  }
  return parsed ?? undefined;
}

export function parseSemver(text: string): SemVer | undefined {
  const m = SEMVER_RE.exec(text);
  if (!m) return undefined;
  return { major: m[1], minor: m[2], patch: m[3], prerelease: m[4] === undefined ? [] : m[4].split('.') };
}

/** SemVer precedence: negative, zero or positive. A pre-release sorts before its release. */
export function compareSemver(a: SemVer, b: SemVer): number {
  const core = compareNumeric(a.major, b.major) || compareNumeric(a.minor, b.minor) || compareNumeric(a.patch, b.patch);
  if (core !== 0) return core;
  const pa = a.prerelease;
  const pb = b.prerelease;
  if (pa.length === 0 || pb.length === 0) return pb.length - pa.length;
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const c = compareIdentifier(pa[i], pb[i]);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

const DIGITS_RE = /^[0-9]+$/;

function compareIdentifier(a: string, b: string): number {
  const na = DIGITS_RE.test(a);
  const nb = DIGITS_RE.test(b);
  if (na && nb) return compareNumeric(a, b);
  if (na !== nb) return na ? -1 : 1; // numeric identifiers have lower precedence
  return a < b ? -1 : a > b ? 1 : 0; // ASCII only, so UTF-16 order is code point order
}

/** Compares canonical decimal strings (no leading zeros) of any length exactly. */
function compareNumeric(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
