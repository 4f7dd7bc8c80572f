// The evaluation algorithm (FLAGSMITH-COMPAT.md §2.3): precedence, priorities, walk order, rules, multivariate.

import { getEvaluationResult, pyFloat, toPlainJSON } from '../../../api/src/engine';
import type { EvaluationContext, FeatureContext, SegmentContext, SegmentRule } from '../../../api/src/engine';
import { getHashedPercentageForObjectIds } from '../../../api/src/engine/hashing';
import { evaluateJson } from './helpers';

const always: SegmentRule = { type: 'ALL', conditions: [{ property: '$.environment.name', operator: 'EQUAL', value: 'Env' }] };
const never: SegmentRule = { type: 'ALL', conditions: [{ property: '$.environment.name', operator: 'EQUAL', value: 'Other' }] };

function feature(name: string, extra: Partial<FeatureContext> = {}): FeatureContext {
  return { key: `key-${name}`, name, enabled: false, value: 'default', ...extra };
}

function segment(key: string, rules: SegmentRule[], overrides: FeatureContext[] = [], extra: Partial<SegmentContext> = {}): [string, SegmentContext] {
  return [key, { key, name: `s${key}`, rules, overrides, ...extra }];
}

function context(features: FeatureContext[], segments: Array<[string, SegmentContext]>, identifier: string | null = 'user'): EvaluationContext {
  return {
    environment: { key: 'env', name: 'Env' },
    identity: identifier === null ? null : { identifier },
    features: new Map(features.map((f) => [f.name, f])),
    segments: new Map(segments),
  };
}

describe('precedence and priorities', () => {
  test('a matched segment override replaces the whole feature state', () => {
    const result = getEvaluationResult(context([feature('f')], [segment('1', [always], [feature('f', { enabled: true, value: 'on' })])]));
    expect(result.flags.get('f')).toEqual({ name: 'f', enabled: true, value: 'on', reason: 'TARGETING_MATCH; segment=s1', variant: null });
    expect(result.segments).toEqual([{ name: 's1' }]);
  });

  test('unmatched segments change nothing', () => {
    const result = getEvaluationResult(context([feature('f')], [segment('1', [never], [feature('f', { value: 'on' })])]));
    expect(result.flags.get('f')).toMatchObject({ value: 'default', reason: 'DEFAULT' });
    expect(result.segments).toEqual([]);
  });

  test('lower priority wins; ties keep the segment walked first; missing counts as +infinity', () => {
    const override = (value: string, priority?: number) => feature('f', { value, ...(priority === undefined ? {} : { priority }) });
    const pick = (...segments: Array<[string, SegmentContext]>) => getEvaluationResult(context([feature('f')], segments)).flags.get('f')?.value;
    expect(pick(segment('1', [always], [override('a', 1)]), segment('2', [always], [override('b', 0)]))).toBe('b');
    expect(pick(segment('1', [always], [override('a', 1)]), segment('2', [always], [override('b', 1)]))).toBe('a');
    expect(pick(segment('2', [always], [override('b', 1)]), segment('1', [always], [override('a', 1)]))).toBe('b');
    expect(pick(segment('1', [always], [override('a')]), segment('2', [always], [override('b', 5)]))).toBe('b');
    expect(pick(segment('1', [always], [override('a')]), segment('2', [always], [override('b')]))).toBe('a');
    expect(pick(segment('1', [always], [override('a', 0)]), segment('2', [always], [override('id', -Infinity)]))).toBe('id');
  });

  test('integer-like segment keys are walked in source order (priority ties, result.segments)', () => {
    const result = evaluateJson(`{
      "environment": {"key": "env", "name": "Env"},
      "identity": {"identifier": "user"},
      "features": {"f": {"key": "1", "name": "f", "enabled": false, "value": "default"}},
      "segments": {
        "381942": {"key": "381942", "name": "late-id", "rules": [{"type": "ALL", "conditions": []}],
                   "overrides": [{"key": "2", "name": "f", "enabled": true, "value": "from 381942", "priority": 3}]},
        "16": {"key": "16", "name": "early-id", "rules": [{"type": "ALL", "conditions": []}],
               "overrides": [{"key": "3", "name": "f", "enabled": true, "value": "from 16", "priority": 3}]},
        "4267": {"key": "4267", "name": "middle-id", "rules": [{"type": "ALL", "conditions": []}]}
      }
    }`);
    expect(result.segments.map((s) => s.name)).toEqual(['late-id', 'early-id', 'middle-id']);
    expect(result.flags.get('f')).toMatchObject({ value: 'from 381942', reason: 'TARGETING_MATCH; segment=late-id' });
  });

  test('overrides of features missing from `features` are ignored', () => {
    const result = getEvaluationResult(context([feature('f')], [segment('1', [always], [feature('ghost', { value: 'x' })])]));
    expect([...result.flags.keys()]).toEqual(['f']);
    expect(result.segments).toEqual([{ name: 's1' }]);
  });

  test('segments are evaluated without an identity too', () => {
    const result = getEvaluationResult(context([feature('f')], [segment('1', [always], [feature('f', { value: 'on' })])], null));
    expect(result.flags.get('f')).toMatchObject({ value: 'on', reason: 'TARGETING_MATCH; segment=s1', variant: null });
  });

  test('plain-object features and segments work too (in JS key order)', () => {
    const result = getEvaluationResult({
      environment: { key: 'env', name: 'Env' },
      identity: { identifier: 'user' },
      features: { f: feature('f'), g: feature('g') },
      segments: { a: { key: 'a', name: 'sa', rules: [always], overrides: [feature('g', { value: 'on' })] } },
    });
    expect([...result.flags.keys()]).toEqual(['f', 'g']);
    expect(result.flags.get('g')?.value).toBe('on');
  });

  test('priorities may be floats or 128-bit ints', () => {
    const pick = (p1: FeatureContext['priority'], p2: FeatureContext['priority']) =>
      getEvaluationResult(
        context([feature('f')], [segment('1', [always], [feature('f', { value: 'a', priority: p1 })]), segment('2', [always], [feature('f', { value: 'b', priority: p2 })])]),
      ).flags.get('f')?.value;
    expect(pick(340282366920938463463374607431768211455n, 340282366920938463463374607431768211454n)).toBe('b');
    expect(pick(1n, 2)).toBe('a');
    expect(pick(pyFloat(1), 0.5)).toBe('b');
    expect(pick(pyFloat(1), 1)).toBe('a');
  });

  test('a segment without rules never matches', () => {
    const result = getEvaluationResult(context([feature('f')], [segment('1', [], [feature('f', { value: 'on' })])]));
    expect(result.segments).toEqual([]);
    expect(result.flags.get('f')?.value).toBe('default');
  });
});

