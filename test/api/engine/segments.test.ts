// Segment membership and rule combination (FLAGSMITH-COMPAT.md §2.4).

import { EvaluationState } from '../../../api/src/engine/context-values';
import { isContextInSegment, ruleMatches } from '../../../api/src/engine/segments';
import type { EvaluationContext, SegmentCondition, SegmentRule } from '../../../api/src/engine';

const context: EvaluationContext = { environment: { key: 'env', name: 'Env' }, identity: { identifier: 'user', key: 'env_user' } };
const state = new EvaluationState(context, 'env_user');
const yes: SegmentCondition = { property: '$.environment.name', operator: 'EQUAL', value: 'Env' };
const no: SegmentCondition = { property: '$.environment.name', operator: 'EQUAL', value: 'Other' };
const inSegment = (rule: SegmentRule) => ruleMatches(state, rule, '1');
const segment = (rules: SegmentRule[]) => isContextInSegment(state, { key: '1', name: 's', rules });

describe('rules', () => {
  test('conditions combine by the rule type; an empty list is true', () => {
    expect(inSegment({ type: 'ALL', conditions: [yes, yes] })).toBe(true);
    expect(inSegment({ type: 'ALL', conditions: [yes, no] })).toBe(false);
    expect(inSegment({ type: 'ANY', conditions: [no, yes] })).toBe(true);
    expect(inSegment({ type: 'ANY', conditions: [no, no] })).toBe(false);
    expect(inSegment({ type: 'NONE', conditions: [no, no] })).toBe(true);
    expect(inSegment({ type: 'NONE', conditions: [no, yes] })).toBe(false);
    expect(inSegment({ type: 'ANY', conditions: [] })).toBe(true);
    expect(inSegment({ type: 'NONE' })).toBe(true);
  });

  test('sub-rules combine by the parent type too (engine 10.1+)', () => {
    const allYes: SegmentRule = { type: 'ALL', conditions: [yes] };
    const allNo: SegmentRule = { type: 'ALL', conditions: [no] };
    expect(inSegment({ type: 'ANY', rules: [allNo, allYes] })).toBe(true);
    expect(inSegment({ type: 'ANY', rules: [allNo, allNo] })).toBe(false);
    expect(inSegment({ type: 'NONE', rules: [allNo, allYes] })).toBe(false);
    expect(inSegment({ type: 'NONE', rules: [allNo] })).toBe(true);
    expect(inSegment({ type: 'ALL', conditions: [], rules: [{ type: 'ANY', conditions: [no, yes] }, { type: 'NONE', conditions: [no] }] })).toBe(true);
  });

  test('conditions and sub-rules must both hold', () => {
    expect(inSegment({ type: 'ALL', conditions: [yes], rules: [{ type: 'ALL', conditions: [no] }] })).toBe(false);
    expect(inSegment({ type: 'ANY', conditions: [no], rules: [{ type: 'ALL', conditions: [yes] }] })).toBe(false);
  });

  test('every top-level rule must match; unknown types never do', () => {
    const all: SegmentRule = { type: 'ALL', conditions: [yes] };
    expect(segment([all, { type: 'ALL', conditions: [no] }])).toBe(false);
    expect(segment([all, all])).toBe(true);
    expect(segment([])).toBe(false); // no rules: never matches
    expect(inSegment({ type: 'SOME', conditions: [yes] })).toBe(false);
  });
});
