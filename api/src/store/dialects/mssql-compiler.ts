// Kysely's SQL Server compiler, taught what the store's portable queries and migrations need on SQL Server:
// - `limit/offset` → `offset … rows fetch next … rows only` (with an ORDER BY, which SQL Server requires);
// - portable type names → SQL Server types, text columns with a binary collation (data-types.ts);
// - `.autoIncrement()` → `identity(1,1)`; boolean literals → 1/0 (SQL Server has no TRUE/FALSE);
// - `on delete restrict` → `no action` (SQL Server has no RESTRICT); `on delete cascade` → `no action` where it would
//   be a second cascade path to a table, which SQL Server refuses (store/cascade.ts lists which);
// - LIKE with the backslash escape the repositories use (`escape '\'`, and `[` made literal: it opens a character class);
// - IN lists longer than 1,000 integers inlined as literals (a statement takes at most 2,100 parameters).
// It imports nothing but kysely, so the compiled-SQL tests run without the driver.
import {
  AlterTableNode,
  CreateTableNode,
  MssqlQueryCompiler,
  ValueNode,
  RawNode,
  type BinaryOperationNode,
  type ColumnDefinitionNode,
  type DataTypeNode,
  type ForeignKeyConstraintNode,
  type CompiledQuery,
  type PrimitiveValueListNode,
  type QueryId,
  type ReferencesNode,
  type RootOperationNode,
  type SelectQueryNode,
} from 'kysely';
import { mssqlOnDelete } from '../cascade';
import { mssqlDataType } from './data-types';
import { LIKE_ESCAPE, LIKE_OPERATORS, operatorOf, standardPaging } from './shared';

/** Above this many integers an IN list is written as literals rather than parameters. */
export const MSSQL_MAX_IN_PARAMETERS = 1000;

export class FlagstackMssqlQueryCompiler extends MssqlQueryCompiler {
  /** The table a CREATE/ALTER TABLE being compiled defines: its cascades are looked up in store/cascade.ts. */
  private ddlTable: string | undefined;

  override compileQuery(node: RootOperationNode, queryId: QueryId): CompiledQuery {
    this.ddlTable = CreateTableNode.is(node) || AlterTableNode.is(node) ? node.table.table.identifier.name : undefined;
    try {
      return super.compileQuery(node, queryId);
    } finally {
      this.ddlTable = undefined;
    }
  }

  protected override visitSelectQuery(node: SelectQueryNode): void {
    super.visitSelectQuery(standardPaging(node, { requireOrderBy: true }));
  }

  protected override visitDataType(node: DataTypeNode): void {
    this.append(mssqlDataType(node.dataType, this.parentNode?.kind === 'ColumnDefinitionNode'));
  }

  protected override visitColumnDefinition(node: ColumnDefinitionNode): void {
    if (!node.autoIncrement) return super.visitColumnDefinition(node);
    // IDENTITY belongs right after the type; Kysely would write `auto_increment` after PRIMARY KEY.
    super.visitColumnDefinition({ ...node, autoIncrement: false, frontModifiers: [RawNode.createWithSql('identity(1,1)'), ...(node.frontModifiers ?? [])] });
  }

  protected override visitReferences(node: ReferencesNode): void {
    // Inline `references` of a column definition (a foreign key constraint node handles its own actions).
    const parent = this.parentNode;
    const column = parent?.kind === 'ColumnDefinitionNode' ? (parent as ColumnDefinitionNode).column.column.name : undefined;
    super.visitReferences({ ...node, onDelete: this.onDelete(column, node.onDelete), onUpdate: noRestrict(node.onUpdate) });
  }

  protected override visitForeignKeyConstraint(node: ForeignKeyConstraintNode): void {
    const column = node.columns.length === 1 ? node.columns[0]!.column.name : undefined;
    super.visitForeignKeyConstraint({ ...node, onDelete: this.onDelete(column, node.onDelete), onUpdate: noRestrict(node.onUpdate) });
  }

  /** SQL Server refuses a second cascade path to a table: cascade.ts says which keys keep theirs. */
  private onDelete<T extends string | undefined>(column: string | undefined, action: T): T {
    if (action !== 'cascade') return noRestrict(action);
    return (this.ddlTable && column ? mssqlOnDelete(this.ddlTable, column, action) : 'no action') as T;
  }

  protected override appendImmediateValue(value: unknown): void {
    if (typeof value === 'boolean') this.append(value ? '1' : '0');
    else super.appendImmediateValue(value);
  }

  protected override visitBinaryOperation(node: BinaryOperationNode): void {
    const op = operatorOf(node);
    if (op && LIKE_OPERATORS.has(op)) {
      const right = ValueNode.is(node.rightOperand) && typeof node.rightOperand.value === 'string'
        ? { ...node.rightOperand, value: node.rightOperand.value.replace(/\[/g, '\\[') }
        : node.rightOperand;
      super.visitBinaryOperation({ ...node, rightOperand: right });
      this.append(LIKE_ESCAPE);
      return;
    }
    super.visitBinaryOperation(node);
  }

  protected override visitPrimitiveValueList(node: PrimitiveValueListNode): void {
    const { values } = node;
    if (values.length > MSSQL_MAX_IN_PARAMETERS && values.every((v) => typeof v === 'number' && Number.isSafeInteger(v))) {
      this.append(`(${values.join(', ')})`);
      return;
    }
    super.visitPrimitiveValueList(node);
  }
}

function noRestrict<T extends string | undefined>(action: T): T {
  return (action === 'restrict' ? 'no action' : action) as T;
}
