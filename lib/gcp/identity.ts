// Dedicated service accounts, each with only what it needs:
//   api        runs the API, its jobs and functions; reads exactly its own secrets (secret-level bindings, added by
//              GcpSecretStore). No project-level role: Cloud Run and Cloud Functions write its logs themselves, and it
//              reaches Cloud SQL over the private network with a password (no Cloud SQL IAM role).
//   scheduler  Cloud Scheduler's identity; may invoke exactly the jobs and functions it triggers (resource-level
//              run.invoker, added where they are created).
//   build      (function packaging) Cloud Build's identity for the function builds: write logs and the built image
//              (project-level, as Cloud Functions creates its image repository itself) and read the source bucket.
import { Construct } from 'constructs';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { boundedName } from '../tf-common/names';
import type { GcpContext } from './context';

/** Project-level roles the kit grants, and to whom: anything else at project level is a policy violation. */
export const PROJECT_ROLES_FOR_BUILD = ['roles/logging.logWriter', 'roles/artifactregistry.writer'] as const;

export class GcpServiceAccounts extends Construct {
  readonly api: ServiceAccount;
  readonly scheduler: ServiceAccount;
  readonly build?: ServiceAccount;

  constructor(scope: Construct, id: string, props: { context: GcpContext }) {
    super(scope, id);
    const { env, stem, project, apis } = props.context;
    // Account ids: 6–30 characters.
    const account = (cid: string, role: string, description: string) =>
      new ServiceAccount(this, cid, { accountId: boundedName([stem, role], { max: 30 }), displayName: `flagstack ${env.name} ${role}`, description, dependsOn: apis });
    this.api = account('api', 'api', 'Runs the flagstack API and its jobs; reads its own secrets only.');
    this.scheduler = account('scheduler', 'sched', 'Cloud Scheduler: triggers the flagstack jobs.');
    if (env.packaging === 'function') {
      this.build = account('build', 'build', 'Cloud Build: builds the flagstack functions.');
      for (const role of PROJECT_ROLES_FOR_BUILD) {
        new ProjectIamMember(this, `build-${role.split('/')[1].replace('.', '-')}`, { project, role, member: this.build.member });
      }
    }
  }
}
