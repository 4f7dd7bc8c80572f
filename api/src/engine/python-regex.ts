// REGEX conditions are Python `re.match(pattern, str(value))`. JavaScript's RegExp differs in syntax and meaning,
// so Python patterns are translated, not passed through:
//   - match is anchored at the start only: the translation is wrapped in ^(?:...)
//   - (?P<name>...), (?P=name), \A, \Z, \N group references, octal escapes, {,n} and literal { become JS forms
//   - $ also matches before a final newline; ^/$ under (?m) only treat \n as a line break; . excludes only \n
//   - \d \w \s \b are Unicode-aware in Python 3 (JS's are ASCII); (?a) switches them back to ASCII
//   - quantified lookarounds, atomic groups and possessive quantifiers are rewritten into what JS accepts
// Patterns Python rejects come back undefined (the condition is false). Known gaps, also undefined: \N{name},
// conditional groups, scoped flags that toggle case-insensitivity (Node 20 has no regexp modifiers) and possessive
// quantifiers on atoms that contain groups. Not reproduced: Python's refusal of variable-width lookbehind, and a
// backreference to a group that did not take part, which fails in Python and matches empty in JS.

import { PY_SPACE_CLASS } from './python';

const UNICODE_WORD = '\\p{L}\\p{N}_';
const ASCII_WORD = 'A-Za-z0-9_';
const UNICODE_SPACE = PY_SPACE_CLASS.slice(1, -1);
const ASCII_SPACE = ' \\t\\n\\r\\f\\v';
const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/');
const VERBOSE_SPACE = new Set(' \t\n\r\v\f');
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  a: boolean;
}

type Last = 'none' | 'anchor' | 'atom' | 'repeat' | 'lookaround';

interface Frame {
  kind: 'capture' | 'plain' | 'lookaround' | 'atomic';
  start: number;
  groupsAtStart: number;
  flags: Flags;
  pyGroup?: number;
  hiddenGroup?: number;
}

type ClassItem = { cp: number } | { frag?: string; neg?: string };

/** Thrown inside the translator for any pattern that cannot be used; caught by translatePythonRegex. */
class Unusable extends Error {}

function fail(): never {
  throw new Unusable();
}

export interface TranslatedRegex {
  readonly source: string;
  readonly flags: string;
}

/** Translates a Python `re` pattern into a JS RegExp source (flag "u") anchored like `re.match`. */
export function translatePythonRegex(pattern: string): TranslatedRegex | undefined {
  try {
    return new Translator(pattern).run();
  } catch (e) {
    if (e instanceof Unusable) return undefined;
    throw e;
  }
}

const cache = new Map<string, RegExp | null>();
const CACHE_LIMIT = 2000;

/** Python `re.match(pattern, subject) is not None`; an invalid pattern gives false. Compiled patterns are cached. */
export function pythonReMatch(pattern: string, subject: string): boolean {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = compile(pattern);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, re);
  }
  return re !== null && re.test(subject);
}

function compile(pattern: string): RegExp | null {
  const translated = translatePythonRegex(pattern);
  if (!translated) return null;
  try {
    return new RegExp(translated.source, translated.flags);
  } catch {
    return null; // what JS rejects here Python rejects too (e.g. "a**", duplicate group names)
  }
}

class Translator {
  private readonly chars: string[];
  private pos = 0;
  private out = '';
  private flags: Flags = { i: false, m: false, s: false, x: false, a: false };
  private readonly stack: Frame[] = [];
  private pyGroups = 0;
  private jsGroups = 0;
  private readonly jsGroupOf: number[] = [0];
  private readonly names = new Map<string, number>();
  private readonly open = new Set<number>();
  private last: Last = 'none';
  private lastStart = 0;
  private lastGroupsAtStart = 0;

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  run(): TranslatedRegex {
    const chars = this.chars;
    while (this.pos < chars.length) {
      const c = chars[this.pos++];
      if (this.flags.x && VERBOSE_SPACE.has(c)) continue;
      if (this.flags.x && c === '#') {
        while (this.pos < chars.length && chars[this.pos] !== '\n') this.pos++;
        continue;
      }
      switch (c) {
        case '\\': this.escape(); break;
        case '.': this.atom(this.flags.s ? '[\\s\\S]' : '[^\\n]'); break;
        case '^': this.anchor(this.flags.m ? '(?:^|(?<=\\n))' : '^'); break;
        case '$': this.anchor(this.flags.m ? '(?=\\n|$)' : '(?=\\n?$)'); break;
        case '[': this.atom(this.charClass()); break;
        case '(': this.openGroup(); break;
        case ')': this.closeGroup(); break;
        case '|': this.out += '|'; this.last = 'none'; break;
        case '*': case '+': case '?': this.repeat(c); break;
        case '{': this.brace(); break;
        default: this.literal(c.codePointAt(0) as number);
      }
    }
    if (this.stack.length > 0) fail(); // missing ")"
    return { source: `^(?:${this.out})`, flags: this.flags.i ? 'iu' : 'u' };
  }

