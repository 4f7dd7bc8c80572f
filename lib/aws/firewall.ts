// AWS WAF in front of the load balancer: AWS managed rule groups (common exploits, known bad inputs, IP reputation)
// and a per-address rate limit. Large admin request bodies (environment documents, imports) are only counted by the
// common rule set's body-size rule, not blocked.
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiFirewallProps {
  /** ARN of the load balancer to protect. */
  readonly resourceArn: string;
  /** Requests per address in five minutes before it is blocked. @default 6000 */
  readonly rateLimitPer5Minutes?: number;
}

export class ApiFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: name,
    });
    const managed = (priority: number, name: string, excludedCount: string[] = []): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ruleActionOverrides: excludedCount.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
        },
      },
      visibilityConfig: visibility(name),
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('flagstack'),
      rules: [
        {
          name: 'RateLimitPerAddress',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.rateLimitPer5Minutes ?? 6000, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RateLimitPerAddress'),
        },
        managed(1, 'AWSManagedRulesAmazonIpReputationList'),
        managed(2, 'AWSManagedRulesCommonRuleSet', ['SizeRestrictions_BODY']),
        managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.resourceArn, webAclArn: this.webAcl.attrArn });
  }
}
