// Resolving condition properties: traits, "$." JSONPath with the literal-trait-first rule, and Python coercion.

import { EvaluationState, coerceContextValue, resolveContextValue } from '../../../api/src/engine/context-values';
import { compileJsonPath, walkPath } from '../../../api/src/engine/jsonpath';
import { parseEvaluationContext } from '../../../api/src/engine';
import type { EvaluationContext } from '../../../api/src/engine';
import { PyFloat, pyFloat } from '../../../api/src/engine/values';

function stateOf(context: EvaluationContext): EvaluationState {
  const identity = context.identity;
  const key = identity ? (identity.key ?? `${context.environment.key}_${identity.identifier}`) : undefined;
  const root = identity && !identity.key ? { ...context, identity: { ...identity, key } } : context;
  return new EvaluationState(root, key);
}

const context = parseEvaluationContext(`{
  "environment": {"key": "env-key", "name": "Production"},
  "identity": {"identifier": "user-1", "traits": {
    "plan": "pro", "age": "42", "score": 5.0, "$.identity.identifier": "literal trait",
    "tamaño": "grande", "a b": "spaced", "nothing": null, "$.environment.name": null, "tags": ["a", 1]
  }},
  "features": {"f": {"key": "1", "name": "f", "enabled": true, "value": 2.0, "metadata": {"weights": [1.5, 2.0]}}},
  "segments": {}
}`);
const state = stateOf(context);
const resolve = (property: string) => resolveContextValue(state, property);

describe('coercion of string values (Python map_any_value_to_context_value)', () => {
  test.each([
    ['42', 42],
    ['0042', 42],
    ['-7', -7],
    ['-0', 0],
    ['1.50', 1.5],
    ['-0.25', -0.25],
  ])('%j becomes %p', (text, value) => {
    expect(coerceContextValue(text)).toBe(value);
  });

  test('a whole float string stays a float', () => {
    expect(coerceContextValue('1.0')).toEqual(pyFloat(1));
    expect(coerceContextValue('1.0')).toBeInstanceOf(PyFloat);
  });

  test('ints beyond 2^53 stay exact', () => {
    expect(coerceContextValue('123456789012345678901')).toBe(123456789012345678901n);
  });

  test.each(['1e3', ' 42', '42 ', '+42', '1.', '.5', '1_000', '٣', '1.2.3', 'abc', ''])('%j stays a string', (text) => {
    expect(coerceContextValue(text)).toBe(text);
  });

  test('other primitives stay; lists and objects become their Python str()', () => {
    expect(coerceContextValue(true)).toBe(true);
    expect(coerceContextValue(3.5)).toBe(3.5);
    expect(coerceContextValue(null)).toBeNull();
    expect(coerceContextValue(undefined)).toBeNull();
    expect(coerceContextValue(['a', 1])).toBe("['a', 1]");
  });
});

describe('traits', () => {
  test('by key, coerced', () => {
    expect(resolve('plan')).toBe('pro');
    expect(resolve('age')).toBe(42);
    expect(resolve('score')).toEqual(pyFloat(5));
    expect(resolve('missing')).toBeNull();
    expect(resolve('nothing')).toBeNull();
    expect(resolve('tags')).toBe("['a', 1]");
  });

  test('plain-object traits work too', () => {
    const plain = stateOf({ environment: { key: 'e', name: 'E' }, identity: { identifier: 'u', traits: { n: '7', __proto__: 'x' } } });
    expect(resolveContextValue(plain, 'n')).toBe(7);
    expect(resolveContextValue(plain, 'toString')).toBeNull();
  });

  test('no identity means no traits', () => {
    expect(resolveContextValue(stateOf({ environment: { key: 'e', name: 'E' } }), 'plan')).toBeNull();
  });
});

describe('"$." properties', () => {
  test('documented paths', () => {
    expect(resolve('$.identity.identifier')).toBe('literal trait'); // a trait of that literal name wins
    expect(resolve('$.environment.name')).toBe('Production'); // the null trait of that name does not
    expect(resolve('$.environment.key')).toBe('env-key');
    expect(resolve('$.identity.key')).toBe('env-key_user-1'); // the derived key is visible
  });

  test('traits by path, with bracket and unicode names', () => {
    expect(resolve('$.identity.traits.plan')).toBe('pro');
    expect(resolve("$.identity.traits['a b']")).toBe('spaced');
    expect(resolve('$.identity.traits.tamaño')).toBe('grande');
    expect(resolve('$.identity.traits.age')).toBe(42);
  });

  test('a path to an object or a list is not set', () => {
    expect(resolve('$.identity')).toBeNull();
    expect(resolve('$.identity.traits')).toBeNull();
    expect(resolve('$.features')).toBeNull();
  });

  test('paths that find nothing are not set', () => {
    expect(resolve('$.identity.traits.unknown')).toBeNull();
    expect(resolve('$.environment.name.length')).toBeNull();
  });

  test('indexes, wildcards and filters (general queries) keep floats as floats', () => {
    expect(resolve('$.features.f.metadata.weights[1]')).toEqual(pyFloat(2));
    expect(resolve('$.features.f.metadata.weights[-2]')).toEqual(pyFloat(1.5));
    expect(resolve('$.features.*.value')).toEqual(pyFloat(2));
    expect(resolve('$..weights[0]')).toEqual(pyFloat(1.5));
    expect(resolve("$.features[?@.name == 'f'].key")).toBe(1); // "1" coerced to an int
  });

  test('an invalid JSONPath is just a trait name', () => {
    const s = stateOf({ environment: { key: 'e', name: 'E' }, identity: { identifier: 'u', traits: new Map([['$.a b', 'yes']]) } });
    expect(compileJsonPath('$.a b')).toBeNull();
    expect(resolveContextValue(s, '$.a b')).toBe('yes');
    expect(resolveContextValue(s, '$.')).toBeNull();
  });
});

test('compiled paths are cached and simple chains need no query engine', () => {
  const compiled = compileJsonPath("$.identity.traits['x'][0]");
  expect(compiled).toEqual({ kind: 'steps', steps: ['identity', 'traits', 'x', 0] });
  expect(compileJsonPath("$.identity.traits['x'][0]")).toBe(compiled);
  expect(compileJsonPath('$..x')).toEqual({ kind: 'query', expression: '$..x' });
  expect(walkPath({ a: new Map([['b', [1, 2]]]) }, ['a', 'b', -1])).toBe(2);
  expect(walkPath({ a: 1 }, ['a', 'b'])).toBeUndefined();
});
