// A PostgreSQL cluster of a test's own: initdb in a temp dir owned by postgres, its own port, run with runuser (initdb
// and pg_ctl refuse to run as root). The machine's server stays untouched. Needs root.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function pgBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl'))).sort((x, y) => Number(y) - Number(x)) : [];
  if (versions.length === 0) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  return join(base, versions.includes('15') ? '15' : versions[0]!, 'bin');
}

const idOf = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres']).toString().trim());

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export class ThrowawayPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'flagstack-pg-'));
  readonly data = join(this.dir, 'data');
  readonly bin = pgBin();

  constructor(readonly port: number, private readonly settings: Record<string, string> = {}) {
    chownSync(this.dir, idOf('-u'), idOf('-g'));
  }

  /** Runs a command as the postgres user. */
  asPostgres(args: string[], timeoutMs = 60_000): string {
    return execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe', timeout: timeoutMs }).toString();
  }

  init(): void {
    this.asPostgres([join(this.bin, 'initdb'), '-D', this.data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  }

  start(): void {
    const extra = Object.entries(this.settings).map(([k, v]) => `-c ${k}=${v}`).join(' ');
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 ${extra}`;
    this.asPostgres([join(this.bin, 'pg_ctl'), '-D', this.data, '-l', join(this.dir, 'log'), '-o', options, '-w', '-t', '60', 'start']);
  }

  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.asPostgres([join(this.bin, 'pg_ctl'), '-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      // not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
