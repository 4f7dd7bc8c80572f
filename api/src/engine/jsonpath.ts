// RFC 9535 JSONPath over the evaluation context, for condition properties starting with "$.".
// Nearly every real path is a chain of names and indexes ($.identity.key, $.environment.name,
// $.identity.traits['a b']); those are compiled once into steps and walked directly over the context, which keeps
// Maps, PyFloats and bigints as they are and allocates nothing. Anything else (wildcards, filters, descendants)
// runs through jsonpath-rfc9535 over a plain-object copy of the context; the first match's location is then read
// from the real context, so floats stay floats. In that copy integer-like keys come first (JS object order), which
// only matters to a wildcard over such keys.

import type * as JsonPathRfc9535 from 'jsonpath-rfc9535';
import { PyFloat, isPlainObject } from './values';

interface AstSelector {
  type: string;
  value?: unknown;
}

interface AstSegment {
  type: string;
  node: AstSelector & { selectors?: AstSelector[] };
}

// Both by require(), so a bundle takes the package's CommonJS build for both (what Node and the tests load): an
// `import` would resolve to its ES build, a second copy of the parser in the bundle (~24 KB minified).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { exec } = require('jsonpath-rfc9535') as typeof JsonPathRfc9535;
// The parser is a subpath export; this project's "node" module resolution cannot see its types, so declare them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parseJsonPathAst = (require('jsonpath-rfc9535/parser') as { default: (expression: string) => { segments: AstSegment[] } })
  .default;

export type PathStep = string | number;

export type CompiledJsonPath =
  | { readonly kind: 'steps'; readonly steps: readonly PathStep[] }
  | { readonly kind: 'query'; readonly expression: string };

const cache = new Map<string, CompiledJsonPath | null>();
const CACHE_LIMIT = 2000;

/** Compiles (and caches) a JSONPath; null when it is not valid RFC 9535, in which case it names a trait. */
export function compileJsonPath(expression: string): CompiledJsonPath | null {
  let compiled = cache.get(expression);
  if (compiled === undefined) {
    compiled = compile(expression);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(expression, compiled);
  }
  return compiled;
}

function compile(expression: string): CompiledJsonPath | null {
  let segments: AstSegment[];
  try {
    segments = parseJsonPathAst(expression).segments;
  } catch {
    return null;
  }
  const steps: PathStep[] = [];
  for (const segment of segments) {
    const step = singleStep(segment);
    if (step === undefined) return { kind: 'query', expression };
    steps.push(step);
  }
  return { kind: 'steps', steps };
}

function singleStep(segment: AstSegment): PathStep | undefined {
  if (segment.type !== 'ChildSegment') return undefined;
  const node = segment.node;
  if (node.type === 'MemberNameShorthand') return node.value as string;
  if (node.type !== 'BracketedSelection' || node.selectors?.length !== 1) return undefined;
  const selector = node.selectors[0];
  if (selector.type === 'NameSelector') return selector.value as string;
  if (selector.type === 'IndexSelector') return selector.value as number;
  return undefined;
}

/** Follows steps through Maps, plain objects and arrays; undefined when a step finds nothing. */
export function walkPath(root: unknown, steps: readonly PathStep[]): unknown {
  let current: unknown = root;
  for (const step of steps) {
    if (typeof step === 'string') {
      if (current instanceof Map) {
        current = current.get(step);
      } else if (isPlainObject(current)) {
        current = Object.prototype.hasOwnProperty.call(current, step) ? current[step] : undefined;
      } else {
        return undefined;
      }
    } else {
      if (!Array.isArray(current)) return undefined;
      const index = step < 0 ? current.length + step : step;
      current = index >= 0 && index < current.length ? current[index] : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

const FOUND = Symbol('found');

/** Supplies the plain-object copy of root that general queries need; only asked for such queries. */
export interface PlainViewSource {
  plainView(): unknown;
}

/** The first node the path selects in `root` (document order), or undefined. */
export function evaluateJsonPath(compiled: CompiledJsonPath, root: unknown, view: PlainViewSource): unknown {
  if (compiled.kind === 'steps') return walkPath(root, compiled.steps);
  let location: PathStep[] | undefined;
  try {
    exec(view.plainView() as never, compiled.expression, (_value, path) => {
      location = path as PathStep[];
      throw FOUND; // only the first match is wanted; stop the walk
    });
  } catch (e) {
    if (e !== FOUND) return undefined;
  }
  return location === undefined ? undefined : walkPath(root, location);
}

/** A JSON-shaped copy for jsonpath-rfc9535, which understands only plain objects, arrays and JS primitives. */
export function toPlainView(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toPlainView);
  if (value instanceof Map || isPlainObject(value)) {
    const out = Object.create(null) as Record<string, unknown>;
    const entries = value instanceof Map ? value.entries() : Object.entries(value);
    for (const [key, item] of entries) if (item !== undefined) out[String(key)] = toPlainView(item);
    return out;
  }
  return value;
}
