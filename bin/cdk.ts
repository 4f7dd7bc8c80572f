// The CDK app: one stack per AWS environment of flagstack.config.json (or the file FLAGSTACK_CONFIG names).
//   npx cdk synth                         every AWS environment, offline, no credentials needed
//   npx cdk synth flagstack-staging       one stack by name
//   npx cdk deploy -c env=staging         one environment by its config name
//   -c nag=false                          skip the cdk-nag AwsSolutions checks
//   -c validate=true                      also run aws-cdk-lib's built-in CloudFormation validation (~10 s a synth)
// cdk.json runs this file with tsx (transpile only, no type-check; `npm run typecheck` does that).
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/aws/app';

// The context decides how the app is built, so read it from an app that is never synthesized.
const context = new App({ autoSynth: false }).node;
const option = (key: string): string | undefined => {
  const value: unknown = context.tryGetContext(key);
  return value === undefined ? undefined : String(value);
};
const app = new App({ builtinCloudFormationValidation: option('validate') === 'true' });
buildApp(app, { only: option('env'), nag: option('nag') !== 'false', deployId: option('deployId') });
app.synth();
