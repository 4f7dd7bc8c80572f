// Where a stack keeps its Terraform state. The state holds the generated database password and encryption key, so
// the config's `stateBackend` (an Azure blob container or a GCS bucket, both encrypted at rest and access-controlled)
// should always be set for real environments. Without it cdktf writes a local state file, whose absolute path ends
// up in the synthesized JSON, and the stack says so at synth.
import { Annotations, AzurermBackend, GcsBackend, type TerraformStack } from 'cdktf';
import type { EnvironmentConfig } from '../config';

export type StateBackendKind = 'local' | 'azurerm' | 'gcs';

export function configureStateBackend(stack: TerraformStack, env: EnvironmentConfig): StateBackendKind {
  const backend = env.stateBackend;
  if (!backend) {
    Annotations.of(stack).addWarning(
      `${env.name}: no stateBackend in the config, so Terraform state (which holds the generated database password and ` +
        'encryption key) is a local file. Set stateBackend to an azurerm container or gcs bucket before deploying anything real.',
    );
    return 'local';
  }
  if (backend.type === 'azurerm') {
    new AzurermBackend(stack, {
      resourceGroupName: backend.resourceGroupName!,
      storageAccountName: backend.storageAccountName!,
      containerName: backend.containerName!,
      key: backend.key ?? `${env.project}/${env.name}.tfstate`,
      // Entra ID (az login) rather than a storage account key in the backend block.
      useAzureadAuth: true,
    });
    return 'azurerm';
  }
  new GcsBackend(stack, { bucket: backend.bucket!, prefix: backend.prefix ?? `${env.project}/${env.name}` });
  return 'gcs';
}
