// Recognises engine errors that services must treat as domain outcomes, whatever the engine.

/** True when a database error is a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; number?: number; message?: string } | null;
  if (!e) return false;
  return (
    e.code === '23505' || // PostgreSQL
    e.code === 'ER_DUP_ENTRY' || // MySQL / MariaDB
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e.number === 2627 || // SQL Server unique constraint
    e.number === 2601 || // SQL Server unique index
    /ORA-00001/.test(e.message ?? '')
  );
}

/** True when the database could not be reached (as opposed to rejecting a query). */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'PROTOCOL_CONNECTION_LOST', '57P01', '57P03', '08006', '08001'].includes(e.code ?? '') ||
    /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(e.message ?? '');
}
