// bin/cdktf.ts and cdktf.json: one stack per azure/gcp environment, function bundles built when missing, the app
// command run as the cdktf CLI runs it (offline), policies checked after synth, and a config a cloud cannot host
// rejected before anything is written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { ensureFunctionBundles, makeStacks, synthesize } from '../../../bin/cdktf';
import { environmentsFor } from '../../../lib/config';
import { FlagstackAzureStack } from '../../../lib/azure/stack';
import { FlagstackGcpStack } from '../../../lib/gcp/stack';
import { checkPolicies } from '../../../lib/tf-common/policy';
import { AZURE, GCP, ROOT, environment, example, fixtureRoot } from './helpers';

const cdktfJson = JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')) as Record<string, unknown>;
const exampleEnvironments = [...environmentsFor(example, 'azure'), ...environmentsFor(example, 'gcp')];

test('cdktf.json: the app runs bin/cdktf.ts through tsx (transpile only), no providers or modules to fetch', () => {
  expect(cdktfJson).toMatchObject({ language: 'typescript', app: 'node --require tsx/cjs bin/cdktf.ts', terraformProviders: [], terraformModules: [] });
});

test('one stack per azure and gcp environment of the example config, named <project>-<environment>', () => {
  const stacks = makeStacks(new App({ outdir: mkdtempSync(join(tmpdir(), 'cdktf-')) }), exampleEnvironments, fixtureRoot());
  expect(stacks.map((s) => [s.node.id, s.constructor.name])).toEqual([
    ['flagstack-azure-dev', FlagstackAzureStack.name],
    ['flagstack-gcp-dev', FlagstackGcpStack.name],
  ]);
});

test('synthesizes the example config to Terraform JSON with the zipped bundle beside it, policy-clean', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdktf-'));
  const app = new App({ outdir });
  const stacks = makeStacks(app, exampleEnvironments, fixtureRoot());
  app.synth();
  expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['flagstack-azure-dev', 'flagstack-gcp-dev']);
  for (const stack of stacks) {
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
    expect(checkPolicies(json, { deletionProtection: stack.context.env.database.deletionProtection })).toEqual([]);
    // No local state path from the test's machine leaks into a stack that sets none: cdktf's default is used.
    expect(Object.keys(json.terraform.backend)).toEqual(['local']);
  }
  const gcp = JSON.parse(readFileSync(join(outdir, 'stacks', 'flagstack-gcp-dev', 'cdk.tf.json'), 'utf8'));
  const source = Object.values(gcp.resource.google_storage_bucket_object as Record<string, { source: string }>)[0].source;
  const zip = readFileSync(join(outdir, 'stacks', 'flagstack-gcp-dev', source));
  expect(zip.subarray(0, 2).toString()).toBe('PK');
  expect(zip.includes(Buffer.from('index.js'))).toBe(true);
});

describe('function bundles', () => {
  const functionEnvs = [environment({ ...AZURE, packaging: 'function' }), environment({ ...GCP, packaging: 'function' })];
  const emptyRoot = () => mkdtempSync(join(tmpdir(), 'flagstack-root-'));

  test('present: nothing is built', async () => {
    const build = jest.fn();
    await expect(ensureFunctionBundles(functionEnvs, { root: fixtureRoot(), build, log: () => undefined })).resolves.toEqual([]);
    expect(build).not.toHaveBeenCalled();
  });

  test('container packagings need none', async () => {
    const build = jest.fn();
    await expect(ensureFunctionBundles([environment(AZURE), environment(GCP)], { root: emptyRoot(), build })).resolves.toEqual([]);
    expect(build).not.toHaveBeenCalled();
  });

  test('missing: the build runs for exactly the missing clouds, and the result is checked', async () => {
    const root = emptyRoot();
    const lines: string[] = [];
    const build = jest.fn(async (runtimes: string[]) => {
      for (const cloud of runtimes) {
        mkdirSync(join(root, 'dist', cloud), { recursive: true });
        for (const f of ['host.json', 'package.json', 'index.js']) writeFileSync(join(root, 'dist', cloud, f), '{}');
      }
    });
    await expect(ensureFunctionBundles(functionEnvs, { root, build, log: (l) => lines.push(l) })).resolves.toEqual(['azure', 'gcp']);
    expect(build).toHaveBeenCalledWith(['azure', 'gcp'], expect.any(Function));
    expect(lines).toEqual(['flagstack: building the azure and gcp function bundles (npm run build -- --only azure,gcp)']);
    await expect(ensureFunctionBundles(functionEnvs.slice(1), { root: emptyRoot(), build: async () => undefined, log: () => undefined })).rejects.toThrow(
      'the gcp function bundle is still missing package.json, index.js after the build; run `npm run build` and check its output',
    );
  });
});

describe('synthesize(): the whole app', () => {
  const configFile = (config: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'flagstack-app-'));
    writeFileSync(join(dir, 'flagstack.config.json'), JSON.stringify(config));
    return { configPath: join(dir, 'flagstack.config.json'), outdir: join(dir, 'cdktf.out') };
  };

  test('a combination a cloud cannot host fails with the validation message, and nothing is written', async () => {
    const { configPath, outdir } = configFile({ project: 'acme', environments: [{ name: 'az', ...AZURE, database: { engine: 'oracle' } }] });
    const report: string[] = [];
    await expect(synthesize({ configPath, outdir, report: (l) => report.push(l) })).resolves.toBe(1);
    expect(report).toEqual([expect.stringContaining('environments[0].database.engine: oracle is only available on aws (Azure and GCP have no managed Oracle)')]);
    expect(existsSync(outdir)).toBe(false);
  });

  test('a policy violation fails the synth and names the rule (prod without backups)', async () => {
    const { configPath, outdir } = configFile({ project: 'acme', environments: [{ name: 'gc', ...GCP, prod: true, database: { backupRetentionDays: 0 } }] });
    const report: string[] = [];
    await expect(synthesize({ configPath, outdir, root: fixtureRoot(), report: (l) => report.push(l) })).resolves.toBe(1);
    expect(report).toEqual([
      expect.stringMatching(/^acme-gc: \[error\] FS-BAK1 google_sql_database_instance\..*: settings\.backup_configuration\.enabled must be true$/),
      'flagstack: 1 policy violation; see above',
    ]);
  });
});

test('the app command, run as the cdktf CLI runs it, writes every stack of the FLAGSTACK_CONFIG file (offline)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flagstack-app-'));
  writeFileSync(join(dir, 'flagstack.config.json'), JSON.stringify({ project: 'acme', environments: [{ name: 'az', ...AZURE }, { name: 'gc', ...GCP, prod: true }] }));
  const outdir = join(dir, 'cdktf.out');
  const [command, ...args] = String(cdktfJson.app).split(' ');
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, FLAGSTACK_CONFIG: join(dir, 'flagstack.config.json'), CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['acme-az', 'acme-gc']);
  expect(existsSync(join(outdir, 'manifest.json'))).toBe(true);
}, 90_000);