  private mark(kind: Last, text: string): void {
    this.lastStart = this.out.length;
    this.lastGroupsAtStart = this.jsGroups;
    this.out += text;
    this.last = kind;
  }

  private atom(text: string): void {
    this.mark('atom', text);
  }

  private anchor(text: string): void {
    this.mark('anchor', text);
  }

  private literal(cp: number): void {
    const ch = String.fromCodePoint(cp);
    this.atom(SYNTAX_CHARS.has(ch) ? `\\${ch}` : cp < 0x20 ? `\\u{${cp.toString(16)}}` : ch);
  }

  private repeat(quantifier: string): void {
    if (this.last === 'none' || this.last === 'anchor') fail(); // nothing to repeat
    if (this.last === 'repeat') fail(); // multiple repeat
    if (this.last === 'lookaround') {
      // Python repeats an assertion; JS (u flag) only allows that inside a group.
      this.out = `${this.out.slice(0, this.lastStart)}(?:${this.out.slice(this.lastStart)})`;
    }
    const next = this.chars[this.pos];
    if (next === '?') {
      this.pos++;
      this.out += `${quantifier}?`;
    } else if (next === '+') {
      this.pos++;
      // Possessive = atomic group around the repeat; the hidden group must not renumber groups already emitted.
      if (this.jsGroups !== this.lastGroupsAtStart) fail();
      const body = this.out.slice(this.lastStart) + quantifier;
      this.out = this.out.slice(0, this.lastStart) + this.atomicWrap(body, ++this.jsGroups);
    } else {
      this.out += quantifier;
    }
    this.last = 'repeat';
  }

  private atomicWrap(body: string, group: number): string {
    // A lookahead never backtracks into its match; re-consuming the capture makes it atomic.
    return `(?:(?=(${body}))\\${group})`;
  }

