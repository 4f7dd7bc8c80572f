// Shared by the Azure/GCP kit's tests: example and variant environments built through the real config loader (so
// defaults and validation apply), stand-in function bundles, and synthesis to parsed Terraform JSON.
import 'cdktf/lib/testing/adapters/jest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, TerraformStack, type App } from 'cdktf';
import { loadDeploymentConfig, parseDeploymentConfig, type EnvironmentConfig } from '../../../lib/config';
import { FlagstackAzureStack } from '../../../lib/azure/stack';
import { FlagstackGcpStack } from '../../../lib/gcp/stack';
import type { AzureContext } from '../../../lib/azure/context';
import type { GcpContext } from '../../../lib/gcp/context';
import type { TerraformJson } from '../../../lib/tf-common/tf-json';

Testing.setupJest();

export const ROOT = join(__dirname, '..', '..', '..');
export const example = loadDeploymentConfig(join(ROOT, 'flagstack.config.json'));

export function exampleEnv(name: string): EnvironmentConfig {
  const env = example.environments.find((e) => e.name === name);
  if (!env) throw new Error(`no ${name} in the example config`);
  return env;
}

/** One environment resolved by the config loader from the given entry (name defaults to `t`). */
export function environment(entry: Record<string, unknown>): EnvironmentConfig {
  return parseDeploymentConfig({ project: 'flagstack', environments: [{ name: 't', ...entry }] }, 'test.json').environments[0];
}

export const AZURE = { cloud: 'azure', region: 'westeurope' } as const;
export const GCP = { cloud: 'gcp', region: 'europe-west1' } as const;

export const APPD = {
  enabled: true,
  controllerHost: 'acme.saas.appdynamics.com',
  accountName: 'acme',
  applicationName: 'flagstack',
  tierName: 'api',
  accessKeySecret: 'appd-access-key',
};
export const LDAP = {
  url: 'ldaps://ldap.example.com',
  searchBase: 'dc=example,dc=com',
  connectionUsername: 'cn=search',
  connectionPasswordSecret: 'ldap-search-password',
  syncUsername: 'cn=sync',
  syncPasswordSecret: 'ldap-sync-password',
};

let bundleRoot: string | undefined;
/** A root with stand-in dist/azure and dist/gcp folders (the files the stacks check for, one line each). */
export function fixtureRoot(): string {
  if (bundleRoot) return bundleRoot;
  bundleRoot = mkdtempSync(join(tmpdir(), 'flagstack-tf-'));
  for (const [cloud, files] of Object.entries({ azure: ['host.json', 'package.json', 'index.js'], gcp: ['package.json', 'index.js'] })) {
    const dir = join(bundleRoot, 'dist', cloud);
    mkdirSync(dir, { recursive: true });
    for (const f of files) writeFileSync(join(dir, f), f.endsWith('.json') ? '{}\n' : 'module.exports = {};\n');
  }
  return bundleRoot;
}
export const bundleDir = (cloud: 'azure' | 'gcp') => join(fixtureRoot(), 'dist', cloud);

export interface Synthesized<S> {
  stack: S;
  text: string;
  json: TerraformJson;
}

export function synthAzure(env: EnvironmentConfig, app: App = Testing.app()): Synthesized<FlagstackAzureStack> {
  const stack = new FlagstackAzureStack(app, `flagstack-${env.name}`, { env, functionBundleDir: bundleDir('azure') });
  const text = Testing.synth(stack);
  return { stack, text, json: JSON.parse(text) as TerraformJson };
}

export function synthGcp(env: EnvironmentConfig, app: App = Testing.app()): Synthesized<FlagstackGcpStack> {
  const stack = new FlagstackGcpStack(app, `flagstack-${env.name}`, { env, functionBundleDir: bundleDir('gcp') });
  const text = Testing.synth(stack);
  return { stack, text, json: JSON.parse(text) as TerraformJson };
}

export function synthStack(env: EnvironmentConfig): Synthesized<FlagstackAzureStack | FlagstackGcpStack> {
  return env.cloud === 'azure' ? synthAzure(env) : synthGcp(env);
}

/** Synthesizes what `build` adds to an empty stack, as parsed JSON (Testing.synthScope). */
export function synthScope(build: (scope: TerraformStack) => void): TerraformJson {
  return JSON.parse(Testing.synthScope((scope) => build(scope as TerraformStack))) as TerraformJson;
}

export function azureContext(env: EnvironmentConfig): AzureContext {
  return { env, resourceGroupName: 'rg', location: 'westeurope', tags: { project: 'flagstack' }, stem: `flagstack-${env.name}`, suffix: 'abc123' };
}

export function gcpContext(env: EnvironmentConfig): GcpContext {
  return { env, region: 'europe-west1', project: 'acme-prod', labels: { project: 'flagstack' }, stem: `flagstack-${env.name}`, suffix: 'abc123', apis: [] };
}

/** The only resource of a type (fails when there is not exactly one). */
export function only(json: TerraformJson, type: string): Record<string, any> {
  const all = Object.values(json.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as Record<string, any>;
}

export function all(json: TerraformJson, type: string): Record<string, any>[] {
  return Object.values(json.resource?.[type] ?? {}) as Record<string, any>[];
}

/** The warnings (Annotations.addWarning) on a construct and everything below it. */
export function warningsOf(scope: { node: { findAll(): { node: { metadata: { type: string; data: unknown }[] } }[] } }): string[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
}
