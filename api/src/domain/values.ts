// Flag values as Flagsmith stores them: integer, boolean or string (floats become strings), or null.

export type FlagValue = string | number | boolean | null;

/** Flagsmith's value-type inference for `initial_value` text: "42" is an integer, "true"/"false" a boolean. */
export function inferFlagValue(text: string | null | undefined): FlagValue {
  if (text === null || text === undefined) return null;
  if (/^-?[0-9]+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return text;
}

/** Brings an incoming value to a storable one: floats become their text, as in Flagsmith. */
export function normaliseFlagValue(value: string | number | boolean | null): FlagValue {
  if (typeof value === 'number' && !Number.isInteger(value)) return String(value);
  return value;
}

/** Flagsmith's typed value columns for multivariate options. */
export function toTypedValueFields(value: FlagValue): { type: 'unicode' | 'int' | 'bool'; string_value: string | null; integer_value: number | null; boolean_value: boolean | null } {
  if (typeof value === 'number') return { type: 'int', string_value: null, integer_value: value, boolean_value: null };
  if (typeof value === 'boolean') return { type: 'bool', string_value: null, integer_value: null, boolean_value: value };
  return { type: 'unicode', string_value: value, integer_value: null, boolean_value: null };
}
