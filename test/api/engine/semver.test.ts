// Strict SemVer 2.0.0 parsing and precedence, as Python's semver.Version does it.

import { compareSemver, parseSemver } from '../../../api/src/engine/semver';

function cmp(a: string, b: string): number {
  const va = parseSemver(a);
  const vb = parseSemver(b);
  if (!va || !vb) throw new Error(`not semver: ${a} / ${b}`);
  return Math.sign(compareSemver(va, vb));
}

test.each(['1.2.3', '0.0.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-0.3.7', '1.0.0-x.7.z.92', '1.0.0+20130313144700', '1.0.0-beta+exp.sha.5114f85', '10.20.30', '1.2.3\n'])(
  '%j is valid',
  (text) => {
    expect(parseSemver(text)).toBeDefined();
  },
);

test.each(['v1.2.3', '=1.2.3', ' 1.2.3', '1.2', '1', '01.2.3', '1.02.3', '1.2.3-01', '1.2.3-', '1.2.3+', '1.2.3-a..b', '1.2.3.4', 'abc', '', '1.2.3\n\n'])(
  '%j is not valid',
  (text) => {
    expect(parseSemver(text)).toBeUndefined();
  },
);

test('precedence chain from the SemVer specification', () => {
  const chain = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
  for (let i = 0; i + 1 < chain.length; i++) {
    expect(cmp(chain[i], chain[i + 1])).toBe(-1);
    expect(cmp(chain[i + 1], chain[i])).toBe(1);
  }
});

test('major, minor and patch compare numerically, however large', () => {
  expect(cmp('1.10.0', '1.9.0')).toBe(1);
  expect(cmp('2.0.0', '10.0.0')).toBe(-1);
  expect(cmp('99999999999999999999.0.0', '99999999999999999998.0.0')).toBe(1);
});

test('a pre-release is lower than its release; build metadata is ignored', () => {
  expect(cmp('1.0.0-rc.1', '1.0.0')).toBe(-1);
  expect(cmp('1.0.0+build.1', '1.0.0+build.2')).toBe(0);
  expect(cmp('1.0.0-alpha+a', '1.0.0-alpha')).toBe(0);
});
