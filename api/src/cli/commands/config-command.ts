// `flagstack config`: prints the effective configuration with secrets masked (`--json` for JSON), or with
// `--schema` the JSON Schema of every environment variable. Returns an exit code; the caller exits.
import {
  ConfigError,
  describeConfig,
  describeConfigLines,
  loadConfig,
  runtimeEnvJsonSchema,
  type Env,
} from '../../config';

export interface TextSink {
  write(text: string): unknown;
}

/** Where the command writes; `process` itself fits. */
export interface CommandOutput {
  stdout: TextSink;
  stderr: TextSink;
}

export const CONFIG_USAGE = `usage: flagstack config [--json]   print the effective configuration (secrets masked)
       flagstack config --schema   print the JSON Schema of the environment variables
`;

export function runConfigCommand(argv: readonly string[], env: Env = process.env, out: CommandOutput = process): number {
  const flags = new Set(argv);
  const unknown = argv.filter((a) => !['--json', '--schema', '--help', '-h'].includes(a));
  if (flags.has('--help') || flags.has('-h')) {
    out.stdout.write(CONFIG_USAGE);
    return 0;
  }
  if (unknown.length > 0 || (flags.has('--schema') && flags.has('--json'))) {
    out.stderr.write(`flagstack config: unexpected argument ${unknown[0] ?? '--json with --schema'}\n${CONFIG_USAGE}`);
    return 2;
  }
  if (flags.has('--schema')) {
    out.stdout.write(`${JSON.stringify(runtimeEnvJsonSchema(), null, 2)}\n`);
    return 0;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    // ConfigError messages never contain a secret's value (see mask.ts), so they are safe to print.
    if (err instanceof ConfigError) {
      out.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (flags.has('--json')) {
    out.stdout.write(`${JSON.stringify(describeConfig(config), null, 2)}\n`);
    return 0;
  }
  const lines = describeConfigLines(config, env);
  const width = Math.min(40, Math.max(...lines.map((l) => l.key.length)));
  const text = lines.map((l) => {
    // Name the variables that were set; for a default, the key's main variable (DATABASE_URL, not DJANGO_DB_*).
    const named = l.source === 'env' ? l.variables.filter((n) => (env[n] ?? '').trim() !== '') : l.variables.slice(0, 1);
    const origin = l.source === 'derived' ? 'derived' : `${l.source}: ${named.join(', ')}`;
    return `${l.key.padEnd(width)}  ${l.value}  (${origin})`;
  });
  out.stdout.write(`# effective configuration (secrets masked)\n${text.join('\n')}\n`);
  return 0;
}
