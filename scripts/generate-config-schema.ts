// Writes flagstack.config.schema.json, the JSON Schema editors use to complete and check
// flagstack.config.json. The file is committed; a test fails when it is stale.
//   npx tsx scripts/generate-config-schema.ts          write it
//   npx tsx scripts/generate-config-schema.ts --check  exit 1 if it is stale
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDeploymentConfigJsonSchema } from '../lib/config/file-schema';

export const SCHEMA_FILE = join(__dirname, '..', 'flagstack.config.schema.json');

function main(argv: string[]): number {
  const text = renderDeploymentConfigJsonSchema();
  if (argv.includes('--check')) {
    const current = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (current === text) return 0;
    process.stderr.write(`${SCHEMA_FILE} is stale: run npx tsx scripts/generate-config-schema.ts\n`);
    return 1;
  }
  writeFileSync(SCHEMA_FILE, text);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
