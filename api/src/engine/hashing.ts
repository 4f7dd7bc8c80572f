// The percentage hash shared by multivariate allocation and PERCENTAGE_SPLIT (FLAGSMITH-COMPAT.md §2.6). It must
// reproduce Flagsmith's Python byte for byte, or identities land in different buckets than on Flagsmith.

import * as crypto from 'node:crypto';
import { pyStr } from './python';

/**
 * Maps ids to a number in [0, 100): MD5 of the Python `str()` of each id joined by ",", read as a 128-bit integer,
 * `((n % 9999) / 9998) * 100`. A result of exactly 100 is recomputed with the id list repeated once more.
 */
export function getHashedPercentageForObjectIds(ids: readonly unknown[], iterations = 1): number {
  let text = '';
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < ids.length; j++) text += (i === 0 && j === 0 ? '' : ',') + pyStr(ids[j]);
  }
  const digest = md5(text);
  // n mod 9999 computed byte by byte (Horner) equals BigInt(hex) % 9999n, without the BigInt allocation.
  let mod = 0;
  for (let i = 0; i < digest.length; i++) mod = (mod * 256 + digest[i]) % 9999;
  const value = (mod / 9998) * 100;
  return value === 100 ? getHashedPercentageForObjectIds(ids, iterations + 1) : value;
}

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'buffer') => Buffer;

// crypto.hash (Node 20.12+) skips the Hash object and is about twice as fast as createHash for short inputs.
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

function md5(text: string): Buffer {
  return oneShot ? oneShot('md5', text, 'buffer') : crypto.createHash('md5').update(text, 'utf8').digest();
}
