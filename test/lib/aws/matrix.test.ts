// Every packaging × database engine: the stack synthesizes, wires the engine it was asked for (TLS enforced, proxy
// where supported), and passes cdk-nag's AwsSolutions pack with no finding left unacknowledged. Plus: every
// acknowledgement in the kit carries a reason, and the nag harness does catch an unacknowledged finding.
import { Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { dependsOn, nagFindings, onlyResource, resources, synth, testApp } from './helpers';

const ENGINES = [
  { label: 'postgres', database: { engine: 'postgres' }, django: 'postgresql', port: '5432', cfn: 'postgres' },
  { label: 'aurora-postgres', database: { engine: 'postgres', aurora: true }, django: 'postgresql', port: '5432', cfn: 'aurora-postgresql' },
  { label: 'mysql', database: { engine: 'mysql' }, django: 'mysql', port: '3306', cfn: 'mysql' },
  { label: 'sqlserver', database: { engine: 'sqlserver' }, django: 'sql_server', port: '1433', cfn: 'sqlserver-se' },
  { label: 'oracle', database: { engine: 'oracle' }, django: 'oracle', port: '2484', cfn: 'oracle-se2' },
] as const;
const PACKAGINGS = ['container', 'function'] as const;
const CELLS = PACKAGINGS.flatMap((packaging) => ENGINES.map((e) => [packaging, e.label, e] as const));

/** Every acknowledgement recorded on a construct tree: [path, rule id, reason]. */
function acknowledgements(root: IConstruct): [string, string, unknown][] {
  return root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, unknown>).map(([id, reason]): [string, string, unknown] => [c.node.path, id, reason])),
    );
}

type Metadata = { type: string; data: unknown };

/** Runs `fn` with the cdk-nag acknowledgements of the tree taken away (then puts them back). */
function withoutAcknowledgements<T>(root: IConstruct, fn: () => T): T {
  const saved = new Map<IConstruct, Metadata[]>();
  for (const c of root.node.findAll()) {
    const node = c.node as unknown as { _metadata?: Metadata[] };
    if (!node._metadata) continue;
    saved.set(c, node._metadata);
    node._metadata = node._metadata.filter((m) => m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
  }
  try {
    return fn();
  } finally {
    for (const [c, metadata] of saved) (c.node as unknown as { _metadata?: Metadata[] })._metadata = metadata;
  }
}

describe.each(CELLS)('%s with %s', (packaging, _label, engine) => {
  const { stack, template } = synth({ packaging, database: engine.database, auth: { allowSignup: false, adminEmail: 'admin@example.com' } });

  it('runs the engine with TLS enforced', () => {
    if (engine.label === 'aurora-postgres') {
      template.hasResourceProperties('AWS::RDS::DBCluster', { Engine: engine.cfn, StorageEncrypted: true });
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.force_ssl': '1' } });
    } else {
      template.hasResourceProperties('AWS::RDS::DBInstance', { Engine: engine.cfn, StorageEncrypted: true, PubliclyAccessible: false });
      if (engine.label === 'oracle') template.hasResourceProperties('AWS::RDS::OptionGroup', { OptionConfigurations: [Match.objectLike({ OptionName: 'SSL', Port: 2484 })] });
      else expect(Object.values(resources(template, 'AWS::RDS::DBParameterGroup'))[0].Properties!.Parameters).toMatchObject(engine.label === 'mysql' ? { require_secure_transport: '1' } : { 'rds.force_ssl': '1' });
    }
  });

  it('runs the API as asked, pooled by RDS Proxy when a function meets an engine the proxy supports', () => {
    template.resourceCountIs('AWS::ECS::Service', packaging === 'container' ? 1 : 0);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', packaging === 'function' ? 1 : 0);
    template.resourceCountIs('AWS::RDS::DBProxy', packaging === 'function' && engine.label !== 'oracle' ? 1 : 0);
    expect(stack.apiEnvironment.variables).toMatchObject({ DJANGO_DB_ENGINE: engine.django, DJANGO_DB_PORT: engine.port, MIGRATE_ON_START: 'false' });
  });

  it('migrates before the API is updated', () => {
    const [migrationId] = onlyResource(template, 'Custom::FlagstackMigration');
    const api = packaging === 'container' ? onlyResource(template, 'AWS::ECS::Service')[1] : onlyResource(template, 'AWS::Lambda::Alias')[1];
    expect(dependsOn(api)).toContain(migrationId);
  });

  it('passes cdk-nag AwsSolutions with every finding acknowledged, and acknowledges nothing that is not found', () => {
    expect(nagFindings(stack)).toEqual([]);
    const acknowledged = [...new Set(acknowledgements(stack).map(([, id]) => id.replace(/^Annotation::/, '')).filter((id) => id.startsWith('AwsSolutions-')))].sort();
    const unacknowledged = [...new Set(withoutAcknowledgements(stack, () => nagFindings(stack)).map((f) => f.split(' ')[0]))].sort();
    expect(acknowledged).toEqual(unacknowledged);
  });
});

describe('acknowledgements', () => {
  it('each carries a reason of its own (a sentence, not a placeholder)', () => {
    const all = CELLS.flatMap(([packaging, , engine]) =>
      acknowledgements(synth({ packaging, database: engine.database, auth: { allowSignup: false, adminEmail: 'admin@example.com' } }).stack),
    ).filter(([, id]) => !id.startsWith('CloudFormation-Validate::')); // aws-cdk-lib's own, for its built-in validator
    expect(all.length).toBeGreaterThan(20);
    for (const [path, id, reason] of all) {
      expect({ path, id, reasonType: typeof reason }).toEqual({ path, id, reasonType: 'string' });
      expect({ path, id, long: (reason as string).length >= 40, sentence: /\.$/.test(reason as string) }).toEqual({ path, id, long: true, sentence: true });
    }
    // Recorded with aws-cdk-lib's "Annotation::" qualifier; cdk-nag matches them by the rule id.
    const rules = [...new Set(all.map(([, id]) => id.replace(/^Annotation::/, '').replace(/\[.*$/, '')))].sort();
    expect(rules).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-EC23',
      'AwsSolutions-ECS2',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-RDS10',
      'AwsSolutions-RDS11',
      'AwsSolutions-RDS3',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
    ]);
  });

  it('the harness reports what is not acknowledged', () => {
    const stack = new Stack(testApp(), 'Unsafe');
    new s3.Bucket(stack, 'Bucket', { enforceSSL: false });
    expect(nagFindings(stack)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-S1 Unsafe\/Bucket/), expect.stringMatching(/^AwsSolutions-S10 Unsafe\/Bucket/)]));
  });
});
