// Every foreign key of the schema, and explicit deletion of what ON DELETE CASCADE would delete.
//
// SQL Server refuses a cascading foreign key that gives a table a second cascade path from some other table
// ("may cause cycles or multiple cascade paths", error 1785): feature_states alone is reached from projects through
// features, environments, feature_segments and identities. On SQL Server the keys marked `mssql: 'no action'` below are
// therefore created without the cascade (the compiler reads this list), and the repositories do not rely on the
// database for deletes: `deleteDependents` deletes, children first, every row the cascades would delete. It runs on
// every engine, so the suites on SQLite, PostgreSQL and MariaDB exercise the same path SQL Server takes, and
// test/api/store proves it against a SQLite schema with no cascade at all.
//
// The list must match the migrations (a test compiles them and compares); `mssql: 'no action'` marks a key whose
// cascade SQL Server would reject, chosen in creation order (the first path to a table keeps its cascade).
import type { Executor } from './rows';

export interface ForeignKey {
  table: string;
  column: string;
  references: string;
  onDelete: 'cascade' | 'no action';
  /** SQL Server creates this cascade as NO ACTION (a second cascade path); deleteDependents covers it. */
  mssql?: 'no action';
}

const fk = (table: string, column: string, references: string, onDelete: ForeignKey['onDelete'] = 'cascade', mssql?: 'no action'): ForeignKey => ({
  table,
  column,
  references,
  onDelete,
  ...(mssql ? { mssql } : {}),
});
const NA = 'no action' as const;

/** In migration order. Every key references its table's `id`. */
export const FOREIGN_KEYS: readonly ForeignKey[] = [
  // 0001-initial
  fk('organisation_users', 'organisation_id', 'organisations'),
  fk('organisation_users', 'user_id', 'users'),
  fk('api_tokens', 'user_id', 'users'),
  fk('organisation_api_keys', 'organisation_id', 'organisations'),
  fk('projects', 'organisation_id', 'organisations'),
  fk('environments', 'project_id', 'projects'),
  fk('environment_api_keys', 'environment_id', 'environments'),
  fk('features', 'project_id', 'projects'),
  fk('tags', 'project_id', 'projects'),
  fk('feature_tags', 'feature_id', 'features'),
  fk('feature_tags', 'tag_id', 'tags', 'cascade', NA),
  fk('multivariate_options', 'feature_id', 'features'),
  fk('segments', 'project_id', 'projects'),
  fk('segments', 'feature_id', 'features', 'cascade', NA),
  fk('feature_segments', 'feature_id', 'features'),
  fk('feature_segments', 'segment_id', 'segments', 'cascade', NA),
  fk('feature_segments', 'environment_id', 'environments', 'cascade', NA),
  fk('identities', 'environment_id', 'environments'),
  fk('feature_states', 'feature_id', 'features'),
  fk('feature_states', 'environment_id', 'environments', 'cascade', NA),
  fk('feature_states', 'feature_segment_id', 'feature_segments', 'cascade', NA),
  fk('feature_states', 'identity_id', 'identities', 'cascade', NA),
  fk('multivariate_state_values', 'feature_state_id', 'feature_states'),
  fk('multivariate_state_values', 'multivariate_option_id', 'multivariate_options', 'cascade', NA),
  fk('traits', 'identity_id', 'identities'),
  fk('feature_evaluation_counts', 'environment_id', 'environments'),
  fk('feature_evaluation_counts', 'feature_id', 'features', 'cascade', NA),
  // 0002-rbac
  fk('user_groups', 'organisation_id', 'organisations'),
  fk('user_group_members', 'group_id', 'user_groups'),
  fk('user_group_members', 'user_id', 'users'),
  fk('roles', 'organisation_id', 'organisations'),
  fk('perm_grants', 'organisation_id', 'organisations'),
  fk('perm_grants', 'project_id', 'projects', 'cascade', NA),
  fk('perm_grants', 'environment_id', 'environments', 'cascade', NA),
  fk('perm_grants', 'user_id', 'users'),
  fk('perm_grants', 'group_id', 'user_groups', 'cascade', NA),
  fk('perm_grants', 'role_id', 'roles', 'cascade', NA),
  fk('perm_grant_keys', 'grant_id', 'perm_grants'),
  fk('perm_grant_tags', 'grant_id', 'perm_grants'),
  fk('perm_grant_tags', 'tag_id', 'tags', 'cascade', NA),
  fk('role_users', 'role_id', 'roles'),
  fk('role_users', 'user_id', 'users'),
  fk('role_groups', 'role_id', 'roles'),
  fk('role_groups', 'group_id', 'user_groups', 'cascade', NA),
  fk('role_api_keys', 'role_id', 'roles'),
  fk('role_api_keys', 'api_key_id', 'organisation_api_keys', 'cascade', NA),
  // 0003-sessions
  fk('sessions', 'user_id', 'users'),
  // 0004-workflows
  fk('change_requests', 'project_id', 'projects'),
  fk('change_requests', 'environment_id', 'environments', 'no action'),
  fk('change_request_items', 'change_request_id', 'change_requests'),
  fk('change_request_approvals', 'change_request_id', 'change_requests'),
  fk('change_request_approvals', 'user_id', 'users'),
  fk('change_request_groups', 'change_request_id', 'change_requests'),
  // 0005-sign-in
  fk('user_identities', 'user_id', 'users'),
  // 0006-saml
  fk('saml_configurations', 'organisation_id', 'organisations'),
  fk('saml_attribute_mappings', 'saml_configuration_id', 'saml_configurations'),
  // 0007-oidc
  fk('oidc_providers', 'organisation_id', 'organisations'),
];

