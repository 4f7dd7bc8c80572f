// The percentage hash must match Flagsmith's Python to the last bit; check values from FLAGSMITH-COMPAT.md §2.6,
// the others printed by CPython 3.11.

import { createHash } from 'node:crypto';
import { getHashedPercentageForObjectIds } from '../../../api/src/engine/hashing';
import { pyFloat } from '../../../api/src/engine/values';

test.each([
  [['78986', 'test_env_foobar'], 54.53090618123625],
  [['78986', '32103813'], 49.27985597119424],
  [['12345', 'test_env_foobar'], 51.990398079615915],
])('check value %p -> %p', (ids, expected) => {
  expect(getHashedPercentageForObjectIds(ids)).toBe(expected);
});

test('ids are hashed as Python str(): 1.0, True, None', () => {
  expect(getHashedPercentageForObjectIds([pyFloat(1), true])).toBe(8.281656331266253);
  expect(getHashedPercentageForObjectIds(['a', pyFloat(35)])).toBe(40.17803560712142);
  expect(getHashedPercentageForObjectIds(['x', null])).toBe(71.37427485497099);
  // the int 35 and the float 35.0 land in different buckets
  expect(getHashedPercentageForObjectIds(['a', 35])).not.toBe(getHashedPercentageForObjectIds(['a', pyFloat(35)]));
});

test('exactly 100 is recomputed with the ids repeated once more', () => {
  // md5("100,user_7787") mod 9999 is 9998, which would give 100
  expect(getHashedPercentageForObjectIds(['100', 'user_7787'], 1)).toBe(16.463292658531707);
  expect(getHashedPercentageForObjectIds(['100', 'user_7787', '100', 'user_7787'])).toBe(16.463292658531707);
});

test('the byte-wise modulo equals BigInt(hex) % 9999 and the scale is applied in Python order', () => {
  for (let i = 0; i < 500; i++) {
    const ids = [`segment-${i}`, `identity-${i * 7919}`];
    const hex = createHash('md5').update(ids.join(','), 'utf8').digest('hex');
    const mod = Number(BigInt(`0x${hex}`) % 9999n);
    const expected = mod === 9998 ? getHashedPercentageForObjectIds([...ids, ...ids]) : (mod / 9998) * 100;
    const value = getHashedPercentageForObjectIds(ids);
    expect(value).toBe(expected);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThan(100);
  }
});

test('non-ASCII ids are hashed as UTF-8', () => {
  const hex = createHash('md5').update(Buffer.from('é,ü', 'utf8')).digest('hex');
  expect(getHashedPercentageForObjectIds(['é', 'ü'])).toBe((Number(BigInt(`0x${hex}`) % 9999n) / 9998) * 100);
});
