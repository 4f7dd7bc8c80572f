import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentsFor, loadDeploymentConfig, renderDeploymentConfigJsonSchema } from '../../../lib/config';

const ROOT = join(__dirname, '../../..');

describe('the example flagstack.config.json', () => {
  const config = loadDeploymentConfig(join(ROOT, 'flagstack.config.json'));

  it('loads, with the five documented environments', () => {
    expect(config.project).toBe('flagstack');
    expect(config.environments.map((e) => [e.name, e.cloud, e.region, e.packaging, e.database.engine])).toEqual([
      ['dev', 'aws', 'eu-west-1', 'container', 'postgres'],
      ['staging', 'aws', 'eu-west-1', 'function', 'postgres'],
      ['prod', 'aws', 'eu-west-1', 'container', 'postgres'],
      ['azure-dev', 'azure', 'westeurope', 'container', 'postgres'],
      ['gcp-dev', 'gcp', 'europe-west1', 'function', 'postgres'],
    ]);
    expect(config.environments.every((e) => e.project === 'flagstack' && e.nodeVersion === 22)).toBe(true);
  });

  it('makes dev small and prod safe, with AppDynamics by secret reference', () => {
    const [dev, , prod] = config.environments;
    expect(dev.database).toMatchObject({ size: 'small', highAvailability: false, deletionProtection: false });
    expect(dev.prod).toBe(false);
    expect(prod.prod).toBe(true);
    expect(prod.database).toMatchObject({ highAvailability: true, deletionProtection: true, snapshotOnDelete: true, backupRetentionDays: 30 });
    expect(prod.appDynamics).toMatchObject({ enabled: true, accessKeySecret: 'flagstack/prod/appdynamics-access-key', controllerPort: 443, ssl: true });
  });

  it('splits by cloud for the two apps', () => {
    expect(environmentsFor(config, 'aws').map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect(environmentsFor(config, 'azure').map((e) => e.name)).toEqual(['azure-dev']);
    expect(environmentsFor(config, 'gcp').map((e) => e.name)).toEqual(['gcp-dev']);
  });

  it('points editors at the committed JSON Schema', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'flagstack.config.json'), 'utf8')).$schema).toBe('./flagstack.config.schema.json');
  });
});

describe('flagstack.config.schema.json', () => {
  const committed = readFileSync(join(ROOT, 'flagstack.config.schema.json'), 'utf8');

  it('is what scripts/generate-config-schema.ts produces now (run it after changing lib/config/schema.ts)', () => {
    expect(committed).toBe(renderDeploymentConfigJsonSchema());
  });

  it('is draft-07 with descriptions and closed objects', () => {
    const schema = JSON.parse(committed);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['project', 'environments']);
    const entry = schema.properties.environments.items;
    expect(entry.required).toEqual(['name']);
    expect(entry.additionalProperties).toBe(false);
    expect(entry.properties.database.properties.engine.description).toMatch(/oracle only on aws/);
    expect(schema.properties.defaults.properties.name).toBeUndefined();
    for (const [key, prop] of Object.entries<{ description?: string }>(entry.properties)) {
      expect({ key, described: Boolean(prop.description) }).toEqual({ key, described: true });
    }
  });
});
