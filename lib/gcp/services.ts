// The Google APIs a stack needs, enabled by the stack itself (and left enabled on destroy: other things in the
// project may use them).
import { Construct } from 'constructs';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import type { Packaging } from '../config';

export function requiredApis(packaging: Packaging): string[] {
  const common = [
    'compute.googleapis.com',
    'servicenetworking.googleapis.com',
    'sqladmin.googleapis.com',
    'secretmanager.googleapis.com',
    'iam.googleapis.com',
    'run.googleapis.com',
    'cloudscheduler.googleapis.com',
  ];
  return packaging === 'function'
    ? [...common, 'cloudfunctions.googleapis.com', 'cloudbuild.googleapis.com', 'artifactregistry.googleapis.com', 'storage.googleapis.com', 'vpcaccess.googleapis.com']
    : common;
}

export class GcpProjectServices extends Construct {
  readonly services: ProjectService[];

  constructor(scope: Construct, id: string, props: { packaging: Packaging }) {
    super(scope, id);
    this.services = requiredApis(props.packaging).map(
      (service) => new ProjectService(this, service.split('.')[0], { service, disableOnDestroy: false, disableDependentServices: false }),
    );
  }
}
