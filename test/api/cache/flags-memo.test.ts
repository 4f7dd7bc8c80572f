// The memo of evaluated identity flags (api/src/services/sdk/flags-memo.ts): least recently used out first, bounded
// by bytes, and keyed by everything the evaluation reads, so a changed trait or a rebuilt view never hits old entries.
import { FlagsMemo, memoKey } from '../../../api/src/services/sdk/flags-memo';
import { TraitFloat } from '../../../api/src/domain/traits';

describe('flags memo', () => {
  test('evicts the least recently used entries past its byte budget', () => {
    const value = Array.from({ length: 10 }, (_, i) => `{"flag":${i}}`);
    const memo = new FlagsMemo((2 * 2 + 8 * 10 + 96) * 3); // room for three entries of ten flags with two-character keys
    for (const k of ['k1', 'k2', 'k3']) memo.set(k, value);
    expect(memo.get('k1')).toBe(value); // k1 is now the most recently used
    memo.set('k4', value);
    expect(memo.get('k2')).toBeUndefined();
    expect([memo.get('k1'), memo.get('k3'), memo.get('k4')]).toEqual([value, value, value]);
    expect(memo.size).toBe(3);
    memo.set('huge', Array.from({ length: 10_000 }, () => '{}')); // larger than the whole budget: not kept, nothing evicted
    expect(memo.size).toBe(3);
  });

  test('keys differ by view, key kind, identity, identifier, and each trait value and type', () => {
    const traits = [{ key: 'plan', value: 'pro' }, { key: 'age', value: 5 }];
    const base = memoKey(1, 'client', 'alice', 7, traits);
    expect(memoKey(1, 'client', 'alice', 7, [...traits])).toBe(base);
    const variants = [
      memoKey(2, 'client', 'alice', 7, traits),
      memoKey(1, 'server', 'alice', 7, traits),
      memoKey(1, 'client', 'alice', null, traits),
      memoKey(1, 'client', 'alice2', 7, traits),
      memoKey(1, 'client', 'alice', 7, [{ key: 'plan', value: 'free' }, { key: 'age', value: 5 }]),
      memoKey(1, 'client', 'alice', 7, [{ key: 'plan', value: 'pro' }, { key: 'age', value: '5' }]),
      memoKey(1, 'client', 'alice', 7, [{ key: 'plan', value: 'pro' }, { key: 'age', value: new TraitFloat(5) }]),
      memoKey(1, 'client', 'alice', 7, [{ key: 'plan', value: 'pro' }]),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });
});
