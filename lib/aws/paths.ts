// Where the repository is, whether this module runs from source (tsx, ts-jest) or precompiled under dist/: assets
// (the Dockerfile's directory, the Lambda entry) are resolved from the project root, never from __dirname.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The nearest ancestor directory with both package.json and api/src (the flagstack checkout). */
export function projectRoot(start: string = __dirname): string {
  if (cached && start === __dirname) return cached;
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'api', 'src'))) {
      if (start === __dirname) cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no flagstack checkout (package.json and api/src) above ${start}`);
    dir = parent;
  }
}

/** The Lambda runtime entry (exports handler, migrate and scheduler). */
export const LAMBDA_ENTRY = join('api', 'src', 'runtimes', 'lambda.ts');
