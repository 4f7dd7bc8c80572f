// The custom domain either packaging of the API can take: a name, its certificate, and optionally the hosted zone in
// which to create the alias record.
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as route53 from 'aws-cdk-lib/aws-route53';

export interface ApiDomain {
  readonly name: string;
  readonly certificate: acm.ICertificate;
  /** Creates the alias record when given. */
  readonly zone?: route53.IHostedZone;
}
