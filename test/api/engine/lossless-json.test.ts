// The lossless reader/writer and parseEvaluationContext: key order, 5 vs 5.0, big ints, errors.

import {
  PyFloat,
  parseEvaluationContext,
  parseJson,
  pyFloat,
  stringifyJson,
  stripLineComments,
  toEvaluationContext,
  toPlainValue,
} from '../../../api/src/engine';
import type { FeatureContext } from '../../../api/src/engine';

describe('parseJson', () => {
  test('objects keep source order, integer-like keys included', () => {
    const value = parseJson('{"16": 1, "17": 2, "381942": 3, "4267": 4, "b": 5, "a": 6}') as Map<string, unknown>;
    expect(value).toBeInstanceOf(Map);
    expect([...value.keys()]).toEqual(['16', '17', '381942', '4267', 'b', 'a']);
    expect(Object.keys(JSON.parse('{"381942": 3, "16": 1}'))).toEqual(['16', '381942']); // what JSON.parse does
  });

  test('numbers with a fraction or exponent are floats; others ints', () => {
    const [int, float, exp, neg, fraction] = parseJson('[5, 5.0, 5e0, -0, 2.5]') as unknown[];
    expect(int).toBe(5);
    expect(float).toEqual(pyFloat(5));
    expect(float).toBeInstanceOf(PyFloat);
    expect(exp).toEqual(pyFloat(5));
    expect(neg).toBe(-0);
    expect(fraction).toEqual(pyFloat(2.5));
  });

  test('ints beyond 2^53 are exact bigints', () => {
    expect(parseJson('12345678901234567890')).toBe(12345678901234567890n);
    expect(parseJson('9007199254740991')).toBe(9007199254740991);
  });

  test("Python's NaN and Infinity extensions", () => {
    const [nan, inf, ninf] = parseJson('[NaN, Infinity, -Infinity]') as PyFloat[];
    expect(nan.value).toBeNaN();
    expect(inf.value).toBe(Infinity);
    expect(ninf.value).toBe(-Infinity);
  });

  test('strings and escapes', () => {
    expect(parseJson('"a\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00"')).toBe('a"b\\c/d\né😀');
    expect(parseJson('"tamaño サイズ"')).toBe('tamaño サイズ');
  });

  test('a repeated key keeps its first position and its last value', () => {
    const value = parseJson('{"a": 1, "b": 2, "a": 3}') as Map<string, unknown>;
    expect([...value.entries()]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  test.each(['', '{', '[1,]', '{"a":1,}', '01', '1.', '.5', '+1', '"\u0001"', '"abc', "'a'", 'tru', '{"a" 1}', '[1 2]', '1 2', '"\\x"', '"\\u12"', '-'])(
    '%j is rejected',
    (text) => {
      expect(() => parseJson(text)).toThrow(SyntaxError);
    },
  );

  test('errors say where', () => {
    expect(() => parseJson('[1, 2,, 3]')).toThrow(/position 6/);
  });
});

describe('stringifyJson', () => {
  test('writes Python number forms and keeps Map order', () => {
    const value = new Map<string, unknown>([
      ['381942', pyFloat(5)],
      ['16', [1, 2.5, pyFloat(1e16), 12345678901234567890n, 1e21]],
      ['s', 'é"'],
      ['n', null],
      ['b', true],
    ]);
    expect(stringifyJson(value)).toBe('{"381942":5.0,"16":[1,2.5,1e+16,12345678901234567890,1000000000000000000000],"s":"é\\"","n":null,"b":true}');
  });

  test('round-trips what it reads', () => {
    const text = '{"b":[1,2.0,3.5,-0.0,NaN,Infinity],"a":{"16":true,"2":null}}';
    expect(stringifyJson(parseJson(text))).toBe(text);
  });
});

test('stripLineComments drops // lines only', () => {
  const text = '// Given\n{\n  // When\n  "url": "http://x"\n}\n';
  expect(parseJson(stripLineComments(text))).toEqual(new Map([['url', 'http://x']]));
});

test('toPlainValue gives JSON.stringify-able values', () => {
  const plain = toPlainValue(parseJson('{"a": [5.0, 2], "__proto__": 1}'));
  expect(JSON.stringify(plain)).toBe('{"a":[5,2],"__proto__":1}');
});

describe('parseEvaluationContext', () => {
  const text = `{
    "environment": {"key": "k", "name": "n"},
    "identity": {"identifier": "u", "traits": {"b": 1, "a": 2.0}},
    "features": {"f2": {"key": "2", "name": "f2", "enabled": true, "value": 1.0},
                 "f1": {"key": 1, "name": "f1", "enabled": false, "value": null, "extra": "ignored",
                        "variants": [{"value": "v", "weight": 30.0, "priority": 340282366920938463463374607431768211455, "key": "k1"}]}},
    "segments": {"381942": {"key": "381942", "name": "late", "rules": []}, "16": {"key": "16", "name": "early", "rules": []}}
  }`;

  test('keeps order and float-ness in Maps', () => {
    const context = parseEvaluationContext(text);
    expect([...(context.features as Map<string, unknown>).keys()]).toEqual(['f2', 'f1']);
    expect([...(context.segments as Map<string, unknown>).keys()]).toEqual(['381942', '16']);
    const traits = context.identity?.traits as Map<string, unknown>;
    expect([...traits.entries()]).toEqual([
      ['b', 1],
      ['a', pyFloat(2)],
    ]);
    const f1 = (context.features as Map<string, FeatureContext>).get('f1');
    expect(f1?.key).toBe('1'); // integer ids are accepted as their text
    expect(f1?.variants?.[0].weight).toEqual(pyFloat(30));
    expect(f1?.variants?.[0].priority).toBe(340282366920938463463374607431768211455n);
    expect(context.identity?.key).toBeNull();
  });

  test('accepts an engine-test-data case and uses its context', () => {
    const context = parseEvaluationContext(`{"context": ${text}, "result": {}}`);
    expect(context.environment).toEqual({ key: 'k', name: 'n' });
  });

  test('accepts JSON.parse output too (plain objects)', () => {
    const context = toEvaluationContext(JSON.parse('{"environment": {"key": "k", "name": "n"}, "identity": null}'));
    expect(context.identity).toBeNull();
    expect(context.features).toBeNull();
  });

  test.each([
    ['{"identity": {"identifier": "u"}}', /\$\.environment: expected an object/],
    ['{"environment": {"name": "n"}}', /\$\.environment\.key: expected a string/],
    ['{"environment": {"key": "k"}, "features": {"f": {"key": "1", "name": "f", "enabled": "yes"}}}', /\$\.features\["f"\]\.enabled/],
    ['{"environment": {"key": "k"}, "segments": {"1": {"key": "1", "name": "s", "rules": {}}}}', /rules: expected a list/],
    ['[]', /\$: expected an object/],
  ])('rejects a bad shape: %s', (json, message) => {
    expect(() => parseEvaluationContext(json)).toThrow(message);
  });
});
