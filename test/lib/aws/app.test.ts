// The CDK app (bin/cdk.ts → lib/aws/app.ts): one stack per AWS environment of the config, selection by name,
// FLAGSTACK_CONFIG, cdk-nag enforced at synth, no lookups — and bin/cdk.ts itself run the way the CLI runs it,
// offline and without credentials.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildApp, UnknownEnvironmentError } from '../../../lib/aws';
import { loadDeploymentConfig } from '../../../lib/config';
import { CDK_JSON, ROOT, testApp } from './helpers';

const config = loadDeploymentConfig(join(ROOT, 'flagstack.config.json'));

describe('buildApp with the example config', () => {
  const app = testApp();
  const stacks = buildApp(app, { config, runtimeBuild: false, deployId: 'test' });

  it('makes one stack per AWS environment, in its region, for whatever account deploys it', () => {
    expect(stacks.map((s) => [s.stackName, s.region, Token.isUnresolved(s.account), s.config.packaging])).toEqual([
      ['flagstack-dev', 'eu-west-1', true, 'container'],
      ['flagstack-staging', 'eu-west-1', true, 'function'],
      ['flagstack-prod', 'eu-west-1', true, 'container'],
    ]);
  });

  it('synthesizes with cdk-nag as a validation plugin, and asks for no lookups', () => {
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['flagstack-dev', 'flagstack-prod', 'flagstack-staging']);
    expect(assembly.manifest.missing).toBeUndefined();
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
  });
});

describe('selection', () => {
  it('keeps only the environments named by -c env', () => {
    expect(buildApp(testApp(), { config, only: 'staging', runtimeBuild: false }).map((s) => s.stackName)).toEqual(['flagstack-staging']);
    expect(buildApp(testApp(), { config, only: 'prod, dev', runtimeBuild: false }).map((s) => s.stackName)).toEqual(['flagstack-dev', 'flagstack-prod']);
  });

  it('names the AWS environments when asked for one that is not there (or not on AWS)', () => {
    expect(() => buildApp(testApp(), { config, only: 'azure-dev' })).toThrow(UnknownEnvironmentError);
    expect(() => buildApp(testApp(), { config, only: 'nope' })).toThrow(/-c env=nope: no AWS environment named nope in .*flagstack\.config\.json \(AWS environments: dev, staging, prod\)/);
  });

  it('reads the file FLAGSTACK_CONFIG names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flagstack-config-'));
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ project: 'acme', environments: [{ name: 'qa', cloud: 'aws', region: 'us-east-2', packaging: 'function' }] }));
    const before = process.env.FLAGSTACK_CONFIG;
    process.env.FLAGSTACK_CONFIG = file;
    try {
      const [stack] = buildApp(testApp(), { runtimeBuild: false });
      expect([stack.stackName, stack.region]).toEqual(['acme-qa', 'us-east-2']);
    } finally {
      if (before === undefined) delete process.env.FLAGSTACK_CONFIG;
      else process.env.FLAGSTACK_CONFIG = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cdk-nag at synth', () => {
  it('fails the synth on an unacknowledged finding, unless turned off', () => {
    const strict = testApp();
    const [stack] = buildApp(strict, { config, only: 'staging', runtimeBuild: false });
    new s3.Bucket(stack, 'Unsafe');
    expect(() => strict.synth()).toThrow(/ERROR The S3 Bucket has server access logs disabled. \(AwsSolutions\)\n\s+flagstack-staging\/Unsafe\/Resource/);

    const relaxed = testApp();
    const [other] = buildApp(relaxed, { config, only: 'staging', runtimeBuild: false, nag: false });
    new s3.Bucket(other, 'Unsafe');
    expect(() => relaxed.synth()).not.toThrow();
  });
});

describe('cdk.json', () => {
  it('runs bin/cdk.ts through tsx (transpile only), with the recommended feature flags', () => {
    expect(CDK_JSON.app).toBe('node --import tsx bin/cdk.ts');
    expect(CDK_JSON.context['@aws-cdk/aws-lambda:useCdkManagedLogGroup']).toBe(true);
    expect(CDK_JSON.context['@aws-cdk/aws-ec2:restrictDefaultSecurityGroup']).toBe(true);
  });
});

describe('bin/cdk.ts as the CLI runs it', () => {
  it('synthesizes the selected environment offline, with no AWS credentials in its environment', () => {
    const out = mkdtempSync(join(tmpdir(), 'flagstack-cdk-out-'));
    try {
      const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CDK_OUTDIR: out };
      // What `cdk synth -c env=staging` passes, with bundling skipped (the bundling test bundles for real).
      env.CDK_CONTEXT_JSON = JSON.stringify({ ...CDK_JSON.context, env: 'staging', deployId: 'ci', 'aws:cdk:bundling-stacks': [] });
      execFileSync(process.execPath, ['--import', 'tsx', 'bin/cdk.ts'], { cwd: ROOT, env, stdio: 'pipe', timeout: 120_000 });
      expect(readdirSync(out).filter((f) => f.endsWith('.template.json'))).toEqual(['flagstack-staging.template.json']);
      const template = JSON.parse(readFileSync(join(out, 'flagstack-staging.template.json'), 'utf8'));
      const migration = Object.values<{ Type: string; Properties: { DeployId: string } }>(template.Resources).find((r) => r.Type === 'Custom::FlagstackMigration');
      expect(migration?.Properties.DeployId).toBe('ci');
      expect(existsSync(join(out, 'manifest.json'))).toBe(true);
      // cdk-nag ran as a plugin and reported nothing.
      const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')) as { pluginReports: { pluginName: string }[] };
      expect(report.pluginReports).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
