// The cloud-agnostic pieces of the CDKTF kit: names, address ranges, jobs, the image choice, bundles, the API
// environment wrapper and the state backend.
import { TerraformStack, Testing } from 'cdktf';
import { boundedName, gcpLabels, shortHash, stackName } from '../../../lib/tf-common/names';
import { cidrSubnet, parseCidr } from '../../../lib/tf-common/cidr';
import { jobsFor, LDAP_SYNC_JOB, MIGRATE_JOB, SCHEDULED_CHANGES_JOB } from '../../../lib/tf-common/jobs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_PORT, CLI_COMMAND, containerImage, DEFAULT_IMAGE_REPOSITORY, flagstackVersion } from '../../../lib/tf-common/runtime';
import { assertBundle, missingBundleFiles } from '../../../lib/tf-common/bundles';
import { secretKey, stackEnvironment } from '../../../lib/tf-common/api-env';
import { configureStateBackend } from '../../../lib/tf-common/backend';
import { AZURE, GCP, LDAP, ROOT, bundleDir, environment, warningsOf } from './helpers';

const endpoint = { host: 'db.internal', port: '5432', name: 'flagstack', user: 'flagstack' };

describe('names', () => {
  it('keeps short names and bounds long ones with a stable hash', () => {
    expect(boundedName(['flagstack', 'dev', 'api'], { max: 32 })).toBe('flagstack-dev-api');
    const long = boundedName(['flagstack', 'a-very-long-environment-name-here', 'scheduled-changes'], { max: 32 });
    expect(long).toHaveLength(32);
    expect(long.endsWith(shortHash('flagstack-a-very-long-environment-name-here-scheduled-changes'))).toBe(true);
    expect(boundedName(['flagstack', 'a-very-long-environment-name-here', 'ldap-sync'], { max: 32 })).not.toBe(long);
  });

  it('follows the character rules: letters first, no separator for storage accounts, lower case', () => {
    expect(boundedName(['Flag_Stack', 'Dev'], { max: 24, separator: '' })).toBe('flagstackdev');
    expect(boundedName(['1st', 'env'], { max: 24 })).toBe('f-1st-env');
    expect(stackName({ project: 'flagstack', name: 'azure-dev' })).toBe('flagstack-azure-dev');
  });

  it('turns tags into GCP labels', () => {
    const env = environment({ ...GCP, tags: { 'Cost Center': 'R&D', '9lives': 'x' } });
    expect(gcpLabels(env)).toEqual({ cost_center: 'r_d', l9lives: 'x', 'flagstack-project': 'flagstack', 'flagstack-environment': 't' });
  });
});

describe('cidr', () => {
  it('splits a range like Terraform cidrsubnet', () => {
    expect(cidrSubnet('10.40.0.0/16', 1, 0)).toBe('10.40.0.0/17');
    expect(cidrSubnet('10.40.0.0/16', 2, 2)).toBe('10.40.128.0/18');
    expect(cidrSubnet('10.50.0.0/16', 12, 4095)).toBe('10.50.255.240/28');
    expect(parseCidr('10.1.2.3/8')).toEqual({ base: 10 * 2 ** 24, prefix: 8 });
  });

  it('refuses what does not fit', () => {
    expect(() => cidrSubnet('10.0.0.0/30', 4, 0)).toThrow('cannot be split into /34 blocks');
    expect(() => cidrSubnet('10.0.0.0/16', 1, 2)).toThrow('has no block 2');
    expect(() => parseCidr('10.0.0.300/16')).toThrow('not an IPv4 CIDR block');
  });
});

describe('jobs', () => {
  it('runs migrations on demand, scheduled changes every minute, LDAP sync only with LDAP', () => {
    expect(jobsFor(environment(AZURE))).toEqual([MIGRATE_JOB, SCHEDULED_CHANGES_JOB]);
    expect(jobsFor(environment({ ...AZURE, auth: { ldap: LDAP } }))).toEqual([MIGRATE_JOB, SCHEDULED_CHANGES_JOB, LDAP_SYNC_JOB]);
    expect(MIGRATE_JOB.schedule).toBeUndefined();
    expect(SCHEDULED_CHANGES_JOB).toMatchObject({ args: ['run-scheduler', '--once'], schedule: '* * * * *' });
    expect(LDAP_SYNC_JOB.args).toEqual(['sync-ldap-users-and-groups']);
  });
});

