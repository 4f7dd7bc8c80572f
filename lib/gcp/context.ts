// What every GCP construct of a stack shares: the environment, region, project, labels, the random suffix of
// globally unique names (buckets, Cloud SQL instance names, which are not reusable for a week after deletion), and
// the enabled APIs everything else must wait for.
import type { ITerraformDependable } from 'cdktf';
import type { EnvironmentConfig } from '../config';

export interface GcpContext {
  env: EnvironmentConfig;
  region: string;
  /** The project id, as the provider resolves it at plan time (GOOGLE_PROJECT / GOOGLE_CLOUD_PROJECT). */
  project: string;
  labels: Record<string, string>;
  /** `<project>-<environment>`. */
  stem: string;
  /** Six lower-case letters and digits, fixed at first deploy (a random_string in the state). */
  suffix: string;
  /** The project services (APIs) the stack enables. */
  apis: ITerraformDependable[];
}
