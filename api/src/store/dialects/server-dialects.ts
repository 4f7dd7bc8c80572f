// The SQL Server and Oracle dialects with their drivers. connect.ts imports this module only for those engines
// (dynamic import), and this module loads tedious/tarn or oracledb only when asked, so no other engine and no
// function bundle pays for them.
import { MssqlDialect, type Dialect } from 'kysely';
import type { MssqlSettings, OracleSettings } from '../database-url';
import { FlagstackMssqlQueryCompiler } from './mssql-compiler';
import { OracleDialect } from './oracle/dialect';
import type { OracleDbModule } from './oracle/driver';

/** Kysely's MssqlDialect (tedious + tarn pool) with the flagstack compiler. */
class FlagstackMssqlDialect extends MssqlDialect {
  override createQueryCompiler() {
    return new FlagstackMssqlQueryCompiler();
  }
}

export async function createMssqlDialect(s: MssqlSettings, poolMax: number): Promise<Dialect> {
  const tedious = await import('tedious');
  const tarn = await import('tarn');
  const connectMs = s.connectTimeoutSeconds * 1000;
  return new FlagstackMssqlDialect({
    tedious: {
      ...tedious,
      // Kysely binds a JS Date as DATETIME, which rounds to 1/300 s; DATETIMEOFFSET keeps the instant exactly.
      TYPES: { ...tedious.TYPES, DateTime: tedious.TYPES.DateTimeOffset },
      connectionFactory: () =>
        new tedious.Connection({
          server: s.host,
          authentication: { type: 'default', options: { userName: s.user, password: s.password } },
          options: {
            ...(s.instanceName ? { instanceName: s.instanceName } : { port: s.port }),
            database: s.database,
            encrypt: s.encrypt,
            trustServerCertificate: s.trustServerCertificate,
            connectTimeout: connectMs,
            requestTimeout: s.requestTimeoutSeconds * 1000,
            appName: s.appName,
            // Dates written and read as UTC (DATETIMEOFFSET carries its offset anyway).
            useUTC: true,
          },
        }),
    },
    tarn: {
      ...tarn,
      options: {
        min: 0,
        max: poolMax,
        // A failed connection attempt fails the waiting query at once (no silent retries until the acquire timeout).
        propagateCreateError: true,
        createTimeoutMillis: connectMs + 1000,
        acquireTimeoutMillis: connectMs + 5000,
        idleTimeoutMillis: 30_000,
      },
    },
  });
}

export async function createOracleDialect(s: OracleSettings, poolMax: number): Promise<Dialect> {
  const imported = (await import('oracledb')) as unknown as OracleDbModule & { default?: OracleDbModule };
  // Thin mode is node-oracledb 6's default: pure JavaScript, no Oracle Client libraries (initOracleClient is never called).
  const oracledb = imported.default ?? imported;
  return new OracleDialect({
    oracledb,
    pool: () =>
      oracledb.createPool({
        user: s.user,
        password: s.password,
        connectString: s.connectString,
        poolMin: 0,
        poolMax,
        poolIncrement: 1,
        poolTimeout: 60,
        poolPingInterval: 60,
        queueTimeout: (s.connectTimeoutSeconds + 5) * 1000,
        connectTimeout: s.connectTimeoutSeconds,
        transportConnectTimeout: s.connectTimeoutSeconds,
        stmtCacheSize: 100,
      }),
  });
}