describe('multivariate', () => {
  // Flagsmith check value: hash(["78986", "test_env_foobar"]) = 54.53090618123625
  const p = 54.53090618123625;
  const mv = (variants: FeatureContext['variants'], extra: Partial<FeatureContext> = {}) =>
    getEvaluationResult({
      environment: { key: 'test_env', name: 'Env' },
      identity: { identifier: 'foobar' }, // key defaults to "test_env_foobar"
      features: new Map([['mv', { key: '78986', name: 'mv', enabled: true, value: 'control', variants, ...extra }]]),
    }).flags.get('mv');

  test('start <= p < limit, walking variants by priority', () => {
    expect(mv([{ value: 'a', weight: 30, priority: 1 }, { value: 'b', weight: 30, priority: 2 }])).toMatchObject({ value: 'b', reason: 'SPLIT; weight=30' });
    expect(mv([{ value: 'b', weight: 30, priority: 2 }, { value: 'a', weight: 30, priority: 1 }])).toMatchObject({ value: 'b' });
    expect(mv([{ value: 'edge', weight: p, priority: 1 }, { value: 'next', weight: 10, priority: 2 }])).toMatchObject({ value: 'next' });
  });

  test('variant priorities may be bigints; a missing priority sorts last', () => {
    expect(mv([{ value: 'late', weight: 30, priority: 2n ** 100n }, { value: 'early', weight: 30, priority: 2n ** 99n }])?.value).toBe('late');
    expect(mv([{ value: 'none', weight: 30 }, { value: 'one', weight: 30, priority: 1 }])?.value).toBe('none');
  });

  test('equal priorities keep their order', () => {
    expect(mv([{ value: 'x', weight: 30, priority: 1 }, { value: 'y', weight: 30, priority: 1 }])?.value).toBe('y');
    expect(mv([{ value: 'y', weight: 30, priority: 1 }, { value: 'x', weight: 30, priority: 1 }])?.value).toBe('x');
    expect(mv([{ value: 'z', weight: 30, priority: 5 }, { value: 'x', weight: 30, priority: 1 }, { value: 'y', weight: 30, priority: 1 }])?.value).toBe('y');
  });

  test('variant is the key of the picked option, null without one, "control" when none is picked', () => {
    expect(mv([{ value: 'v', weight: 60, priority: 1, key: 'variant_v' }])).toMatchObject({ value: 'v', variant: 'variant_v' });
    expect(mv([{ value: 'v', weight: 60, priority: 1 }])).toMatchObject({ value: 'v', variant: null });
    expect(mv([{ value: 'v', weight: 54.53, priority: 1, key: 'k' }])).toEqual({ name: 'mv', enabled: true, value: 'control', reason: 'DEFAULT', variant: 'control' });
  });

  test('the reason prints the weight as Python does', () => {
    expect(mv([{ value: 'v', weight: 54.54, priority: 1 }])?.reason).toBe('SPLIT; weight=54.54');
    expect(mv([{ value: 'v', weight: pyFloat(60), priority: 1 }])?.reason).toBe('SPLIT; weight=60.0');
    expect(mv([{ value: 'v', weight: 60, priority: 1 }])?.reason).toBe('SPLIT; weight=60');
  });

  test('no identity: no split, variant null', () => {
    const result = getEvaluationResult({
      environment: { key: 'test_env', name: 'Env' },
      features: new Map([['mv', { key: '78986', name: 'mv', enabled: true, value: 'control', variants: [{ value: 'v', weight: 100, priority: 1 }] }]]),
    });
    expect(result.flags.get('mv')).toEqual({ name: 'mv', enabled: true, value: 'control', reason: 'DEFAULT', variant: null });
  });

  test('a segment override splits on its own key, and SPLIT replaces TARGETING_MATCH', () => {
    // hash(["12345", "test_env_foobar"]) = 51.99 < 52 <= hash(["78986", ...]) = 54.53
    const variants = [{ value: 'picked', weight: 52, priority: 1 }];
    const override = { key: '12345', name: 'mv', enabled: true, value: 'segment control', variants };
    const result = getEvaluationResult({
      environment: { key: 'test_env', name: 'Env' },
      identity: { identifier: 'foobar' },
      features: new Map([['mv', { key: '78986', name: 'mv', enabled: true, value: 'control', variants }]]),
      segments: new Map([['1', { key: '1', name: 'seg', rules: [{ type: 'ALL' }], overrides: [override] }]]),
    });
    expect(result.flags.get('mv')).toMatchObject({ value: 'picked', reason: 'SPLIT; weight=52' });
    expect(mv(variants)).toMatchObject({ value: 'control', variant: 'control' });
  });

  test('an explicit identity key is used as given; an empty one is derived', () => {
    const run = (key: string) =>
      getEvaluationResult({
        environment: { key: 'test_env', name: 'Env' },
        identity: { identifier: 'foobar', key },
        features: new Map([['mv', { key: '78986', name: 'mv', enabled: true, value: 'c', variants: [{ value: 'v', weight: 50, priority: 1 }] }]]),
      }).flags.get('mv')?.value;
    expect(getHashedPercentageForObjectIds(['78986', '32103813'])).toBeLessThan(50);
    expect(run('32103813')).toBe('v');
    expect(run('')).toBe('c'); // test_env_foobar -> 54.53
  });
});

