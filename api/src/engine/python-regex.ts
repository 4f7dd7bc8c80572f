// REGEX conditions are Python `re.match(pattern, str(value))`. JavaScript's RegExp differs in syntax and meaning,
// so Python patterns are translated (regex-translator.ts, regex-atoms.ts), not passed through:
//   - match is anchored at the start only: the translation is wrapped in ^(?:...)
//   - (?P<name>...), (?P=name), \A, \Z, \N group references, octal escapes, {,n} and literal { become JS forms
//   - $ also matches before a final newline; ^/$ under (?m) only treat \n as a line break; . excludes only \n
//   - \d \w \s \b are Unicode-aware in Python 3 (JS's are ASCII); (?a) switches them back to ASCII
//   - quantified lookarounds, atomic groups and possessive quantifiers are rewritten into what JS accepts
// Patterns Python rejects never match. Known gaps, which never match either: \N{name}, conditional groups, scoped
// flags that toggle case-insensitivity (Node 20 has no regexp modifiers) and possessive quantifiers on atoms that
// contain groups. Not reproduced: Python's refusal of variable-width lookbehind, and a backreference to a group
// that did not take part, which fails in Python and matches empty in JS.

import { Unusable } from './regex-atoms';
import { Translator, type TranslatedRegex } from './regex-translator';

export type { TranslatedRegex };

/** Translates a Python `re` pattern into JS RegExp source and flags, anchored like `re.match`; undefined if unusable. */
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
  // No g/y flag, so test() leaves lastIndex alone and the shared RegExp is safe to reuse.
  return re !== null && re.test(subject);
}

function compile(pattern: string): RegExp | null {
  const translated = translatePythonRegex(pattern);
  if (!translated) return null;
  try {
    return new RegExp(translated.source, translated.flags);
  } catch {
    return null; // what JS still rejects Python rejects too (e.g. "a**", duplicate group names)
  }
}
