// Every condition operator with the Python engine's semantics (FLAGSMITH-COMPAT.md §2.5).

import { getHashedPercentageForObjectIds } from '../../../api/src/engine/hashing';
import { inValues } from '../../../api/src/engine/operators';
import { pyFloat, pyFloatRepr } from '../../../api/src/engine/values';
import { matches } from './helpers';

const is = (traits: Record<string, unknown>, operator: string, value: unknown, property = 'x') =>
  matches(traits, { property, operator, value: value as never });

describe('EQUAL / NOT_EQUAL cast the condition value to the trait type', () => {
  test('str', () => {
    expect(is({ x: 'abc' }, 'EQUAL', 'abc')).toBe(true);
    expect(is({ x: 'abc' }, 'EQUAL', 'ABC')).toBe(false);
    expect(is({ x: 'abc' }, 'NOT_EQUAL', 'ABC')).toBe(true);
  });

  test('int: int() of the condition; a failed cast is false, NOT_EQUAL included', () => {
    expect(is({ x: 5 }, 'EQUAL', '5')).toBe(true);
    expect(is({ x: 5 }, 'EQUAL', ' 5 ')).toBe(true);
    expect(is({ x: 5 }, 'NOT_EQUAL', '6')).toBe(true);
    expect(is({ x: 5 }, 'EQUAL', '5.0')).toBe(false);
    expect(is({ x: 5 }, 'NOT_EQUAL', '5.5')).toBe(false);
    expect(is({ x: 5 }, 'NOT_EQUAL', 'abc')).toBe(false);
    expect(is({ x: 1 }, 'EQUAL', 'true')).toBe(false);
  });

  test('float: float() of the condition', () => {
    expect(is({ x: pyFloat(5) }, 'EQUAL', '5')).toBe(true);
    expect(is({ x: pyFloat(5) }, 'EQUAL', '5.0')).toBe(true);
    expect(is({ x: 5.5 }, 'EQUAL', '5.5')).toBe(true);
    expect(is({ x: pyFloat(5) }, 'NOT_EQUAL', '5.5')).toBe(true);
    expect(is({ x: 5.5 }, 'NOT_EQUAL', 'abc')).toBe(false);
    expect(is({ x: 1.5 }, 'EQUAL', '1.5e0')).toBe(true);
  });

  test('bool: anything but "False"/"false" is True', () => {
    expect(is({ x: true }, 'EQUAL', 'true')).toBe(true);
    expect(is({ x: true }, 'EQUAL', '1')).toBe(true);
    expect(is({ x: true }, 'EQUAL', 'yes')).toBe(true);
    expect(is({ x: false }, 'EQUAL', 'False')).toBe(true);
    expect(is({ x: false }, 'EQUAL', 'false')).toBe(true);
    expect(is({ x: false }, 'EQUAL', 'FALSE')).toBe(false);
    expect(is({ x: false }, 'EQUAL', '0')).toBe(false);
    expect(is({ x: true }, 'NOT_EQUAL', 'false')).toBe(true);
  });

  test('numeric-looking string traits compare as numbers', () => {
    expect(is({ x: '42' }, 'EQUAL', '042')).toBe(true);
    expect(is({ x: '1.50' }, 'EQUAL', '1.5')).toBe(true);
    expect(is({ x: '1.2.3' }, 'EQUAL', '1.2.3')).toBe(true); // not a number, stays a string
  });
});

describe('non-string condition values follow int()/float()/str() on them', () => {
  test('numbers, bools and lists', () => {
    expect(is({ x: 5 }, 'EQUAL', 5)).toBe(true);
    expect(is({ x: 5 }, 'EQUAL', 5.7)).toBe(true); // int(5.7) == 5
    expect(is({ x: 5 }, 'EQUAL', pyFloat(5))).toBe(true);
    expect(is({ x: 1 }, 'EQUAL', true)).toBe(true);
    expect(is({ x: 5 }, 'EQUAL', 5n)).toBe(true);
    expect(is({ x: 5 }, 'EQUAL', null)).toBe(false); // int(None) raises
    expect(is({ x: 5 }, 'EQUAL', Infinity)).toBe(false);
    expect(is({ x: 5.5 }, 'EQUAL', 5.5)).toBe(true);
    expect(is({ x: pyFloat(1) }, 'EQUAL', true)).toBe(true);
    expect(is({ x: pyFloat(5) }, 'EQUAL', 5n)).toBe(true);
    expect(is({ x: pyFloat(5) }, 'EQUAL', pyFloat(5))).toBe(true);
    expect(is({ x: 5.5 }, 'EQUAL', ['5.5'])).toBe(false); // float([...]) raises
    expect(is({ x: 'abc' }, 'EQUAL', 5)).toBe(false);
    expect(is({ x: 'None' }, 'EQUAL', null)).toBe(true); // str(None)
    expect(is({ x: true }, 'EQUAL', false)).toBe(true); // False is not the string "False"
  });
});

