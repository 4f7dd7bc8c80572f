// What bin/cdk.ts does, as a function tests can call: one FlagstackStack per AWS environment of the deployment
// config (`-c env=<name>[,<name>]` keeps only those), and the cdk-nag AwsSolutions pack as a validation plugin, so
// `cdk synth` fails on any finding that is not acknowledged with a reason.
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { environmentsFor, loadDeploymentConfig, type DeploymentConfig } from '../config';
import { FlagstackStack, stackName } from './flagstack-stack';

export interface BuildAppOptions {
  /** @default - loadDeploymentConfig(): FLAGSTACK_CONFIG, else ./flagstack.config.json */
  readonly config?: DeploymentConfig;
  /** Environment names to synthesize, comma-separated (the `env` context). @default - every AWS environment */
  readonly only?: string;
  /** Run cdk-nag's AwsSolutions pack at synth (the `nag` context; "false" turns it off). @default true */
  readonly nag?: boolean;
  /** Passed to every stack (the `deployId` context). @default - the time of synthesis */
  readonly deployId?: string;
  /** Complete the Lambda bundles with scripts/build.ts. @default true */
  readonly runtimeBuild?: boolean;
}

export class UnknownEnvironmentError extends Error {}

export function buildApp(app: App, options: BuildAppOptions = {}): FlagstackStack[] {
  const config = options.config ?? loadDeploymentConfig();
  const aws = environmentsFor(config, 'aws');
  let selected = aws;
  if (options.only !== undefined && options.only.trim() !== '') {
    const names = options.only.split(',').map((n) => n.trim()).filter(Boolean);
    const unknown = names.filter((n) => !aws.some((e) => e.name === n));
    if (unknown.length > 0) {
      throw new UnknownEnvironmentError(
        `-c env=${options.only}: no AWS environment named ${unknown.join(', ')} in ${config.source} (AWS environments: ${aws.map((e) => e.name).join(', ') || 'none'})`,
      );
    }
    selected = aws.filter((e) => names.includes(e.name));
  }
  const deployId = options.deployId ?? new Date().toISOString();
  const stacks = selected.map((environment) => new FlagstackStack(app, stackName(environment), { environment, deployId, runtimeBuild: options.runtimeBuild }));
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stacks;
}
