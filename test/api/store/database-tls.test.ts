// DATABASE_TLS against a real PostgreSQL that, like the deployment stacks' servers, refuses unencrypted connections:
// `off` is refused, `require` connects encrypted, `verify` checks the certificate against DATABASE_TLS_CA_FILE.
import { execFileSync } from 'node:child_process';
import { chownSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sql } from 'kysely';
import { connect } from '../../../api/src/store/connect';
import { isRoot, ThrowawayPostgres } from '../../support/throwaway-postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

if (!isRoot) {
  test('database TLS (needs root to start its own PostgreSQL)', () => {
    if (process.env.CI) throw new Error('the database TLS test must run as root in CI');
    console.warn('database TLS test not run: it needs root (runuser) to start its own PostgreSQL');
  });
} else {
  describe('DATABASE_TLS with a TLS-only PostgreSQL', () => {
    let pg: ThrowawayPostgres;
    let caFile: string;

    beforeAll(async () => {
      pg = new ThrowawayPostgres(await freePort(), { ssl: 'on' });
      pg.init();
      // A self-signed server certificate for 127.0.0.1; it doubles as the CA for `verify`.
      const cert = join(pg.data, 'server.crt');
      const key = join(pg.data, 'server.key');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' });
      for (const f of [cert, key]) execFileSync('chown', ['postgres:postgres', f]);
      execFileSync('chmod', ['600', key]);
      // Plain connections are refused: only hostssl lines.
      writeFileSync(join(pg.data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n');
      chownSync(join(pg.data, 'pg_hba.conf'), Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
      caFile = join(pg.dir, 'ca.pem');
      execFileSync('cp', [cert, caFile]);
      pg.start();
    }, 120_000);
    afterAll(() => pg?.destroy());

    const encrypted = async (tls: Parameters<typeof connect>[1]) => {
      const c = await connect(pg.url(), tls);
      try {
        const row = await sql<{ ssl: boolean }>`select ssl from pg_stat_ssl where pid = pg_backend_pid()`.execute(c.db);
        return row.rows[0]!.ssl;
      } finally {
        await c.close();
      }
    };

    test('off: the server refuses the plain connection', async () => {
      await expect(encrypted({ tls: { mode: 'off' } })).rejects.toThrow(/no encryption|pg_hba/);
    });

    test('require: connects encrypted', async () => {
      expect(await encrypted({ tls: { mode: 'require' } })).toBe(true);
    });

    test('verify: accepts the certificate signed by the given CA, refuses it without', async () => {
      expect(await encrypted({ tls: { mode: 'verify', caFile } })).toBe(true);
      await expect(encrypted({ tls: { mode: 'verify' } })).rejects.toThrow(/self[- ]signed|certificate/i);
    });
  });
}
