// Python `re.match` semantics through the translator. The table rows were produced by CPython 3.11
// (`re.match(pattern, subject) is not None`); the targeted tests below name the differences they guard.

import { pythonReMatch, translatePythonRegex } from '../../../api/src/engine/python-regex';

const CASES: Array<[string, string, boolean]> = [
  ["abc", "abc", true],
  ["abc", "ABC", false],
  ["a.c", "abc", true],
  ["a.c", "ABC", false],
  ["^a", "abc", true],
  ["^a", "ABC", false],
  ["a$", "a", true],
  ["a$", "abc", false],
  ["\\d+", "٣٤", true],
  ["\\d+", "abc", false],
  ["\\w+", "abc", true],
  ["\\w+", "", false],
  ["\\s", "\t", true],
  ["\\s", "abc", false],
  ["(?P<x>a)(?P=x)", "aa", true],
  ["(?P<x>a)(?P=x)", "abc", false],
  ["(a)\\1", "aa", true],
  ["(a)\\1", "abc", false],
  ["\\Aabc\\Z", "abc", true],
  ["\\Aabc\\Z", "ABC", false],
  ["a\\Z", "a", true],
  ["a\\Z", "abc", false],
  ["abc$", "abc", true],
  ["abc$", "ABC", false],
  ["[]a]+", "abc", true],
  ["[]a]+", "ABC", false],
  ["[^]a]", "ABC", true],
  ["[^]a]", "abc", false],
  ["a{,2}b", "abc", true],
  ["a{,2}b", "ABC", false],
  ["a{}", "a{}", true],
  ["a{}", "abc", false],
  ["a{1,b", "a{1,b", true],
  ["a{1,b", "abc", false],
  ["(?i)ABC", "abc", true],
  ["(?i)ABC", "a\nb", false],
  ["(?s)a.b", "a\nb", true],
  ["(?s)a.b", "abc", false],
  ["(?m)^b$", "b\n", true],
  ["(?m)^b$", "abc", false],
  ["(?x) a b # c", "abc", true],
  ["(?x) a b # c", "ABC", false],
  ["[\\w-]+", "abc", true],
  ["[\\w-]+", "", false],
  ["[\\W\\d]+", "]", true],
  ["[\\W\\d]+", "abc", false],
  ["[^\\W\\d]+", "abc", true],
  ["[^\\W\\d]+", "", false],
  ["\\bfoo\\b", "foo bar", true],
  ["\\bfoo\\b", "abc", false],
  ["\\Bo", "abc", false],
  ["\\B", "]", true],
  ["\\B", "abc", false],
  ["(?a)\\w+", "abc", true],
  ["(?a)\\w+", "", false],
  ["(?a)\\d", "123-4567", true],
  ["(?a)\\d", "abc", false],
  ["\\x41", "ABC", true],
  ["\\x41", "abc", false],
  ["\\u00e9", "é", true],
  ["\\u00e9", "abc", false],
  ["\\101", "ABC", true],
  ["\\101", "abc", false],
  ["\\0", "\u0000", true],
  ["\\0", "abc", false],
  ["(?=a)*a", "abc", true],
  ["(?=a)*a", "ABC", false],
  ["(?>a+)a", "abc", false],
  ["a++a", "abc", false],
  ["a*+b", "abc", true],
  ["a*+b", "ABC", false],
  ["[a-c]+$", "abc", true],
  ["[a-c]+$", "ABC", false],
  [".*", "abc", true],
  ["(?:ab)+", "abc", true],
  ["(?:ab)+", "ABC", false],
  ["\\.", "abc", false],
  ["[.]", "abc", false],
  ["\\S+", "abc", true],
  ["\\S+", "", false],
  ["[\\s\\S]", "abc", true],
  ["[\\s\\S]", "", false],
  ["(?-i:a)", "abc", true],
  ["(?-i:a)", "ABC", false],
  ["(?#comment)a", "abc", true],
  ["(?#comment)a", "ABC", false],
  ["a|b", "abc", true],
  ["a|b", "ABC", false],
  ["\\$", "$", true],
  ["\\$", "abc", false],
  ["[$]", "$", true],
  ["[$]", "abc", false],
  ["^\\d{3}-\\d{4}$", "123-4567", true],
  ["^\\d{3}-\\d{4}$", "abc", false],
  ["[\\u0041-\\u005a]+", "ABC", true],
  ["[\\u0041-\\u005a]+", "abc", false],
  ["(?m)a$", "a\nb", true],
  ["(?m)a$", "abc", false],
  ["\\\\", "\\", true],
  ["\\\\", "abc", false],
  ["[\\\\]", "\\", true],
  ["[\\\\]", "abc", false],
  ["\\t", "\t", true],
  ["\\t", "abc", false],
  ["/", "/", true],
  ["/", "abc", false],
  ["a{2,3}?", "aa", true],
  ["a{2,3}?", "abc", false],
  ["a??", "abc", true],
  ["[a\\-z]", "abc", true],
  ["[a\\-z]", "ABC", false],
  ["[-a]", "abc", true],
  ["[-a]", "ABC", false],
  ["[a-]", "abc", true],
  ["[a-]", "ABC", false],
  ["(?<=a)b", "abc", false],
  ["(?<!a)b", "b\n", true],
  ["(?<!a)b", "abc", false],
  ["(?i)straße", "straße", true],
  ["(?i)straße", "abc", false],
  ["[^\\s]", "abc", true],
  ["[^\\s]", "", false],
  ["\\W", "]", true],
  ["\\W", "abc", false],
  [".+@example\\.com", "x@example.com", true],
  [".+@example\\.com", "abc", false],
  ["^$", "", true],
  ["^$", "abc", false],
  ["true", "abc", false],
  ["True", "True", true],
  ["True", "abc", false],
  ["3", "35.0", true],
  ["3", "abc", false],
  ["[0-9]+\\.[0-9]+", "35.0", true],
  ["[0-9]+\\.[0-9]+", "abc", false],
  ["^[a-z]", "abc", true],
  ["^[a-z]", "ABC", false],
  ["(?u)\\w", "abc", true],
  ["(?u)\\w", "", false],
  ["{", "abc", false],
  ["}", "abc", false],
  ["a{3", "abc", false],
];
const INVALID = ["\\p", "\\q", "(", ")", "[a", "a**", "*a", "(?<n>a)", "(?L)a", "(?au)a", "\\8", "\\400", "(a)\\10", "x{2}{3}", "^*", "\\b*"];

