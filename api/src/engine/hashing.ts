// The percentage hash shared by multivariate allocation and PERCENTAGE_SPLIT (FLAGSMITH-COMPAT.md §2.6). It must
// reproduce Flagsmith's Python byte for byte, or identities land in different buckets than on Flagsmith.

import { createHash } from 'node:crypto';
import { pyStr } from './python';

/**
 * Maps ids to a number in [0, 100): MD5 of the Python `str()` of each id joined by ",", read as a 128-bit integer,
 * `((n % 9999) / 9998) * 100`. A result of exactly 100 is recomputed with the id list repeated once more.
 */
export function getHashedPercentageForObjectIds(ids: readonly unknown[], iterations = 1): number {
  const parts: string[] = [];
  for (let i = 0; i < iterations; i++) for (const id of ids) parts.push(pyStr(id));
  const digest = createHash('md5').update(parts.join(','), 'utf8').digest();
  // n mod 9999 computed byte by byte (Horner) equals BigInt(hex) % 9999n, without the BigInt allocation.
  let mod = 0;
  for (let i = 0; i < digest.length; i++) mod = (mod * 256 + digest[i]) % 9999;
  const value = (mod / 9998) * 100;
  return value === 100 ? getHashedPercentageForObjectIds(ids, iterations + 1) : value;
}