describe('the root Dockerfile', () => {
  it('runs the CLI the jobs call, in the directory they assume', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = [...dockerfile.matchAll(/^CMD (\[.*\])$/gm)].pop()?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual([...CLI_COMMAND, 'serve']);
    expect([...dockerfile.matchAll(/^WORKDIR (\S+)$/gm)].pop()?.[1]).toBe('/app');
    expect(dockerfile).not.toMatch(/^ENTRYPOINT/m);
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${API_PORT}$`, 'm'));
  });
});

describe('image', () => {
  it('uses image.uri, else the versioned placeholder', () => {
    expect(containerImage(environment({ ...AZURE, image: { uri: 'acme.azurecr.io/flagstack:1.2.3' } }))).toEqual({ uri: 'acme.azurecr.io/flagstack:1.2.3', placeholder: false });
    expect(containerImage(environment(AZURE))).toEqual({ uri: `${DEFAULT_IMAGE_REPOSITORY}:${flagstackVersion()}`, placeholder: true });
    expect(flagstackVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('bundles', () => {
  it('names the missing files and what to run', () => {
    expect(missingBundleFiles(bundleDir('azure'), 'azure')).toEqual([]);
    expect(missingBundleFiles(bundleDir('gcp'), 'azure')).toEqual(['host.json']);
    expect(() => assertBundle('/nonexistent/dist/gcp', 'gcp')).toThrow('is missing package.json, index.js: run `npm run build` first');
  });
});

describe('API environment', () => {
  it('keys each secret source once and keeps the contract', () => {
    const env = environment({ ...AZURE, auth: { adminEmail: 'admin@example.com', ldap: LDAP } });
    const result = stackEnvironment(env, endpoint);
    expect([...result.sources.keys()]).toEqual(['db-password', 'encryption-key', 'admin-password', 'ref:ldap-search-password', 'ref:ldap-sync-password']);
    expect(secretKey({ kind: 'generated', purpose: 'encryption-key' })).toBe('encryption-key');
    expect(result.variables.ADMIN_EMAIL).toBe('admin@example.com');
  });

  it('refuses overrides the API does not read, or secrets as plain values', () => {
    const env = environment(AZURE);
    expect(() => stackEnvironment(env, endpoint, { NOT_READ: '1' })).toThrow('NOT_READ: not a variable the API reads');
    expect(() => stackEnvironment(env, endpoint, { DJANGO_DB_PASSWORD: 'x' })).toThrow('DJANGO_DB_PASSWORD: a secret emitted as a plain value');
  });
});

describe('state backend', () => {
  const synth = (entry: Record<string, unknown>) => {
    const stack = new TerraformStack(Testing.app(), 's');
    const kind = configureStateBackend(stack, environment(entry));
    return { kind, stack, json: JSON.parse(Testing.synth(stack)) as { terraform?: { backend?: Record<string, unknown> } } };
  };

  it('writes an azurerm backend with Entra ID auth and a default key', () => {
    const { kind, json } = synth({ ...AZURE, stateBackend: { type: 'azurerm', resourceGroupName: 'tf', storageAccountName: 'tfstate1', containerName: 'state' } });
    expect(kind).toBe('azurerm');
    expect(json.terraform?.backend?.azurerm).toEqual({ resource_group_name: 'tf', storage_account_name: 'tfstate1', container_name: 'state', key: 'flagstack/t.tfstate', use_azuread_auth: true });
  });

  it('writes a gcs backend with a default prefix', () => {
    const { json } = synth({ ...GCP, stateBackend: { type: 'gcs', bucket: 'acme-tfstate' } });
    expect(json.terraform?.backend?.gcs).toEqual({ bucket: 'acme-tfstate', prefix: 'flagstack/t' });
  });

  it('warns when the state stays local', () => {
    const { kind, stack } = synth(AZURE);
    expect(kind).toBe('local');
    expect(warningsOf(stack).join('\n')).toMatch(/no stateBackend in the config, so Terraform state .* is a local file/);
    expect(warningsOf(synth({ ...GCP, stateBackend: { type: 'gcs', bucket: 'acme-tfstate' } }).stack)).toEqual([]);
  });
});
