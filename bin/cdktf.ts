// The CDKTF app (cdktf.json's "app"): reads the deployment config (flagstack.config.json, or the file FLAGSTACK_CONFIG
// names: the cdktf CLI has no -c), makes one stack per azure and gcp environment, named <project>-<environment>, and
// synthesizes them offline (prebuilt providers only: no `cdktf get`, no registry). The function packagings upload
// dist/azure and dist/gcp, so a missing bundle is built first (scripts/build.ts, what `npm run build` runs). After
// synth every stack's Terraform JSON is checked against the kit's policies (lib/tf-common/policy.ts); a violation
// fails the synth.
//
//   npx cdktf synth                      every stack
//   npx cdktf deploy flagstack-azure-dev one stack
//   FLAGSTACK_CONFIG=other.json npx cdktf synth
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { DeploymentConfigError, environmentsFor, loadDeploymentConfig, type EnvironmentConfig } from '../lib/config';
import { FlagstackAzureStack } from '../lib/azure/stack';
import { FlagstackGcpStack } from '../lib/gcp/stack';
import { bundleDir, missingBundleFiles, type FunctionCloud } from '../lib/tf-common/bundles';
import { stackName } from '../lib/tf-common/names';
import { checkPolicies, formatFinding, type TerraformJson } from '../lib/tf-common/policy';

const ROOT = join(__dirname, '..');

export interface EnsureBundlesOptions {
  root?: string;
  /** Builds the given runtimes into <root>/dist (default: scripts/build.ts, what `npm run build` runs). */
  build?: (runtimes: FunctionCloud[], log: (line: string) => void) => Promise<unknown>;
  log?: (line: string) => void;
}

async function buildWithScript(runtimes: FunctionCloud[], log: (line: string) => void): Promise<unknown> {
  // require, not import(): under `node --require tsx/cjs` a dynamic import() goes to Node's own ESM loader, which
  // cannot load TypeScript. Loaded only when a bundle is missing (esbuild is not needed otherwise).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildRuntimes } = require('../scripts/build') as typeof import('../scripts/build');
  return buildRuntimes({ runtimes, log });
}

/** Builds the function bundles the environments need when they are missing (a fresh clone after `npm ci`). */
export async function ensureFunctionBundles(environments: readonly EnvironmentConfig[], options: EnsureBundlesOptions = {}): Promise<FunctionCloud[]> {
  // stdout: the cdktf CLI shows an app's stderr lines as errors.
  const { root = ROOT, build = buildWithScript, log = (l: string) => process.stdout.write(`${l}\n`) } = options;
  const clouds = [...new Set(environments.filter((e) => e.packaging === 'function').map((e) => e.cloud as FunctionCloud))];
  const missing = clouds.filter((cloud) => missingBundleFiles(bundleDir(root, cloud), cloud).length > 0);
  if (missing.length === 0) return [];
  log(`flagstack: building the ${missing.join(' and ')} function bundle${missing.length > 1 ? 's' : ''} (npm run build -- --only ${missing.join(',')})`);
  await build(missing, log);
  for (const cloud of missing) {
    const still = missingBundleFiles(bundleDir(root, cloud), cloud);
    if (still.length > 0) throw new Error(`the ${cloud} function bundle is still missing ${still.join(', ')} after the build; run \`npm run build\` and check its output`);
  }
  return missing;
}

export function makeStacks(app: App, environments: readonly EnvironmentConfig[], root = ROOT): (FlagstackAzureStack | FlagstackGcpStack)[] {
  return environments.map((env) =>
    env.cloud === 'azure'
      ? new FlagstackAzureStack(app, stackName(env), { env, functionBundleDir: bundleDir(root, 'azure') })
      : new FlagstackGcpStack(app, stackName(env), { env, functionBundleDir: bundleDir(root, 'gcp') }),
  );
}

export interface SynthesizeOptions {
  /** The deployment config (default: FLAGSTACK_CONFIG, else ./flagstack.config.json). */
  configPath?: string;
  /** Where to write (default: CDKTF_OUTDIR, else cdktf.out; what the cdktf CLI passes). */
  outdir?: string;
  root?: string;
  build?: EnsureBundlesOptions['build'];
  log?: (line: string) => void;
  /** Problems: config errors and policy findings. */
  report?: (line: string) => void;
}

/** The whole app: config → bundles → stacks → synth → policies. Returns the exit code; writes nothing on a config error. */
export async function synthesize(options: SynthesizeOptions = {}): Promise<number> {
  const report = options.report ?? ((l: string) => process.stderr.write(`${l}\n`));
  let config;
  try {
    config = loadDeploymentConfig(options.configPath);
  } catch (error) {
    if (!(error instanceof DeploymentConfigError)) throw error;
    report(`flagstack: ${error.message}`);
    return 1;
  }
  const environments = [...environmentsFor(config, 'azure'), ...environmentsFor(config, 'gcp')];
  if (environments.length === 0) report(`flagstack: ${config.source} has no azure or gcp environment; nothing to synthesize`);
  await ensureFunctionBundles(environments, { root: options.root, build: options.build, log: options.log });
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  const stacks = makeStacks(app, environments, options.root);
  app.synth();
  let errors = 0;
  for (const stack of stacks) {
    const file = join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json');
    const findings = checkPolicies(JSON.parse(readFileSync(file, 'utf8')) as TerraformJson, { deletionProtection: stack.context.env.database.deletionProtection });
    for (const finding of findings) report(`${stack.node.id}: ${formatFinding(finding)}`);
    errors += findings.filter((f) => f.severity === 'error').length;
  }
  if (errors > 0) {
    report(`flagstack: ${errors} policy violation${errors > 1 ? 's' : ''}; see above`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  synthesize().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`flagstack: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