describe('result shape', () => {
  test('flags come out in feature order, integer-like names included', () => {
    const result = getEvaluationResult(context([feature('b'), feature('10'), feature('2')], []));
    expect([...result.flags.keys()]).toEqual(['b', '10', '2']);
    expect(toPlainJSON(result)).toMatch(/^\{"flags":\{"b":.*,"10":.*,"2":.*\},"segments":\[\]\}$/);
  });

  test('metadata is copied only when present and non-empty', () => {
    const result = getEvaluationResult(
      context(
        [feature('with', { metadata: { id: 1 } }), feature('empty', { metadata: {} }), feature('none')],
        [segment('1', [always], [], { metadata: { source: 'api' } }), segment('2', [always], [], { metadata: new Map() })],
      ),
    );
    expect(result.flags.get('with')?.metadata).toEqual({ id: 1 });
    expect(result.flags.get('empty')).not.toHaveProperty('metadata');
    expect(result.flags.get('none')).not.toHaveProperty('metadata');
    expect(result.segments).toEqual([{ name: 's1', metadata: { source: 'api' } }, { name: 's2' }]);
  });

  test('toPlainJSON keeps Python float forms', () => {
    const result = evaluateJson(`{"environment": {"key": "e", "name": "E"},
      "features": {"f": {"key": "1", "name": "f", "enabled": true, "value": 5.0, "metadata": {"id": 7}}}}`);
    expect(toPlainJSON(result)).toBe('{"flags":{"f":{"name":"f","enabled":true,"value":5.0,"reason":"DEFAULT","variant":null,"metadata":{"id":7}}},"segments":[]}');
  });

  test('5 and 5.0 are different traits', () => {
    const run = (n: string, operator: string) =>
      evaluateJson(`{"environment": {"key": "e", "name": "E"}, "identity": {"identifier": "u", "traits": {"n": ${n}}},
        "segments": {"1": {"key": "1", "name": "s", "rules": [{"type": "ALL", "conditions": [{"property": "n", "operator": "${operator}", "value": "5.5"}]}]}}}`)
        .segments.length === 1;
    expect(run('5', 'NOT_EQUAL')).toBe(false); // int("5.5") fails
    expect(run('5.0', 'NOT_EQUAL')).toBe(true);
    expect(run('5', 'LESS_THAN')).toBe(false);
    expect(run('5.0', 'LESS_THAN')).toBe(true);
  });

  test('the context is not modified', () => {
    const ctx = context([feature('f')], [segment('1', [always], [feature('f', { value: 'on' })])]);
    const before = JSON.stringify(ctx, (_k, v: unknown) => (v instanceof Map ? [...v] : v));
    getEvaluationResult(ctx);
    expect(JSON.stringify(ctx, (_k, v: unknown) => (v instanceof Map ? [...v] : v))).toBe(before);
    expect(ctx.identity?.key).toBeUndefined();
  });
});
