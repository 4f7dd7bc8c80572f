// The function packagings upload the runtime bundles that `npm run build` writes (issue 3): dist/azure/ is a complete
// zip-deployable Azure Functions v4 app, dist/gcp/ a Cloud Functions source folder. The stacks zip them as
// TerraformAssets at synth; bin/cdktf.ts builds them first when they are missing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type FunctionCloud = 'azure' | 'gcp';

/** Files each bundle must have to deploy. */
export const BUNDLE_FILES: Record<FunctionCloud, readonly string[]> = {
  azure: ['host.json', 'package.json', 'index.js'],
  gcp: ['package.json', 'index.js'],
};

export function bundleDir(root: string, cloud: FunctionCloud): string {
  return join(root, 'dist', cloud);
}

/** The files a bundle folder lacks; empty when it can be deployed. */
export function missingBundleFiles(dir: string, cloud: FunctionCloud): string[] {
  return BUNDLE_FILES[cloud].filter((f) => !existsSync(join(dir, f)));
}

/** Throws a message that says what to run when the bundle folder is incomplete. */
export function assertBundle(dir: string, cloud: FunctionCloud): void {
  const missing = missingBundleFiles(dir, cloud);
  if (missing.length > 0) {
    throw new Error(
      `the ${cloud} function bundle in ${dir} is missing ${missing.join(', ')}: run \`npm run build\` first ` +
        '(bin/cdktf.ts does this by itself when scripts/build.ts exists)',
    );
  }
}

/**
 * Entry points of the GCP bundle (api/src/runtimes/gcp.ts): the API, the migration job and one scheduled-changes pass.
 * SEAM(ldap-sync-function): the bundles have no LDAP-sync entry yet; a function packaging with LDAP warns at synth and
 * deploys no LDAP-sync schedule until one exists (the container packagings run `flagstack sync-ldap-users-and-groups`).
 */
export const GCP_ENTRY_POINTS = { api: 'flagstack', migrate: 'migrate', scheduler: 'scheduler' } as const;
