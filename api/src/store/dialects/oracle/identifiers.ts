// Oracle names. The store's names are lower-case snake_case; Oracle folds unquoted names to upper case. The compiler
// quotes every identifier (so reserved words are safe) and writes snake_case names in upper case, which makes them
// the same objects DBAs reach unquoted (`select * from features` works in SQL*Plus). Rows come back with upper-case
// keys, which the driver folds back. Names longer than 30 characters (the limit before Oracle 12.2, and still the
// safe one) get the short physical names below; the migration test checks every name in the compiled DDL.

/** Longest identifier this schema uses on Oracle. 12.2+ allows 128; 30 keeps 11g/12.1-era tooling and habits safe. */
export const ORACLE_MAX_IDENTIFIER = 30;

/** Logical (store) name → physical Oracle name, for names longer than 30 characters. */
export const ORACLE_SHORT_NAMES: Readonly<Record<string, string>> = {
  use_identity_composite_key_for_hashing: 'use_identity_comp_key_hashing',
  use_identity_overrides_in_local_eval: 'use_identity_ovr_in_local_eval',
  restrict_project_create_to_admin: 'restrict_project_create_admin',
  minimum_change_request_approvals: 'min_change_request_approvals',
};

/**
 * Columns that may hold '' (declared with `t.notNullOrEmpty`): Oracle stores '' as NULL, so the driver reads their
 * NULL back as ''. A test checks this list against the migrations.
 */
export const ORACLE_EMPTY_STRING_COLUMNS: ReadonlySet<string> = new Set(['first_name', 'last_name', 'color']);

const LOGICAL_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(ORACLE_SHORT_NAMES).map(([logical, physical]) => [physical.toUpperCase(), logical]),
);

const SNAKE = /^[a-z_][a-z0-9_$#]*$/;
const UPPER = /^[A-Z_][A-Z0-9_$#]*$/;

/** The name as written in SQL (without quotes). Mixed-case names are kept as they are (quoted, so case-sensitive). */
export function oracleName(name: string): string {
  const short = ORACLE_SHORT_NAMES[name] ?? name;
  return SNAKE.test(short) ? short.toUpperCase() : short;
}

/** The store's name for a column label Oracle returns. */
export function storeName(label: string): string {
  const logical = LOGICAL_NAMES.get(label);
  if (logical) return logical;
  return UPPER.test(label) ? label.toLowerCase() : label;
}
