// Shared setup of the AWS kit's tests: apps with the project's cdk.json feature flags, no built-in CloudFormation
// validation (7-14 s a synth, IAC-NOTES.md A4) and no asset bundling (aws:cdk:bundling-stacks: []), environments
// built through the real config loader, and a cache so each configuration is synthesized once per test file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { environmentsFor, loadDeploymentConfig, parseDeploymentConfig, type EnvironmentConfig } from '../../../lib/config';
import { FlagstackStack, type FlagstackStackProps } from '../../../lib/aws';

export const ROOT = join(__dirname, '..', '..', '..');
export const CDK_JSON = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { app: string; context: Record<string, unknown> };
export const DEPLOY_ID = 'test-deploy';
/** A prebuilt image, so that tests do not stage the repository as a Docker build context. */
export const TEST_IMAGE = 'public.ecr.aws/example/flagstack:test';

export interface TestAppOptions {
  /** Run NodejsFunction bundling (slow; one test does). @default false */
  bundle?: boolean;
  context?: Record<string, unknown>;
}

const outdirs: string[] = [];
// Every app of a test file writes its cloud assembly (with staged assets) to a temporary directory: remove them.
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function testApp(options: TestAppOptions = {}): App {
  const outdir = mkdtempSync(join(tmpdir(), 'flagstack-cdk-test-'));
  outdirs.push(outdir);
  return new App({
    outdir,
    builtinCloudFormationValidation: false,
    context: { ...CDK_JSON.context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context },
  });
}

/** One AWS environment through the real loader (defaults, built-in defaults, validation). */
export function environment(settings: Record<string, unknown> = {}, name = 'test'): EnvironmentConfig {
  const config = parseDeploymentConfig({ project: 'flagstack', environments: [{ name, cloud: 'aws', region: 'eu-west-1', ...settings }] });
  return config.environments[0];
}

export interface Synthesized {
  stack: FlagstackStack;
  template: Template;
  /** The template as JSON text. */
  json: string;
}

const cache = new Map<string, Synthesized>();

/**
 * Synthesizes a FlagstackStack for the settings (cached by settings). Containers use TEST_IMAGE unless
 * `image: 'asset'` is asked for.
 */
export function synth(settings: Record<string, unknown> = {}, extra: SynthExtra = {}): Synthesized {
  return synthEnvironment(environment(settings), extra);
}

export type SynthExtra = Partial<FlagstackStackProps> & { image?: 'asset' };

/** Synthesizes a FlagstackStack for a resolved environment (cached). */
export function synthEnvironment(env: EnvironmentConfig, extra: SynthExtra = {}): Synthesized {
  const key = JSON.stringify([env, extra]);
  const hit = cache.get(key);
  if (hit) return hit;
  const app = testApp();
  const { image, ...props } = extra;
  const stack = new FlagstackStack(app, `flagstack-${env.name}`, {
    environment: env,
    deployId: DEPLOY_ID,
    runtimeBuild: false,
    containerImage: image === 'asset' ? undefined : ecs.ContainerImage.fromRegistry(TEST_IMAGE),
    ...props,
  });
  const template = Template.fromStack(stack);
  const result = { stack, template, json: JSON.stringify(template.toJSON()) };
  cache.set(key, result);
  return result;
}

/** The example flagstack.config.json's AWS environments. */
export function exampleEnvironments(): EnvironmentConfig[] {
  return environmentsFor(loadDeploymentConfig(join(ROOT, 'flagstack.config.json')), 'aws');
}

/** Unacknowledged cdk-nag AwsSolutions findings of a stack, as `rule path` lines (errors and warnings). */
export function nagFindings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((v) =>
    v.violatingResources.length > 0
      ? v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? r.resourceLogicalId} (${v.severity ?? 'error'})`)
      : [`${v.ruleName} (${v.severity ?? 'error'})`],
  );
}

type Resource = { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] | string; [k: string]: unknown };

export function resources(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

export function onlyResource(template: Template, type: string): [string, Resource] {
  const found = Object.entries(resources(template, type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** The DependsOn of a resource as an array. */
export function dependsOn(resource: Resource): string[] {
  const d = resource.DependsOn;
  return d === undefined ? [] : Array.isArray(d) ? d : [d];
}

/** A bare stack (no FlagstackStack) for testing one construct, with the project's feature flags. */
export function bareStack(id = 'bare'): Stack {
  return new Stack(testApp(), id, { env: { region: 'eu-west-1' } });
}
