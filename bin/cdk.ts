// The CDK app: one stack per AWS environment of flagstack.config.json (or the file FLAGSTACK_CONFIG names).
//   npx cdk synth                         every AWS environment, offline, no credentials needed
//   npx cdk synth flagstack-staging       one stack by name
//   npx cdk deploy -c env=staging         one environment by its config name
//   -c nag=false                          skip the cdk-nag AwsSolutions checks
// cdk.json runs this file with tsx (transpile only, no type-check; `npm run typecheck` does that).
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/aws/app';

const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined ? undefined : String(value);
};
buildApp(app, { only: context('env'), nag: context('nag') !== 'false', deployId: context('deployId') });
app.synth();