describe('agrees with CPython re.match', () => {
  test.each(CASES)('re.match(%j, %j) -> %p', (pattern, subject, expected) => {
    expect(pythonReMatch(pattern, subject)).toBe(expected);
  });

  test.each(INVALID)('%j is rejected by Python, so never matches', (pattern) => {
    expect(pythonReMatch(pattern, 'a')).toBe(false);
    expect(pythonReMatch(pattern, '')).toBe(false);
  });
});

describe('translation', () => {
  test('anchored at the start only', () => {
    expect(pythonReMatch('b', 'ab')).toBe(false);
    expect(pythonReMatch('a', 'abc')).toBe(true);
    expect(pythonReMatch('a|b', 'xb')).toBe(false);
  });

  test('named groups and named backreferences', () => {
    expect(translatePythonRegex('(?P<word>a+)-(?P=word)')?.source).toBe('^(?:(?<word>a+)-(?:\\k<word>))');
    expect(pythonReMatch('(?P<word>a+)-(?P=word)$', 'aa-aa')).toBe(true);
    expect(pythonReMatch('(?P<word>a+)-(?P=word)$', 'aa-a')).toBe(false);
    expect(pythonReMatch('(?P=missing)', '')).toBe(false);
  });

  test('numbered backreferences keep Python numbering after an atomic group', () => {
    expect(pythonReMatch('(?>x)(a)\\1', 'xaa')).toBe(true);
    expect(pythonReMatch('(?>x)(a)\\1', 'xab')).toBe(false);
  });

  test('\\A and \\Z are absolute; $ also matches before a final newline', () => {
    expect(pythonReMatch('abc\\Z', 'abc\n')).toBe(false);
    expect(pythonReMatch('abc$', 'abc\n')).toBe(true);
    expect(pythonReMatch('abc$', 'abc\n\n')).toBe(false);
    expect(pythonReMatch('\\Aabc', 'abc')).toBe(true);
  });

  test('multiline ^ and $ only break lines at \\n', () => {
    expect(pythonReMatch('(?m)a$', 'a\nb')).toBe(true);
    expect(pythonReMatch('(?m)a$', 'a\rb')).toBe(false);
    expect(pythonReMatch('(?m).*^b', 'a\nb')).toBe(false);
    expect(pythonReMatch('(?m)(?s).*^b', 'a\nb')).toBe(true);
  });

  test('. excludes only \\n unless DOTALL', () => {
    expect(pythonReMatch('a.b', 'a\rb')).toBe(true);
    expect(pythonReMatch('a.b', 'a\nb')).toBe(false);
    expect(pythonReMatch('(?s)a.b', 'a\nb')).toBe(true);
  });

  test('\\d, \\w, \\s and \\b are Unicode-aware; (?a) makes them ASCII', () => {
    expect(pythonReMatch('\\d+$', '٣٤')).toBe(true);
    expect(pythonReMatch('(?a)\\d', '٣')).toBe(false);
    expect(pythonReMatch('\\w+$', 'straße')).toBe(true);
    expect(pythonReMatch('(?a)\\w+$', 'straße')).toBe(false);
    expect(pythonReMatch('\\s', '\x1c')).toBe(true);
    expect(pythonReMatch('\\s', '\ufeff')).toBe(false);
    expect(pythonReMatch('é\\b', 'éa')).toBe(false);
    expect(pythonReMatch('[\\W\\d]+$', '-5!')).toBe(true);
    expect(pythonReMatch('[^\\W\\d]+$', 'ab5')).toBe(false);
  });

  test('Python escapes and quantifier forms', () => {
    expect(pythonReMatch('\\101\\x42\\u0043', 'ABC')).toBe(true);
    expect(pythonReMatch('a{,2}b$', 'aab')).toBe(true);
    expect(pythonReMatch('a{}', 'a{}')).toBe(true);
    expect(pythonReMatch('[]a]+$', ']a]')).toBe(true);
    expect(pythonReMatch('(?x) a b  # comment', 'ab')).toBe(true);
    expect(pythonReMatch('(?#note)a', 'a')).toBe(true);
  });

  test('atomic groups, possessive quantifiers and repeated lookarounds', () => {
    expect(pythonReMatch('(?>a+)a', 'aaa')).toBe(false);
    expect(pythonReMatch('a++a', 'aaa')).toBe(false);
    expect(pythonReMatch('a*+b', 'aab')).toBe(true);
    expect(pythonReMatch('(?=a)*a', 'a')).toBe(true);
  });

  test('invalid patterns are false, not errors', () => {
    expect(pythonReMatch('[', 'anything')).toBe(false);
    expect(pythonReMatch('(?<name>a)', 'a')).toBe(false); // not Python syntax
    expect(translatePythonRegex('\\q')).toBeUndefined();
  });

  test('compiled patterns are reused', () => {
    const spy = jest.spyOn(globalThis, 'RegExp');
    const pattern = 'cache-check-[0-9]+';
    expect(pythonReMatch(pattern, 'cache-check-1')).toBe(true);
    const calls = spy.mock.calls.filter(([source]) => String(source).includes('cache-check')).length;
    expect(pythonReMatch(pattern, 'cache-check-2')).toBe(true);
    expect(pythonReMatch(pattern, 'nope')).toBe(false);
    expect(spy.mock.calls.filter(([source]) => String(source).includes('cache-check')).length).toBe(calls);
    expect(calls).toBe(1);
    spy.mockRestore();
  });
});