describe('ordering operators', () => {
  test('ints and floats', () => {
    expect(is({ x: 10 }, 'GREATER_THAN', '9')).toBe(true);
    expect(is({ x: 10 }, 'GREATER_THAN', '10')).toBe(false);
    expect(is({ x: 10 }, 'GREATER_THAN_INCLUSIVE', '10')).toBe(true);
    expect(is({ x: 10 }, 'LESS_THAN', '11')).toBe(true);
    expect(is({ x: 10 }, 'LESS_THAN_INCLUSIVE', '10')).toBe(true);
    expect(is({ x: 10 }, 'LESS_THAN', '10.5')).toBe(false); // int("10.5") fails
    expect(is({ x: 10.25 }, 'LESS_THAN', '10.5')).toBe(true);
    expect(is({ x: 10.25 }, 'GREATER_THAN', 'nan')).toBe(false);
  });

  test('"10" > "9" after coercion, unlike a string comparison', () => {
    expect(is({ x: '10' }, 'GREATER_THAN', '9')).toBe(true);
    expect(is({ x: 'b10' }, 'GREATER_THAN', 'b9')).toBe(false);
    expect(is({ x: 'b' }, 'GREATER_THAN', 'a')).toBe(true);
  });

  test('big ints compare exactly', () => {
    expect(is({ x: 12345678901234567891n }, 'GREATER_THAN', '12345678901234567890')).toBe(true);
    expect(is({ x: '12345678901234567891' }, 'EQUAL', '12345678901234567890')).toBe(false);
  });

  test('bools order as 0 and 1', () => {
    expect(is({ x: true }, 'GREATER_THAN', 'false')).toBe(true);
    expect(is({ x: false }, 'LESS_THAN', 'true')).toBe(true);
  });
});

describe('semver', () => {
  test('compares by SemVer precedence when the condition ends in :semver', () => {
    expect(is({ x: '1.2.3' }, 'EQUAL', '1.2.3:semver')).toBe(true);
    expect(is({ x: '1.10.0' }, 'GREATER_THAN', '1.9.0:semver')).toBe(true);
    expect(is({ x: '1.0.0-beta' }, 'LESS_THAN', '1.0.0:semver')).toBe(true);
    expect(is({ x: '1.0.0-beta.11' }, 'GREATER_THAN', '1.0.0-beta.2:semver')).toBe(true);
    expect(is({ x: '1.0.0+build' }, 'EQUAL', '1.0.0:semver')).toBe(true);
    expect(is({ x: '1.2.3' }, 'NOT_EQUAL', '1.2.4:semver')).toBe(true);
  });

  test('invalid versions and non-string traits are false', () => {
    expect(is({ x: 'v1.2.3' }, 'EQUAL', '1.2.3:semver')).toBe(false);
    expect(is({ x: '1.2.3' }, 'NOT_EQUAL', 'bad:semver')).toBe(false);
    expect(is({ x: '1.0' }, 'EQUAL', '1.0.0:semver')).toBe(false); // "1.0" is a float trait
    expect(is({ x: 1 }, 'GREATER_THAN', '0.1.0:semver')).toBe(false);
    expect(is({ x: '1.2.3' }, 'CONTAINS', '1.2.3:semver')).toBe(false);
  });
});

describe('CONTAINS / NOT_CONTAINS work on strings only', () => {
  test('CONTAINS', () => {
    expect(is({ x: 'hello world' }, 'CONTAINS', 'lo w')).toBe(true);
    expect(is({ x: 'hello' }, 'CONTAINS', 'xyz')).toBe(false);
    expect(is({ x: 123 }, 'CONTAINS', '2')).toBe(false);
    expect(is({ x: '123' }, 'CONTAINS', '2')).toBe(false); // coerced to an int first
    expect(is({ x: true }, 'CONTAINS', 'True')).toBe(false);
  });

  test('NOT_CONTAINS', () => {
    expect(is({ x: 'hello' }, 'NOT_CONTAINS', 'xyz')).toBe(true);
    expect(is({ x: 'hello' }, 'NOT_CONTAINS', 'ell')).toBe(false);
    expect(is({ x: 42 }, 'NOT_CONTAINS', 'x')).toBe(false);
    expect(is({ x: '42' }, 'NOT_CONTAINS', 'x')).toBe(false);
    expect(is({}, 'NOT_CONTAINS', 'x')).toBe(false);
  });
});

