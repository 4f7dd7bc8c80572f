// cdk-nag 3 findings the kit accepts, acknowledged next to the construct that causes them, each with its reason.
// cdk-nag reads the acknowledgements from construct metadata (Validations.of(x).acknowledge), for the construct and
// everything under it. Use the plain rule id ('AwsSolutions-IAM4'), or one finding ('AwsSolutions-IAM5[Resource::…]').
import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** Reasons shared by several constructs. */
export const REASONS = {
  lambdaBasicExecution:
    'AWSLambdaBasicExecutionRole / AWSLambdaVPCAccessExecutionRole are the AWS-maintained least-privilege policies for writing logs and attaching to a VPC; a copy would drift from them.',
  lambdaRuntimePinned:
    'The runtime follows the environment\'s nodeVersion (default 22, the version the API is built and tested for), not whichever Node.js Lambda released last.',
  cdkSingletonFunction:
    'A function that aws-cdk-lib itself creates and versions (custom-resource provider, log retention, default security group restriction); its runtime and policies are aws-cdk-lib\'s.',
} as const;

/** One IAM4 finding: the AWS managed policy a role uses (granular findings need their exact id). */
export function managedPolicyFinding(policy: 'AWSLambdaBasicExecutionRole' | 'AWSLambdaVPCAccessExecutionRole'): string {
  return `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`;
}

/** The IAM5 finding of a policy that may invoke every version and alias of a function (`<fn.Arn>:*`). */
export function invokeAnyVersionFinding(fn: IConstruct): string {
  const resource = fn.node.defaultChild as CfnElement;
  const stack = Stack.of(fn);
  return `AwsSolutions-IAM5[Resource::<${stack.resolve(stack.getLogicalId(resource))}.Arn>:*]`;
}

/** A Lambda function's role uses the AWS managed policies for logs (and the VPC when it is in one). */
export function acknowledgeLambdaRole(scope: IConstruct, inVpc: boolean): void {
  acknowledge(scope, managedPolicyFinding('AWSLambdaBasicExecutionRole'), REASONS.lambdaBasicExecution);
  if (inVpc) acknowledge(scope, managedPolicyFinding('AWSLambdaVPCAccessExecutionRole'), REASONS.lambdaBasicExecution);
}
