// SQLite, as the store uses it: LIKE patterns are escaped with a backslash by the repositories (as PostgreSQL and
// MySQL expect by default), and SQLite has no default escape character, so every LIKE states it.
import { SqliteDialect, SqliteQueryCompiler, type BinaryOperationNode, type QueryCompiler } from 'kysely';
import { LIKE_ESCAPE, LIKE_OPERATORS, operatorOf } from './shared';

class SqliteStoreCompiler extends SqliteQueryCompiler {
  protected override visitBinaryOperation(node: BinaryOperationNode): void {
    super.visitBinaryOperation(node);
    const op = operatorOf(node);
    if (op && LIKE_OPERATORS.has(op)) this.append(LIKE_ESCAPE);
  }
}

export class StoreSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new SqliteStoreCompiler();
  }
}
