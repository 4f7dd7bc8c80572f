// Query-tree rewrites that SQL Server and Oracle both need.
import {
  FromNode,
  OrderByItemNode,
  OrderByNode,
  RawNode,
  TableNode,
  ValueNode,
  type BinaryOperationNode,
  type FetchNode,
  type OffsetNode,
  type OperationNode,
  type SelectQueryNode,
} from 'kysely';

/**
 * `limit X offset Y` (what the repositories write) as the standard `offset Y rows fetch next X rows only`, the only
 * paging both engines have. SQL Server also requires an ORDER BY for OFFSET/FETCH: `order by (select null)` stands in
 * when the query has none (every paged repository query orders by a key, so this is a safety net, not a habit).
 */
export function standardPaging(node: SelectQueryNode, options: { requireOrderBy: boolean }): SelectQueryNode {
  if (!node.limit) return node;
  const offset: OffsetNode = node.offset ?? { kind: 'OffsetNode', offset: ValueNode.createImmediate(0) };
  const fetch = { kind: 'FetchNode', rowCount: node.limit.limit, modifier: 'only' } as unknown as FetchNode;
  let orderBy = node.orderBy;
  if (!orderBy && options.requireOrderBy) orderBy = OrderByNode.create([OrderByItemNode.create(RawNode.createWithSql('(select null)'))]);
  return { ...node, limit: undefined, offset, fetch, orderBy };
}

/** Oracle has no FROM-less SELECT: `select 1` becomes `select 1 from dual`. */
export function withDualTable(node: SelectQueryNode): SelectQueryNode {
  return node.from ? node : { ...node, from: FromNode.create([TableNode.create('dual')]) };
}

export function operatorOf(node: BinaryOperationNode): string | undefined {
  const op = node.operator as OperationNode & { operator?: string };
  return op.kind === 'OperatorNode' ? op.operator : undefined;
}

export const LIKE_OPERATORS = new Set(['like', 'not like']);

/**
 * The repositories escape LIKE patterns with a backslash (`\%`, `\_`, `\\`), which PostgreSQL and MySQL take by default.
 * SQL Server and Oracle have no default escape character: the compilers add `escape '\'` to every LIKE.
 */
export const LIKE_ESCAPE = ` escape '\\'`;

/** Values of an IN list given as bound parameters, split into chunks (Oracle allows 1,000 expressions per list). */
export function chunk<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
