// The `flagstack` command's entry point (bin/flagstack.js and the bundle dist/server/cli.js load this module).
// Before main() it starts the AppDynamics agent for `serve` (the first import, so the agent loads before any
// other module) and resolves `<NAME>_SECRET_ARN` variables into the environment (for every command but `config`,
// which shows the configuration as given).
import './serve-preload'; // first: AppDynamics must start before any other module is loaded
import { ConfigError } from '../config';
import { main as runCommand } from './main';
import { hasSecretArns, resolveAwsSecrets } from '../runtimes/aws-secrets';

type Out = (line: string) => void;

export async function main(
  argv: string[],
  out: Out = (l) => process.stdout.write(l + '\n'),
  err: Out = (l) => process.stderr.write(l + '\n'),
): Promise<number> {
  if (argv[0] !== 'config' && hasSecretArns(process.env)) {
    try {
      const resolved = await resolveAwsSecrets(process.env);
      for (const name of Object.keys(process.env)) if (!(name in resolved)) delete process.env[name];
      for (const [name, value] of Object.entries(resolved)) if (value !== undefined) process.env[name] = value;
    } catch (error) {
      err(error instanceof ConfigError ? `flagstack: configuration error\n${error.message}` : `flagstack: ${(error as Error).message}`);
      return 1;
    }
  }
  return runCommand(argv, out, err);
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exitCode = code;
  });
}