describe('REGEX', () => {
  test('re.match on Python str() of the value: anchored at the start only', () => {
    expect(is({ x: 'abc-123' }, 'REGEX', '[a-z]+-\\d+')).toBe(true);
    expect(is({ x: 'xabc' }, 'REGEX', 'abc')).toBe(false);
    expect(is({ x: 'abcx' }, 'REGEX', 'abc')).toBe(true);
    expect(is({ x: true }, 'REGEX', 'True$')).toBe(true);
    expect(is({ x: pyFloat(35) }, 'REGEX', '35\\.0$')).toBe(true);
    expect(is({ x: '035' }, 'REGEX', '35$')).toBe(true); // "035" is the int 35
    expect(is({ x: 'abc' }, 'REGEX', '(?P<first>a)(?P=first)?b')).toBe(true);
  });

  test('an invalid pattern is false', () => {
    expect(is({ x: 'abc' }, 'REGEX', '(unclosed')).toBe(false);
    expect(is({ x: 'abc' }, 'REGEX', '\\q')).toBe(false);
  });
});

describe('MODULO', () => {
  test('Python % with the divisor sign', () => {
    expect(is({ x: 35 }, 'MODULO', '4|3')).toBe(true);
    expect(is({ x: pyFloat(35) }, 'MODULO', '4|3')).toBe(true);
    expect(is({ x: -7 }, 'MODULO', '3|2')).toBe(true); // JS -7 % 3 is -1
    expect(is({ x: -7 }, 'MODULO', '3|-1')).toBe(false);
    expect(is({ x: 7 }, 'MODULO', '-3|-2')).toBe(true);
    expect(is({ x: 7.5 }, 'MODULO', '2|1.5')).toBe(true);
    expect(is({ x: '10' }, 'MODULO', '5|0')).toBe(true);
  });

  test('bools are 0 and 1', () => {
    expect(is({ x: true }, 'MODULO', '2|1')).toBe(true);
    expect(is({ x: false }, 'MODULO', '2|0')).toBe(true);
  });

  test('bad input is false', () => {
    expect(is({ x: 6 }, 'MODULO', '0|0')).toBe(false);
    expect(is({ x: 6 }, 'MODULO', '')).toBe(false);
    expect(is({ x: 6 }, 'MODULO', '3')).toBe(false);
    expect(is({ x: 6 }, 'MODULO', '3|0|0')).toBe(false);
    expect(is({ x: 6 }, 'MODULO', 'a|0')).toBe(false);
    expect(is({ x: 'dummy' }, 'MODULO', '3|0')).toBe(false);
    expect(is({ x: '1.2.3' }, 'MODULO', '3|0')).toBe(false);
  });
});

describe('IN', () => {
  test('a list of strings', () => {
    expect(is({ x: 'b' }, 'IN', ['a', 'b'])).toBe(true);
    expect(is({ x: 'c' }, 'IN', ['a', 'b'])).toBe(false);
    expect(is({ x: 1 }, 'IN', ['1', '2'])).toBe(true);
  });

  test('a JSON array in a string, elements turned into Python str()', () => {
    expect(is({ x: 'b' }, 'IN', '["a", "b"]')).toBe(true);
    expect(is({ x: 2 }, 'IN', '[1, 2, 3]')).toBe(true);
    expect(is({ x: 'True' }, 'IN', '[true]')).toBe(true);
    expect(is({ x: 'x,y' }, 'IN', '["x,y"]')).toBe(true); // a JSON list is not split on commas
    expect(is({ x: 'x' }, 'IN', '["x,y"]')).toBe(false);
    expect([...inValues('[1, 2.0, null]')]).toEqual(['1', '2.0', 'None']);
  });

  test('otherwise a comma split without trimming', () => {
    expect(is({ x: 'b' }, 'IN', 'a,b,c')).toBe(true);
    expect(is({ x: 'b' }, 'IN', 'a, b')).toBe(false);
    expect(is({ x: ' b' }, 'IN', 'a, b')).toBe(true);
    expect(is({ x: 'ab' }, 'IN', 'a,b')).toBe(false);
    expect(is({ x: '[a' }, 'IN', '[a,b')).toBe(true); // invalid JSON falls back to the split
    expect(is({ x: '{"a": 1}' }, 'IN', '{"a": 1}')).toBe(true); // JSON, but not a list
  });

  test('ints match by decimal text; floats and bools never match', () => {
    expect(is({ x: 42 }, 'IN', '41,42')).toBe(true);
    expect(is({ x: '0042' }, 'IN', '42')).toBe(true);
    expect(is({ x: 2.5 }, 'IN', '2.5')).toBe(false);
    expect(is({ x: '2.5' }, 'IN', '2.5')).toBe(false);
    expect(is({ x: pyFloat(2) }, 'IN', ['2.0', '2'])).toBe(false);
    expect(is({ x: true }, 'IN', 'True,true,1')).toBe(false);
    expect(is({}, 'IN', 'None')).toBe(false);
  });
});

