// The structure of a Python regex — groups, quantifiers, anchors, inline flags — rewritten as JS RegExp source.
// Atoms (escapes, classes) come from regex-atoms.ts. Group numbers are tracked separately for Python and JS,
// because atomic groups and possessive quantifiers add hidden JS groups that Python references must skip.

import { Cursor, boundary, charClass, escapeItem, fail, literalText } from './regex-atoms';

const VERBOSE_SPACE = new Set(' \t\n\r\v\f');
const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  a: boolean;
}

/** What was emitted last, which decides whether a quantifier may follow. */
type Last = 'none' | 'anchor' | 'atom' | 'repeat' | 'lookaround';

interface Frame {
  kind: 'capture' | 'plain' | 'lookaround' | 'atomic';
  start: number;
  groupsAtStart: number;
  flags: Flags;
  pyGroup?: number;
  hiddenGroup?: number;
}

export interface TranslatedRegex {
  readonly source: string;
  readonly flags: string;
}

export class Translator {
  private readonly cur: Cursor;
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
    this.cur = new Cursor(pattern);
  }

  /** Throws Unusable for patterns Python rejects or that cannot be expressed. */
  run(): TranslatedRegex {
    const cur = this.cur;
    for (let c = cur.next(); c !== undefined; c = cur.next()) {
      if (this.flags.x && VERBOSE_SPACE.has(c)) continue;
      if (this.flags.x && c === '#') {
        while (cur.peek() !== undefined && cur.peek() !== '\n') cur.pos++;
        continue;
      }
      switch (c) {
        case '\\': this.escape(); break;
        case '.': this.mark('atom', this.flags.s ? '[\\s\\S]' : '[^\\n]'); break;
        case '^': this.mark('anchor', this.flags.m ? '(?:^|(?<=\\n))' : '^'); break;
        case '$': this.mark('anchor', this.flags.m ? '(?=\\n|$)' : '(?=\\n?$)'); break;
        case '[': this.mark('atom', charClass(cur, this.flags.a)); break;
        case '(': this.openGroup(); break;
        case ')': this.closeGroup(); break;
        case '|': this.out += '|'; this.last = 'none'; break;
        case '*': case '+': case '?': this.repeat(c); break;
        case '{': this.brace(); break;
        default: this.mark('atom', literalText(c.codePointAt(0) as number));
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

  private repeat(quantifier: string): void {
    if (this.last === 'none' || this.last === 'anchor') fail(); // nothing to repeat
    if (this.last === 'repeat') fail(); // multiple repeat
    if (this.last === 'lookaround') {
      // Python repeats an assertion; JS (u flag) only allows that inside a group.
      this.out = `${this.out.slice(0, this.lastStart)}(?:${this.out.slice(this.lastStart)})`;
    }
    const next = this.cur.peek();
    if (next === '?') {
      this.cur.pos++;
      this.out += `${quantifier}?`;
    } else if (next === '+') {
      this.cur.pos++;
      // Possessive = atomic group around the repeat; its hidden group must not renumber groups already emitted.
      if (this.jsGroups !== this.lastGroupsAtStart) fail();
      const body = this.out.slice(this.lastStart) + quantifier;
      // A lookahead never backtracks into its match; re-consuming its capture makes the repeat atomic.
      this.out = `${this.out.slice(0, this.lastStart)}(?:(?=(${body}))\\${++this.jsGroups})`;
    } else {
      this.out += quantifier;
    }
    this.last = 'repeat';
  }

  private brace(): void {
    // Python treats "{" as a literal unless it starts {m}, {m,}, {,n}, {m,n} or {,}.
    const m = /^(\d*)(,?)(\d*)\}/.exec(this.cur.ahead(40));
    if (!m || (m[2] === '' && m[1] === '')) {
      this.mark('atom', literalText(0x7b));
      return;
    }
    const lo = m[1] === '' ? '0' : m[1];
    const hi = m[2] === '' ? lo : m[3];
    if (hi !== '' && Number(hi) < Number(lo)) fail(); // min repeat greater than max repeat
    this.cur.pos += m[0].length;
    this.repeat(m[2] === '' ? `{${lo}}` : `{${lo},${hi}}`);
  }

  private escape(): void {
    const e = this.cur.next();
    if (e === undefined) fail(); // trailing backslash
    switch (e) {
      case 'A': return this.mark('anchor', '^');
      case 'Z': return this.mark('anchor', '$');
      case 'b': return this.mark('anchor', boundary(this.flags.a, true));
      case 'B': return this.mark('anchor', boundary(this.flags.a, false));
      default: break;
    }
    if (/^[1-9]$/.test(e)) return this.numericEscape(e);
    const item = escapeItem(this.cur, e, this.flags.a);
    if ('cp' in item) this.mark('atom', literalText(item.cp));
    else this.mark('atom', item.frag !== undefined ? `[${item.frag}]` : (item.neg as string));
  }

  /** \1-\99 is a group reference, unless three octal digits make it a character. */
  private numericEscape(first: string): void {
    const cur = this.cur;
    let digits = first;
    if (/^[0-9]$/.test(cur.peek() ?? '')) {
      digits += cur.next();
      if (/^[0-7]{2}$/.test(digits) && /^[0-7]$/.test(cur.peek() ?? '')) {
        const cp = parseInt(digits + cur.next(), 8);
        if (cp > 0o377) fail();
        return this.mark('atom', literalText(cp));
      }
    }
    const group = Number(digits);
    if (group > this.pyGroups || this.open.has(group)) fail(); // invalid reference / open group
    this.mark('atom', `(?:\\${this.jsGroupOf[group]})`);
  }

  private openGroup(): void {
    const cur = this.cur;
    if (cur.peek() !== '?') return this.capture('(');
    cur.pos++;
    const n = cur.next();
    if (n === ':') return this.push({ kind: 'plain' }, '(?:');
    if (n === '=' || n === '!') return this.push({ kind: 'lookaround' }, `(?${n}`);
    if (n === '<') {
      const m = cur.next();
      if (m !== '=' && m !== '!') fail(); // (?<name>...) is not Python syntax
      return this.push({ kind: 'lookaround' }, `(?<${m}`);
    }
    if (n === '>') {
      const before = this.jsGroups;
      return this.push({ kind: 'atomic', hiddenGroup: ++this.jsGroups }, '(?:(?=(', before);
    }
    if (n === '#') {
      while (cur.peek() !== undefined && cur.peek() !== ')') cur.pos++;
      if (cur.next() === undefined) fail(); // unterminated comment
      return;
    }
    if (n === 'P') return this.namedGroup();
    cur.pos--;
    this.inlineFlags();
  }

  private capture(text: string, name?: string): void {
    const group = ++this.pyGroups;
    this.jsGroupOf[group] = ++this.jsGroups;
    if (name !== undefined) this.names.set(name, group);
    this.open.add(group);
    this.push({ kind: 'capture', pyGroup: group }, text, this.jsGroups - 1);
  }

  private namedGroup(): void {
    const cur = this.cur;
    const kind = cur.next();
    const close = kind === '<' ? '>' : kind === '=' ? ')' : fail();
    const end = cur.chars.indexOf(close, cur.pos);
    if (end < 0) fail();
    const name = cur.chars.slice(cur.pos, end).join('');
    cur.pos = end + 1;
    if (!IDENTIFIER.test(name)) fail();
    if (kind === '<') {
      if (this.names.has(name)) fail(); // redefinition of group name
      return this.capture(`(?<${name}>`, name);
    }
    const group = this.names.get(name);
    if (group === undefined || this.open.has(group)) fail();
    this.mark('atom', `(?:\\k<${name}>)`);
  }

  private inlineFlags(): void {
    const m = /^([aiLmsux]*)(?:-([imsx]+))?([:)])/.exec(this.cur.ahead(20));
    if (!m || (m[1] === '' && m[2] === undefined)) fail(); // unknown extension, e.g. conditional groups
    const [whole, on, off = '', end] = m;
    if (on.includes('L') || (on.includes('a') && on.includes('u'))) fail();
    if ([...off].some((f) => on.includes(f))) fail();
    this.cur.pos += whole.length;
    const next: Flags = { ...this.flags };
    for (const f of on) if (f in next) next[f as keyof Flags] = true;
    for (const f of off) next[f as keyof Flags] = false;
    if (on.includes('u')) next.a = false;
    if (end === ')') {
      // Global flags: only at the very start (Python 3.11+), applying to the whole pattern.
      if (off !== '' || this.out !== '' || this.stack.length > 0) fail();
      this.flags = next;
      return;
    }
    if (next.i !== this.flags.i) fail(); // scoped case-insensitivity: Node 20 has no regexp modifiers
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