  private brace(): void {
    // Python treats "{" as a literal unless it starts {m}, {m,}, {,n}, {m,n} or {,}.
    const m = /^(\d*)(,?)(\d*)\}/.exec(this.chars.slice(this.pos, this.pos + 40).join(''));
    if (!m || (m[2] === '' && m[1] === '') || (m[2] === '' && m[3] !== '')) {
      this.literal(0x7b);
      return;
    }
    const lo = m[1] === '' ? '0' : m[1];
    const hi = m[2] === '' ? lo : m[3];
    if (hi !== '' && Number(hi) < Number(lo)) fail(); // min repeat greater than max repeat
    this.pos += m[0].length;
    this.repeat(m[2] === '' ? `{${lo}}` : `{${lo},${hi}}`);
  }

  private escape(): void {
    const e = this.chars[this.pos++];
    if (e === undefined) fail(); // trailing backslash
    switch (e) {
      case 'A': return this.anchor('^');
      case 'Z': return this.anchor('$');
      case 'b': return this.anchor(this.boundary(true));
      case 'B': return this.anchor(this.boundary(false));
      default: break;
    }
    if (/^[0-9]$/.test(e) && e !== '0') return this.numericEscape(e);
    const item = this.escapeItem(e);
    if ('cp' in item) this.literal(item.cp);
    else this.atom(item.frag !== undefined ? `[${item.frag}]` : (item.neg as string));
  }

  private numericEscape(first: string): void {
    const chars = this.chars;
    let digits = first;
    if (/^[0-9]$/.test(chars[this.pos] ?? '')) {
      digits += chars[this.pos++];
      if (/^[0-7]{2}$/.test(digits) && /^[0-7]$/.test(chars[this.pos] ?? '')) {
        const cp = parseInt(digits + chars[this.pos++], 8);
        if (cp > 0o377) fail();
        return this.literal(cp);
      }
    }
    const group = Number(digits);
    if (group > this.pyGroups || this.open.has(group)) fail(); // invalid reference / open group
    this.atom(`(?:\\${this.jsGroupOf[group]})`);
  }

  /** Escapes valid both inside and outside a class (outside, \b and digits are handled before). */
  private escapeItem(e: string): ClassItem {
    const ascii = this.flags.a;
    switch (e) {
      case 'd': return { frag: ascii ? '0-9' : '\\p{Nd}' };
      case 'D': return ascii ? { frag: '\\D' } : { frag: '\\P{Nd}' };
      case 'w': return { frag: ascii ? ASCII_WORD : UNICODE_WORD };
      case 'W': return { neg: `[^${ascii ? ASCII_WORD : UNICODE_WORD}]` };
      case 's': return { frag: ascii ? ASCII_SPACE : UNICODE_SPACE };
      case 'S': return { neg: `[^${ascii ? ASCII_SPACE : UNICODE_SPACE}]` };
      case 'x': return { cp: this.hex(2) };
      case 'u': return { cp: this.hex(4) };
      case 'U': return { cp: this.hex(8) };
      default: break;
    }
    if (e in SIMPLE_ESCAPES) return { cp: SIMPLE_ESCAPES[e] };
    if (/^[0-7]$/.test(e)) {
      let digits = e;
      while (digits.length < 3 && /^[0-7]$/.test(this.chars[this.pos] ?? '')) digits += this.chars[this.pos++];
      const cp = parseInt(digits, 8);
      if (cp > 0o377) fail();
      return { cp };
    }
    if (/^[0-9A-Za-z]$/.test(e)) fail(); // bad escape (includes \N{...}, which is not supported)
    return { cp: e.codePointAt(0) as number };
  }

  private hex(length: number): number {
    const digits = this.chars.slice(this.pos, this.pos + length).join('');
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) fail();
    this.pos += length;
    const cp = parseInt(digits, 16);
    if (cp > 0x10ffff) fail();
    return cp;
  }

  private boundary(atBoundary: boolean): string {
    const w = `[${this.flags.a ? ASCII_WORD : UNICODE_WORD}]`;
    if (atBoundary) return `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
    // Python's \B never matches inside an empty string.
    return `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w})(?:(?<=[\\s\\S])|(?=[\\s\\S])))`;
  }

  private charClass(): string {
    const chars = this.chars;
    const negate = chars[this.pos] === '^';
    if (negate) this.pos++;
    let frags = '';
    const negs: string[] = [];
    let first = true;
    for (;;) {
      const c = chars[this.pos++];
      if (c === undefined) fail(); // unterminated character set
      if (c === ']' && !first) break;
      first = false;
      const item = c === '\\' ? this.classEscape() : { cp: c.codePointAt(0) as number };
      if (chars[this.pos] === '-' && chars[this.pos + 1] !== undefined && chars[this.pos + 1] !== ']') {
        this.pos++;
        const d = chars[this.pos++];
        const end = d === '\\' ? this.classEscape() : { cp: d.codePointAt(0) as number };
        if (!('cp' in item) || !('cp' in end) || end.cp < item.cp) fail(); // bad character range
        frags += `${classChar(item.cp)}-${classChar(end.cp)}`;
        continue;
      }
      if ('cp' in item) frags += classChar(item.cp);
      else if (item.frag !== undefined) frags += item.frag;
      else negs.push(item.neg as string);
    }
    if (negs.length === 0) return `[${negate ? '^' : ''}${frags}]`;
    // Negated shorthands (\W, \S) cannot sit inside a JS class with Unicode semantics: combine them outside.
    if (!negate) return `(?:${[...(frags ? [`[${frags}]`] : []), ...negs].join('|')})`;
    return `(?:(?!${negs.join('|')})${frags ? `[^${frags}]` : '[\\s\\S]'})`;
  }

  private classEscape(): ClassItem {
    const e = this.chars[this.pos++];
    if (e === undefined) fail();
    if (e === 'b') return { cp: 8 };
    if (e === '8' || e === '9') fail();
    return this.escapeItem(e);
  }

  private openGroup(): void {
    const chars = this.chars;
    if (chars[this.pos] !== '?') {
      const group = ++this.pyGroups;
      this.jsGroupOf[group] = ++this.jsGroups;
      this.open.add(group);
      this.push({ kind: 'capture', pyGroup: group }, '(', this.jsGroups - 1);
      return;
    }
    this.pos++;
    const n = chars[this.pos++];
    if (n === ':') return this.push({ kind: 'plain' }, '(?:');
    if (n === '=' || n === '!') return this.push({ kind: 'lookaround' }, `(?${n}`);
    if (n === '<') {
      const m = chars[this.pos++];
      if (m !== '=' && m !== '!') fail();
      return this.push({ kind: 'lookaround' }, `(?<${m}`);
    }
    if (n === '>') {
      const before = this.jsGroups;
      const hidden = ++this.jsGroups;
      return this.push({ kind: 'atomic', hiddenGroup: hidden }, '(?:(?=(', before);
    }
    if (n === '#') {
      while (this.pos < chars.length && chars[this.pos] !== ')') this.pos++;
      if (this.pos >= chars.length) fail(); // unterminated comment
      this.pos++;
      return;
    }
    if (n === 'P') return this.namedGroup();
    this.pos--;
    this.inlineFlags();
  }

  private namedGroup(): void {
    const kind = this.chars[this.pos++];
    const close = kind === '<' ? '>' : kind === '=' ? ')' : fail();
    const end = this.chars.indexOf(close, this.pos);
    if (end < 0) fail();
    const name = this.chars.slice(this.pos, end).join('');
    this.pos = end + 1;
    if (!IDENTIFIER.test(name)) fail();
    if (kind === '=') {
      const group = this.names.get(name);
      if (group === undefined || this.open.has(group)) fail();
      this.atom(`(?:\\k<${name}>)`);
      return;
    }
    if (this.names.has(name)) fail(); // redefinition of group name
    const group = ++this.pyGroups;
    this.jsGroupOf[group] = ++this.jsGroups;
    this.names.set(name, group);
    this.open.add(group);
    this.push({ kind: 'capture', pyGroup: group }, `(?<${name}>`, this.jsGroups - 1);
  }

  private inlineFlags(): void {
    const m = /^([aiLmsux]*)(?:-([imsx]+))?([:)])/.exec(this.chars.slice(this.pos, this.pos + 20).join(''));
    if (!m || (m[1] === '' && m[2] === undefined)) fail(); // unknown extension, e.g. conditional groups
    const [whole, on, off = '', end] = m;
    if (on.includes('L') || (on.includes('a') && on.includes('u'))) fail();
    if ([...off].some((f) => on.includes(f))) fail();
    this.pos += whole.length;
    const next: Flags = { ...this.flags };
    for (const f of on) if (f in next) next[f as keyof Flags] = true;
    for (const f of off) next[f as keyof Flags] = false;
    if (on.includes('u')) next.a = false;
    if (end === ')') {
      // Global flags: only at the very start, and they apply to the whole pattern.
      if (off !== '' || this.out !== '' || this.stack.length > 0) fail();
      this.flags = next;
      return;
    }
    if (next.i !== this.flags.i) fail(); // scoped case-insensitivity: no JS equivalent on Node 20
    this.push({ kind: 'plain' }, '(?:');
    this.flags = next;
  }

  private push(frame: Pick<Frame, 'kind' | 'pyGroup' | 'hiddenGroup'>, text: string, groupsAtStart = this.jsGroups): void {
    this.stack.push({ ...frame, start: this.out.length, groupsAtStart, flags: this.flags });
    this.out += text;
    this.last = 'none';
  }

  private closeGroup(): void {
    const frame = this.stack.pop();
    if (!frame) fail(); // unbalanced parenthesis
    if (frame.pyGroup !== undefined) this.open.delete(frame.pyGroup);
    this.out += frame.kind === 'atomic' ? `))\\${frame.hiddenGroup})` : ')';
    this.flags = frame.flags;
    this.last = frame.kind === 'lookaround' ? 'lookaround' : 'atom';
    this.lastStart = frame.start;
    this.lastGroupsAtStart = frame.groupsAtStart;
  }
}

function classChar(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return /^[0-9A-Za-z]$/.test(ch) ? ch : `\\u{${cp.toString(16)}}`;
}
