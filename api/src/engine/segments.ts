// Segment membership: every top-level rule must match. Within a rule, the conditions and the sub-rules are each
// combined by the rule's own type (engine 10.1+), and both parts must hold; an empty part counts as true.

import type { EvaluationState } from './context-values';
import { conditionMatches } from './operators';
import type { RuleType, SegmentCondition, SegmentContext, SegmentRule } from './types';

export function isContextInSegment(state: EvaluationState, segment: SegmentContext): boolean {
  const rules = segment.rules;
  // A segment without rules would match everyone; Flagsmith treats it as matching no one.
  if (!rules || rules.length === 0) return false;
  for (const rule of rules) if (!ruleMatches(state, rule, segment.key)) return false;
  return true;
}

export function ruleMatches(state: EvaluationState, rule: SegmentRule, segmentKey: string): boolean {
  const type = rule.type;
  if (!isRuleType(type)) return false; // Python has no matcher for other types
  const conditions = rule.conditions;
  if (conditions && conditions.length > 0 && !conditionsMatch(state, type, conditions, segmentKey)) return false;
  const rules = rule.rules;
  return !rules || rules.length === 0 || subRulesMatch(state, type, rules, segmentKey);
}

// Two near-identical loops rather than one taking a callback: this runs per condition on the hot path.
function conditionsMatch(state: EvaluationState, type: RuleType, conditions: readonly SegmentCondition[], key: string): boolean {
  const wanted = type === 'ALL'; // ALL stops at the first false; ANY and NONE at the first true
  for (const condition of conditions) {
    if (conditionMatches(state, condition, key) !== wanted) return type === 'ANY';
  }
  return type !== 'ANY';
}

function subRulesMatch(state: EvaluationState, type: RuleType, rules: readonly SegmentRule[], key: string): boolean {
  const wanted = type === 'ALL';
  for (const rule of rules) {
    if (ruleMatches(state, rule, key) !== wanted) return type === 'ANY';
  }
  return type !== 'ANY';
}

function isRuleType(type: string): type is RuleType {
  return type === 'ALL' || type === 'ANY' || type === 'NONE';
}
