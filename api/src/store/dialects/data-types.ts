// Portable column type names (what migrations write: 'varchar(200)', 'integer', 'text', 'boolean', 'timestamptz', …)
// translated to SQL Server's and Oracle's own types. The query compilers of both dialects apply this to every data type
// they compile, so a migration written with the common names produces a correct schema on those engines too.

/**
 * SQL Server compares strings with the database's default collation, which is usually case- and accent-insensitive
 * (`SQL_Latin1_General_CP1_CI_AS`): unique keys, `=` and LIKE would then treat `Foo` and `foo` as equal, unlike
 * PostgreSQL, SQLite and the utf8mb4_bin MySQL schema. Every text column therefore gets a binary collation.
 */
export const MSSQL_TEXT_COLLATION = 'Latin1_General_100_BIN2';

/** The text types that take a collation, as emitted by `mssqlDataType`. */
const MSSQL_COLLATABLE = /^n?(var)?char\(/;

/**
 * SQL Server type for a portable name. `inColumnDefinition` adds the text collation (a CAST may not carry one).
 * Unknown names are returned unchanged, so engine-specific types pass through.
 */
export function mssqlDataType(portable: string, inColumnDefinition = true): string {
  const type = portable.trim().toLowerCase();
  const mapped = mapMssql(type) ?? portable;
  return inColumnDefinition && MSSQL_COLLATABLE.test(mapped) ? `${mapped} collate ${MSSQL_TEXT_COLLATION}` : mapped;
}

function mapMssql(type: string): string | undefined {
  let m: RegExpMatchArray | null;
  if ((m = type.match(/^(?:varchar|character varying|nvarchar)\((\d+)\)$/))) return Number(m[1]) > 4000 ? 'nvarchar(max)' : `nvarchar(${m[1]})`;
  if ((m = type.match(/^(?:char|character|nchar)\((\d+)\)$/))) return `nchar(${m[1]})`;
  if ((m = type.match(/^(?:numeric|decimal)(\(\d+(?:,\s*\d+)?\))?$/))) return `decimal${m[1] ?? ''}`;
  switch (type) {
    case 'varchar':
    case 'nvarchar':
      return 'nvarchar(255)';
    case 'char':
      return 'nchar(1)';
    case 'text':
    case 'longtext':
    case 'json':
    case 'jsonb':
      return 'nvarchar(max)';
    case 'boolean':
    case 'bool':
      return 'bit';
    case 'integer':
    case 'int':
    case 'int4':
      return 'int';
    case 'smallint':
    case 'int2':
      return 'smallint';
    case 'bigint':
    case 'int8':
      return 'bigint';
    case 'real':
    case 'float4':
      return 'real';
    case 'double precision':
    case 'double':
    case 'float8':
    case 'float':
      return 'float';
    case 'timestamptz':
    case 'timestamp with time zone':
      return 'datetimeoffset(3)';
    case 'timestamp':
    case 'datetime':
      // `timestamp` is a row-version type on SQL Server, never a date.
      return 'datetime2(3)';
    case 'date':
      return 'date';
    case 'uuid':
      return 'nchar(36)';
    case 'bytea':
    case 'blob':
      return 'varbinary(max)';
    default:
      return undefined;
  }
}

/** Oracle type for a portable name; unknown names are returned unchanged. */
export function oracleDataType(portable: string): string {
  const type = portable.trim().toLowerCase();
  let m: RegExpMatchArray | null;
  // Character (not byte) lengths: a varchar(200) holds 200 characters whatever the database character set.
  if ((m = type.match(/^(?:varchar2?|character varying|nvarchar)\((\d+)\)$/))) return Number(m[1]) > 4000 ? 'clob' : `varchar2(${m[1]} char)`;
  if ((m = type.match(/^(?:char|character|nchar)\((\d+)\)$/))) return `char(${m[1]} char)`;
  if ((m = type.match(/^(?:numeric|decimal)(\(\d+(?:,\s*\d+)?\))?$/))) return `number${m[1] ?? ''}`;
  switch (type) {
    case 'varchar':
    case 'varchar2':
      return 'varchar2(255 char)';
    case 'char':
      return 'char(1 char)';
    case 'text':
    case 'longtext':
    case 'json':
    case 'jsonb':
      return 'clob';
    case 'boolean':
    case 'bool':
      // No BOOLEAN column type before Oracle 23ai: 0/1, read back through `toBool`.
      return 'number(1)';
    case 'integer':
    case 'int':
    case 'int4':
      return 'number(10)';
    case 'smallint':
    case 'int2':
      return 'number(5)';
    case 'bigint':
    case 'int8':
      return 'number(19)';
    case 'real':
    case 'float4':
      return 'binary_float';
    case 'double precision':
    case 'double':
    case 'float8':
    case 'float':
      return 'binary_double';
    case 'timestamptz':
    case 'timestamp with time zone':
      return 'timestamp(3) with time zone';
    case 'timestamp':
    case 'datetime':
      return 'timestamp(3)';
    case 'date':
      return 'date';
    case 'uuid':
      return 'char(36 char)';
    case 'bytea':
    case 'blob':
      return 'blob';
    default:
      return portable;
  }
}
