// The few Python built-ins whose behaviour the engine must reproduce exactly: str()/repr(), int() and float() of a
// string, float %, str ordering and truthiness. Flagsmith's engine is Python, and its answers are the reference.

import { PyFloat, isPlainObject, pyFloatRepr, pyIntStr } from './values';

/** Characters Python's str.strip()/str.isspace() treat as whitespace (wider than JS trim: \x1c-\x1f, \x85; no \ufeff). */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
export const PY_SPACE_CLASS = `[${PY_SPACE}]`;
const STRIP_RE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

export function pyStrip(s: string): string {
  return s.replace(STRIP_RE, '');
}

/** Python `str(value)` for JSON-shaped values: `True`, `None`, `5.0`, `[1, 'a']`. */
export function pyStr(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'True' : 'False';
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isInteger(value) ? pyIntStr(value) : pyFloatRepr(value);
    case 'undefined':
      return 'None';
    default:
      return value === null ? 'None' : pyRepr(value);
  }
}

/** Python `repr(value)`: as str() except that strings are quoted, which shows inside lists and dicts. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return reprString(value);
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value instanceof Map) return reprEntries([...value.entries()]);
  if (isPlainObject(value)) return reprEntries(Object.entries(value));
  return pyStr(value);
}

function reprEntries(entries: Array<[unknown, unknown]>): string {
  return `{${entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

// Python's str.isprintable() is false for categories C* and Z* except the ASCII space.
const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      const cp = ch.codePointAt(0) as number;
      if (cp < 0x100) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

// int() and float() accept any Unicode decimal digit and single underscores between digits.
const INT_RE = /^[+-]?\p{Nd}(?:_?\p{Nd})*$/u;
const DIGIT_PART = '\\p{Nd}(?:_?\\p{Nd})*';
const FLOAT_RE = new RegExp(`^[+-]?(?:(?:${DIGIT_PART})?\\.${DIGIT_PART}|${DIGIT_PART}\\.?)(?:[eE][+-]?${DIGIT_PART})?$`, 'u');
const SPECIAL_FLOAT_RE = /^([+-]?)(inf|infinity|nan)$/i;
const ASCII_INT_RE = /^-?[0-9]{1,15}$/;
const ASCII_FLOAT_RE = /^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const NON_ASCII_DIGIT = /\p{Nd}/gu;
const IS_DIGIT = /^\p{Nd}$/u;

/** Python `int(s)` for a str: the number (bigint beyond 2^53), or undefined where Python raises ValueError. */
export function parsePyInt(s: string): number | bigint | undefined {
  if (ASCII_INT_RE.test(s)) return Number(s) + 0; // + 0 turns "-0" into 0, as int() does
  const t = pyStrip(s);
  if (!INT_RE.test(t)) return undefined;
  const ascii = toAsciiDigits(t.replace(/_/g, ''));
  const n = Number(ascii);
  return Number.isSafeInteger(n) ? n : BigInt(ascii);
}

/** Python `float(s)` for a str, or undefined where Python raises ValueError. */
export function parsePyFloat(s: string): number | undefined {
  if (ASCII_FLOAT_RE.test(s)) return Number(s);
  const t = pyStrip(s);
  if (FLOAT_RE.test(t)) return Number(toAsciiDigits(t.replace(/_/g, '')));
  const special = SPECIAL_FLOAT_RE.exec(t);
  if (!special) return undefined;
  if (special[2].toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

function toAsciiDigits(s: string): string {
  // Unicode guarantees that decimal digits (Nd) come in contiguous runs of complete 0-9 sets, so a digit's value is
  // its distance from the start of its run, mod 10.
  return s.replace(NON_ASCII_DIGIT, (d) => {
    const cp = d.codePointAt(0) as number;
    if (cp <= 0x39) return d;
    let start = cp;
    while (IS_DIGIT.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });
}

/** Python `x % y` on floats: the result takes the sign of the divisor. The caller handles y == 0 (Python raises). */
export function pyFloatMod(x: number, y: number): number {
  let mod = x % y; // C fmod: sign of the dividend
  if (mod !== 0) {
    if (y < 0 !== mod < 0) mod += y;
  } else {
    mod = y < 0 ? -0 : 0;
  }
  return mod;
}

/** Python str ordering: by code point. JS compares UTF-16 units, which misorders astral vs. U+E000–U+FFFF. */
export function comparePyStr(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    // A surrogate stands for a code point above U+FFFF, so it sorts after any BMP unit outside the surrogate range.
    if (sa !== sb) return sa ? 1 : -1;
    return ca < cb ? -1 : 1;
  }
  return a.length - b.length;
}

/** Python truthiness of a JSON-shaped value. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '' || value === 0 || value === 0n) return false;
  if (value instanceof PyFloat) return value.value !== 0;
  if (Number.isNaN(value)) return true;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}