describe('IS_SET / IS_NOT_SET', () => {
  test('null and missing traits are not set', () => {
    expect(is({ x: 'v' }, 'IS_SET', '')).toBe(true);
    expect(is({ x: '' }, 'IS_SET', '')).toBe(true);
    expect(is({ x: false }, 'IS_SET', '')).toBe(true);
    expect(is({}, 'IS_SET', '')).toBe(false);
    expect(is({ x: null }, 'IS_SET', '')).toBe(false);
    expect(is({}, 'IS_NOT_SET', '')).toBe(true);
    expect(is({ x: 0 }, 'IS_NOT_SET', '')).toBe(false);
  });
});

describe('a missing value fails every other operator', () => {
  test.each(['EQUAL', 'NOT_EQUAL', 'GREATER_THAN', 'LESS_THAN_INCLUSIVE', 'CONTAINS', 'NOT_CONTAINS', 'REGEX', 'MODULO', 'IN'])(
    '%s',
    (operator) => {
      expect(is({}, operator, operator === 'MODULO' ? '2|0' : '.*')).toBe(false);
    },
  );

  test('unknown operators never match', () => {
    expect(is({ x: 'a' }, 'STARTS_WITH', 'a')).toBe(false);
  });
});

describe('PERCENTAGE_SPLIT', () => {
  // segmentContext(): segment key "1", environment "env", identifier "user" -> identity key "env_user"
  const identityHash = getHashedPercentageForObjectIds(['1', 'env_user']);

  test('without a property it splits on the identity key, inclusive of the threshold', () => {
    expect(is({}, 'PERCENTAGE_SPLIT', pyFloatRepr(identityHash), '')).toBe(true);
    expect(is({}, 'PERCENTAGE_SPLIT', pyFloatRepr(identityHash - 1e-9), '')).toBe(false);
    expect(is({}, 'PERCENTAGE_SPLIT', '100', '')).toBe(true);
    expect(is({}, 'PERCENTAGE_SPLIT', '0', '')).toBe(identityHash === 0);
  });

  test('with a property it splits on the value, which must be set', () => {
    const companyHash = getHashedPercentageForObjectIds(['1', 'acme']);
    expect(is({ company: 'acme' }, 'PERCENTAGE_SPLIT', pyFloatRepr(companyHash), 'company')).toBe(true);
    expect(is({ company: 'acme' }, 'PERCENTAGE_SPLIT', pyFloatRepr(companyHash - 1e-9), 'company')).toBe(false);
    expect(is({}, 'PERCENTAGE_SPLIT', '100', 'company')).toBe(false);
  });

  test('the value is hashed as Python str(): 5 and 5.0 differ', () => {
    const intHash = getHashedPercentageForObjectIds(['1', '5']);
    const floatHash = getHashedPercentageForObjectIds(['1', '5.0']);
    expect(intHash).not.toBe(floatHash);
    expect(is({ n: 5 }, 'PERCENTAGE_SPLIT', pyFloatRepr(intHash), 'n')).toBe(true);
    expect(is({ n: pyFloat(5) }, 'PERCENTAGE_SPLIT', pyFloatRepr(floatHash), 'n')).toBe(true);
    expect(is({ n: pyFloat(5) }, 'PERCENTAGE_SPLIT', pyFloatRepr(Math.min(intHash, floatHash) - 1e-9), 'n')).toBe(false);
  });

  test('a threshold that is not a float is false', () => {
    expect(is({}, 'PERCENTAGE_SPLIT', 'fifty', '')).toBe(false);
    expect(is({}, 'PERCENTAGE_SPLIT', '', '')).toBe(false);
  });
});
