// Flagsmith's engine conformance vectors (../shared/engine-test-data, never copied into the repository): every
// case is its own test, evaluated from its JSON text and compared with the expected result, 5 vs 5.0 included.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getEvaluationResult, parseEvaluationContext, parseJson, stripLineComments } from '../../../api/src/engine';
import { comparable } from './helpers';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const dataDir = process.env.ENGINE_TEST_DATA ?? path.resolve(repoRoot, '..', 'shared', 'engine-test-data');
const casesDir = path.join(dataDir, 'test_cases');
const files = existsSync(casesDir)
  ? readdirSync(casesDir)
      .filter((f) => f.endsWith('.json') || f.endsWith('.jsonc'))
      .sort()
  : [];

if (files.length === 0) {
  const message = `engine-test-data not found: no test cases in ${casesDir} (set ENGINE_TEST_DATA to the engine-test-data folder)`;
  if (process.env.CI) {
    test('engine-test-data is present', () => {
      throw new Error(message);
    });
  } else {
    test('engine-test-data is missing (skipped outside CI)', () => {
      console.warn(`[engine conformance] ${message}`);
      expect(files).toHaveLength(0);
    });
  }
} else {
  describe('engine-test-data conformance', () => {
    test.each(files)('%s', (file) => {
      const text = stripLineComments(readFileSync(path.join(casesDir, file), 'utf8'));
      const expected = (parseJson(text) as ReadonlyMap<string, unknown>).get('result') as ReadonlyMap<string, unknown>;
      const result = getEvaluationResult(parseEvaluationContext(text));

      expect(comparable(result)).toEqual(comparable(expected));
      // Map equality ignores order; the flags must also come out in the expected order.
      const expectedFlags = expected.get('flags') as ReadonlyMap<string, unknown>;
      expect([...result.flags.keys()]).toEqual([...expectedFlags.keys()]);
    });
  });
}
