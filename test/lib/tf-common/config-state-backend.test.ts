// The deployment-config field the Azure/GCP kit added: stateBackend, the remote Terraform state of a CDKTF stack.
import { parseDeploymentConfig } from '../../../lib/config';
import { problems } from '../config/helpers';

const azureEnv = (settings: Record<string, unknown> = {}, defaults?: Record<string, unknown>) => ({
  project: 'flagstack',
  ...(defaults ? { defaults } : {}),
  environments: [{ name: 'e', cloud: 'azure', region: 'westeurope', ...settings }],
});
const azurerm = { type: 'azurerm', resourceGroupName: 'tfstate', storageAccountName: 'tfstate123', containerName: 'state' };

describe('stateBackend', () => {
  it('accepts a complete azurerm or gcs backend, also from defaults', () => {
    expect(problems(azureEnv({ stateBackend: azurerm }))).toEqual([]);
    expect(problems(azureEnv({ cloud: 'gcp', region: 'europe-west1', stateBackend: { type: 'gcs', bucket: 'acme-tfstate', prefix: 'x' } }))).toEqual([]);
    const parsed = parseDeploymentConfig(azureEnv({ stateBackend: { key: 'custom.tfstate' } }, { stateBackend: azurerm }));
    expect(parsed.environments[0].stateBackend).toEqual({ ...azurerm, key: 'custom.tfstate' });
  });

  it('names the fields a type needs and the ones it does not take', () => {
    expect(problems(azureEnv({ stateBackend: { type: 'azurerm', bucket: 'state-bucket' } }))).toEqual([
      'environments[0].stateBackend.resourceGroupName: is required with stateBackend.type azurerm',
      'environments[0].stateBackend.storageAccountName: is required with stateBackend.type azurerm',
      'environments[0].stateBackend.containerName: is required with stateBackend.type azurerm',
      'environments[0].stateBackend.bucket: only applies with stateBackend.type gcs',
    ]);
    expect(problems(azureEnv({ stateBackend: { type: 'gcs' } }))).toEqual(['environments[0].stateBackend.bucket: is required with stateBackend.type gcs']);
  });

  it('is refused on aws, which keeps its state in CloudFormation', () => {
    expect(problems({ project: 'flagstack', environments: [{ name: 'e', cloud: 'aws', region: 'eu-west-1', stateBackend: { type: 'gcs', bucket: 'acme-tfstate' } }] })).toEqual([
      'environments[0].stateBackend: is for azure and gcp (CDKTF) stacks; the aws stacks keep their state in CloudFormation',
    ]);
  });

  it('checks the shape of names', () => {
    expect(problems(azureEnv({ stateBackend: { ...azurerm, storageAccountName: 'Not_Valid' } }))).toHaveLength(1);
  });
});
