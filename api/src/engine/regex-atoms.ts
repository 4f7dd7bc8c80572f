// The atoms of a Python regex — escapes and character classes — written as JS RegExp ("u" flag) source with
// Python's meaning: Unicode-aware \d \w \s \b unless ASCII mode, octal and \x/\u/\U escapes, "]" first in a class
// as a literal, and errors where Python raises.

import { PY_SPACE_CLASS } from './python';

export const UNICODE_WORD = '\\p{L}\\p{N}_';
export const ASCII_WORD = 'A-Za-z0-9_';
const UNICODE_SPACE = PY_SPACE_CLASS.slice(1, -1);
const ASCII_SPACE = ' \\t\\n\\r\\f\\v';
const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/');
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

/** Thrown for any pattern Python rejects or the translation cannot express; the pattern then never matches. */
export class Unusable extends Error {}

export function fail(): never {
  throw new Unusable();
}

/** The pattern as code points, and the read position. */
export class Cursor {
  readonly chars: string[];
  pos = 0;

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  next(): string | undefined {
    return this.chars[this.pos++];
  }

  /** Up to `length` characters from the current position, as one string. */
  ahead(length: number): string {
    return this.chars.slice(this.pos, this.pos + length).join('');
  }
}

/**
 * One character (cp), a JS class fragment that can sit inside [...] (frag), or a negated set that cannot and is
 * a whole JS expression for one character (neg: \W and \S with Unicode meaning).
 */
export type ClassItem = { cp: number } | { frag?: string; neg?: string };

/** A literal character outside a class. */
export function literalText(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX_CHARS.has(ch)) return `\\${ch}`;
  return cp < 0x20 ? `\\u{${cp.toString(16)}}` : ch;
}

/** Escapes valid both inside and outside a class (outside, \b, \B, \A, \Z and group references come first). */
export function escapeItem(cur: Cursor, e: string, ascii: boolean): ClassItem {
  switch (e) {
    case 'd': return { frag: ascii ? '0-9' : '\\p{Nd}' };
    case 'D': return { frag: ascii ? '\\D' : '\\P{Nd}' };
    case 'w': return { frag: ascii ? ASCII_WORD : UNICODE_WORD };
    case 'W': return { neg: `[^${ascii ? ASCII_WORD : UNICODE_WORD}]` };
    case 's': return { frag: ascii ? ASCII_SPACE : UNICODE_SPACE };
    case 'S': return { neg: `[^${ascii ? ASCII_SPACE : UNICODE_SPACE}]` };
    case 'x': return { cp: hexEscape(cur, 2) };
    case 'u': return { cp: hexEscape(cur, 4) };
    case 'U': return { cp: hexEscape(cur, 8) };
    default: break;
  }
  if (e in SIMPLE_ESCAPES) return { cp: SIMPLE_ESCAPES[e] };
  if (/^[0-7]$/.test(e)) {
    let digits = e;
    while (digits.length < 3 && /^[0-7]$/.test(cur.peek() ?? '')) digits += cur.next();
    const cp = parseInt(digits, 8);
    if (cp > 0o377) fail();
    return { cp };
  }
  if (/^[0-9A-Za-z]$/.test(e)) fail(); // bad escape (includes \N{...}, which is not supported)
  return { cp: e.codePointAt(0) as number };
}

function hexEscape(cur: Cursor, length: number): number {
  const digits = cur.ahead(length);
  if (digits.length !== length || !/^[0-9a-fA-F]+$/.test(digits)) fail();
  cur.pos += length;
  const cp = parseInt(digits, 16);
  if (cp > 0x10ffff) fail();
  return cp;
}

/** \b or \B on Python's word characters (JS's \b is ASCII-only). */
export function boundary(ascii: boolean, atBoundary: boolean): string {
  const w = `[${ascii ? ASCII_WORD : UNICODE_WORD}]`;
  if (atBoundary) return `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
  // Python's \B never matches inside an empty string.
  return `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w})(?:(?<=[\\s\\S])|(?=[\\s\\S])))`;
}

/** A character class, the cursor just past "[". */
export function charClass(cur: Cursor, ascii: boolean): string {
  const negate = cur.peek() === '^';
  if (negate) cur.pos++;
  let frags = '';
  const negs: string[] = [];
  let first = true;
  for (;;) {
    const c = cur.next();
    if (c === undefined) fail(); // unterminated character set
    if (c === ']' && !first) break; // a "]" right after "[" or "[^" is a literal
    first = false;
    const item = c === '\\' ? classEscape(cur, ascii) : { cp: c.codePointAt(0) as number };
    const after = cur.peek(1);
    if (cur.peek() === '-' && after !== undefined && after !== ']') {
      cur.pos++;
      const d = cur.next() as string;
      const end = d === '\\' ? classEscape(cur, ascii) : { cp: d.codePointAt(0) as number };
      if (!('cp' in item) || !('cp' in end) || end.cp < item.cp) fail(); // bad character range
      frags += `${classChar(item.cp)}-${classChar(end.cp)}`;
      continue;
    }
    if ('cp' in item) frags += classChar(item.cp);
    else if (item.frag !== undefined) frags += item.frag;
    else negs.push(item.neg as string);
  }
  if (negs.length === 0) return `[${negate ? '^' : ''}${frags}]`;
  // Negated shorthands cannot sit inside a JS class with Unicode meaning: union (or exclude) them outside it.
  if (!negate) return `(?:${[...(frags ? [`[${frags}]`] : []), ...negs].join('|')})`;
  return `(?:(?!${negs.join('|')})${frags ? `[^${frags}]` : '[\\s\\S]'})`;
}

function classEscape(cur: Cursor, ascii: boolean): ClassItem {
  const e = cur.next();
  if (e === undefined) fail();
  if (e === 'b') return { cp: 8 }; // backspace inside a class
  if (e === '8' || e === '9') fail();
  return escapeItem(cur, e, ascii);
}

function classChar(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return /^[0-9A-Za-z]$/.test(ch) ? ch : `\\u{${cp.toString(16)}}`;
}
