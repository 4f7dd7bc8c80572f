// What Kysely's Migrator asks of an introspector (which tables exist), answered from Oracle's USER_* views for the
// connected schema. Names come back in the store's spelling (KYSELY_MIGRATION → kysely_migration).
import type { DatabaseIntrospector, DatabaseMetadata, DatabaseMetadataOptions, Kysely, SchemaMetadata, TableMetadata } from 'kysely';
import { storeName } from './identifiers';

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  nullable: string;
  data_default: string | null;
  identity_column: string;
}

export class OracleIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<any>) {} // eslint-disable-line @typescript-eslint/no-explicit-any

  async getSchemas(): Promise<SchemaMetadata[]> {
    const rows = await this.db.selectFrom('all_users').select('username').execute();
    return rows.map((r) => ({ name: storeName(String(r.username)) }));
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const tables = await this.db.selectFrom('user_tables').select('table_name').orderBy('table_name').execute();
    const columns = (await this.db
      .selectFrom('user_tab_columns')
      .select(['table_name', 'column_name', 'data_type', 'nullable', 'data_default', 'identity_column'])
      .orderBy('table_name')
      .orderBy('column_id')
      .execute()) as ColumnRow[];
    return tables
      .map((t) => storeName(String(t.table_name)))
      .filter((name) => options.withInternalKyselyTables || !name.startsWith('kysely_'))
      .map((name) => ({
        name,
        isView: false,
        columns: columns
          .filter((c) => storeName(c.table_name) === name)
          .map((c) => ({
            name: storeName(c.column_name),
            dataType: c.data_type,
            isNullable: c.nullable === 'Y',
            isAutoIncrementing: c.identity_column === 'YES',
            hasDefaultValue: c.data_default !== null,
          })),
      }));
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}
