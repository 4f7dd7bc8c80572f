// Python built-in semantics; expected values were printed by CPython 3.11.

import {
  comparePyStr,
  parsePyFloat,
  parsePyInt,
  pyFloatMod,
  pyRepr,
  pyStr,
  pyStrip,
  pyTruthy,
} from '../../../api/src/engine/python';
import { PyFloat, isFloat, isInt, pyFloat, pyFloatRepr, pyIntStr } from '../../../api/src/engine/values';

describe('repr(float)', () => {
  test.each([
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [0.0001, '0.0001'],
    [1.5e-5, '1.5e-05'],
    [-0, '-0.0'],
    [0, '0.0'],
    [123456789012345678, '1.2345678901234568e+17'],
    [0.1 + 0.2, '0.30000000000000004'],
    [5, '5.0'],
    [1e22, '1e+22'],
    [2.5e-300, '2.5e-300'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '5e-324'],
    [100, '100.0'],
    [12.34, '12.34'],
    [-54.54, '-54.54'],
    [1234567890123456.7, '1234567890123456.8'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('%p -> %s', (x, text) => {
    expect(pyFloatRepr(x)).toBe(text);
  });
});

describe('str()', () => {
  test('Python forms of scalars', () => {
    expect(pyStr(true)).toBe('True');
    expect(pyStr(false)).toBe('False');
    expect(pyStr(null)).toBe('None');
    expect(pyStr(undefined)).toBe('None');
    expect(pyStr(35)).toBe('35');
    expect(pyStr(pyFloat(35))).toBe('35.0');
    expect(pyStr(35.5)).toBe('35.5');
    expect(pyStr('text')).toBe('text');
    expect(pyStr(12345678901234567890n)).toBe('12345678901234567890');
  });

  test('ints never use exponent notation', () => {
    expect(pyIntStr(10 ** 21)).toBe('1000000000000000000000');
    expect(pyStr(-0)).toBe('0');
  });

  test('lists and dicts print their repr', () => {
    const value = [1, pyFloat(2), 'a', true, null, new Map([['k', "it's"]])];
    expect(pyStr(value)).toBe(`[1, 2.0, 'a', True, None, {'k': "it's"}]`);
    expect(pyStr({ a: [1] })).toBe(`{'a': [1]}`);
  });

  test('repr of strings picks quotes and escapes like Python', () => {
    expect(pyRepr("a'b")).toBe(`"a'b"`);
    expect(pyRepr(`a"b'c`)).toBe(`'a"b\\'c'`);
    expect(pyRepr('tab\there\x01é\u2028')).toBe(`'tab\\there\\x01é\\u2028'`);
  });
});

describe('int()', () => {
  test.each([
    [' 42 ', 42],
    ['+5', 5],
    ['-7', -7],
    ['0042', 42],
    ['-0', 0],
    ['1_000', 1000],
    ['٣٤', 34],
    ['١_٢', 12],
    ['𝟗', 9],
  ])('int(%p) = %p', (s, n) => {
    expect(parsePyInt(s)).toBe(n);
  });

  test('big values are exact bigints', () => {
    expect(parsePyInt('99999999999999999999')).toBe(99999999999999999999n);
  });

  test.each(['5.5', 'abc', '', '1__0', '_1', '1_', '0x10', '1e3', 'inf'])('int(%p) raises', (s) => {
    expect(parsePyInt(s)).toBeUndefined();
  });
});

describe('float()', () => {
  test.each([
    ['1e3', 1000],
    [' .5 ', 0.5],
    ['5.', 5],
    ['1_0.5', 10.5],
    ['-Infinity', -Infinity],
    ['inf', Infinity],
    ['١.٥', 1.5],
    ['42', 42],
  ])('float(%p) = %p', (s, x) => {
    expect(parsePyFloat(s)).toBe(x);
  });

  test('nan in any case', () => {
    expect(parsePyFloat('nAn')).toBeNaN();
  });

  test.each(['abc', '', '1e', 'e5', '1.2.3', 'in f', 'infinit', '1_', '--1'])('float(%p) raises', (s) => {
    expect(parsePyFloat(s)).toBeUndefined();
  });
});

test('strip uses Python whitespace, not JS trim', () => {
  expect(pyStrip('\x1c 7 \x85')).toBe('7');
  expect(pyStrip('\ufeff7')).toBe('\ufeff7'); // JS trim() would remove the BOM
});

describe('float %', () => {
  test.each([
    [-7, 3, 2],
    [7, -3, -2],
    [-7.5, 2, 0.5],
    [7, 3, 1],
    [35, 4, 3],
    [-35, 4, 1],
    [5.5, 2.5, 0.5],
  ])('%p %% %p = %p (sign of the divisor)', (x, y, r) => {
    expect(pyFloatMod(x, y)).toBe(r);
  });

  test('a zero result takes the sign of the divisor', () => {
    expect(Object.is(pyFloatMod(-6, 3), 0)).toBe(true);
    expect(Object.is(pyFloatMod(6, -3), -0)).toBe(true);
  });
});

test('str ordering is by code point, not UTF-16 unit', () => {
  expect(['\u{1F600}', '\uffff', 'a'].sort(comparePyStr)).toEqual(['a', '\uffff', '\u{1F600}']);
  expect(comparePyStr('10', '9')).toBeLessThan(0);
  expect(comparePyStr('ab', 'a')).toBeGreaterThan(0);
  expect(comparePyStr('same', 'same')).toBe(0);
});

test('truthiness', () => {
  expect([null, undefined, false, '', 0, 0n, pyFloat(0), [], new Map(), {}].map(pyTruthy)).toEqual(Array(10).fill(false));
  expect([true, 'x', 1, NaN, pyFloat(0.5), [0], new Map([['a', 1]]), { a: 1 }].map(pyTruthy)).toEqual(Array(8).fill(true));
});

test('the int/float convention', () => {
  expect(isFloat(5)).toBe(false);
  expect(isFloat(5.5)).toBe(true);
  expect(isFloat(pyFloat(5))).toBe(true);
  expect(isFloat(NaN)).toBe(true);
  expect(isInt(5)).toBe(true);
  expect(isInt(5n)).toBe(true);
  expect(isInt(pyFloat(5))).toBe(false);
  expect(pyFloat(5)).toBeInstanceOf(PyFloat);
  expect(String(pyFloat(5))).toBe('5.0');
  expect(JSON.stringify({ x: pyFloat(5) })).toBe('{"x":5}');
});
