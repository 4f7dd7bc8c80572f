// Segment rules as the admin API and the environment document carry them.

export const RULE_TYPES = ['ALL', 'ANY', 'NONE'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const CONDITION_OPERATORS = [
  'EQUAL',
  'GREATER_THAN',
  'LESS_THAN',
  'LESS_THAN_INCLUSIVE',
  'CONTAINS',
  'GREATER_THAN_INCLUSIVE',
  'NOT_CONTAINS',
  'NOT_EQUAL',
  'REGEX',
  'PERCENTAGE_SPLIT',
  'MODULO',
  'IS_SET',
  'IS_NOT_SET',
  'IN',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface SegmentCondition {
  operator: ConditionOperator;
  property: string | null;
  value: string | null;
  description?: string | null;
}

export interface SegmentRule {
  type: RuleType;
  rules: SegmentRule[];
  conditions: SegmentCondition[];
}
