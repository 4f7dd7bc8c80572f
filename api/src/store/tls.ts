// TLS options for the server drivers from DATABASE_TLS / DATABASE_TLS_CA_FILE. `require` encrypts without checking
// the certificate (what managed databases need when their CA is not installed); `verify` checks it against the
// system CAs plus the given bundle.
import { readFileSync } from 'node:fs';

export interface DatabaseTls {
  mode: 'off' | 'require' | 'verify';
  caFile?: string;
}

export interface DriverTlsOptions {
  rejectUnauthorized: boolean;
  ca?: string;
}

export function driverTlsOptions(tls: DatabaseTls | undefined): DriverTlsOptions | undefined {
  if (!tls || tls.mode === 'off') return undefined;
  if (tls.mode === 'require') return { rejectUnauthorized: false };
  return { rejectUnauthorized: true, ...(tls.caFile ? { ca: readFileSync(tls.caFile, 'utf8') } : {}) };
}