/** The ON DELETE action SQL Server gets for `table.column`. Keys missing from the list get NO ACTION there: never rejected. */
export function mssqlOnDelete(table: string, column: string, requested: string | undefined): string | undefined {
  if (requested !== 'cascade') return requested;
  const key = FOREIGN_KEYS.find((k) => k.table === table && k.column === column);
  return key && !key.mssql ? 'cascade' : 'no action';
}

/** Tables ordered so that every referencing table comes before the tables it references (all keys, cascading or not). */
function childrenFirst(): string[] {
  const tables = new Set<string>();
  FOREIGN_KEYS.forEach((k) => tables.add(k.table).add(k.references));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: string) => {
    if (state.get(table) === 'done') return;
    if (state.get(table) === 'visiting') throw new Error(`foreign keys form a cycle through ${table}`);
    state.set(table, 'visiting');
    for (const k of FOREIGN_KEYS) if (k.references === table) visit(k.table);
    state.set(table, 'done');
    order.push(table);
  };
  [...tables].sort().forEach(visit);
  return order;
}

let ORDER: string[] | undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Subquery = (db: Executor) => (eb: any) => unknown;

/**
 * Deletes every row that ON DELETE CASCADE would delete when the `table` rows with these ids are deleted, children
 * before parents, leaving the rows themselves to the caller. Rows are selected by subqueries through their ancestors,
 * which still exist when a child is deleted, so no id lists are fetched.
 */
export async function deleteDependents(db: Executor, table: string, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  ORDER ??= childrenFirst();
  // The rows to delete of each table in the cascade's reach, as a builder of `select id from … where …`.
  const doomed = new Map<string, Subquery[]>();
  const idsOf = (parent: string): unknown => {
    if (parent === table) return [...ids];
    const preds = doomed.get(parent)!;
    return (d: Executor) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (d as any).selectFrom(parent).select('id').where((eb: any) => eb.or(preds.map((p) => p(d)(eb))));
  };
  // Parents first: a table is in reach if one of its cascading keys points at a table in reach.
  for (const t of [...ORDER].reverse()) {
    if (t === table) continue;
    const preds: Subquery[] = [];
    for (const k of FOREIGN_KEYS) {
      if (k.table !== t || k.onDelete !== 'cascade' || (k.references !== table && !doomed.has(k.references))) continue;
      const source = idsOf(k.references);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      preds.push((d) => (eb: any) => eb(k.column, 'in', typeof source === 'function' ? (source as (x: Executor) => unknown)(d) : source));
    }
    if (preds.length > 0) doomed.set(t, preds);
  }
  // Children first.
  for (const t of ORDER) {
    const preds = doomed.get(t);
    if (!preds) continue;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (db as any).deleteFrom(t).where((eb: any) => eb.or(preds.map((p) => p(db)(eb)))).execute();
  }
}
