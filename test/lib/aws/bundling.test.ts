// The one test file that really builds assets: the Lambda package (NodejsFunction with the local esbuild, completed
// by the runtime build) and the container image's Docker build context, which CDK stages at every synth.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ApiLambda, FlagstackStack } from '../../../lib/aws';
import { DEPLOY_ID, environment, onlyResource, testApp } from './helpers';

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
    const path = join(dir, e.name);
    return sum + (e.isDirectory() ? folderBytes(path) : statSync(path).size);
  }, 0);
}

function allFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

describe('the Lambda package', () => {
  const app = testApp({ bundle: true });
  const stack = new Stack(app, 'Bundled', { env: { region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  new ApiLambda(stack, 'Migrate', {
    handler: 'migrate',
    vpc,
    subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroup: new ec2.SecurityGroup(stack, 'Sg', { vpc }),
    variables: {},
    secrets: {},
  });
  const template = Template.fromStack(stack);
  const [, fn] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, f]) => f.Properties.Handler === 'index.migrate')!;
  const dir = join(app.outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);

  it('is bundled locally (no Docker) into index.js, which exports handler, migrate and scheduler', () => {
    expect(existsSync(join(dir, 'index.js'))).toBe(true);
    const exported = execFileSync(process.execPath, ['-e', `process.stdout.write(Object.keys(require(${JSON.stringify(dir)})).sort().join(','))`], {
      env: { PATH: process.env.PATH ?? '', APP_DYNAMICS: 'off' },
      encoding: 'utf8',
    });
    expect(exported.split(',')).toEqual(expect.arrayContaining(['handler', 'migrate', 'scheduler']));
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['x86_64'] });
  });

  it('carries what the runtime build adds: the native argon2 binding for linux-x64, swagger-ui assets, the lazy mysql2 driver', () => {
    const files = allFiles(dir);
    expect(files).toEqual(expect.arrayContaining(['node_modules/@node-rs/argon2/package.json', 'drivers/mysql2.js', 'package.json']));
    expect(files.some((f) => /^node_modules\/@node-rs\/argon2-linux-x64-gnu\/.*\.node$/.test(f))).toBe(true);
    expect(files.some((f) => f.startsWith('swagger-ui/'))).toBe(true);
  });

  it('has no build stamp or source maps, so its hash changes only with the code', () => {
    const files = allFiles(dir);
    expect(files.filter((f) => f === '.build.json' || f.endsWith('.map') || f.startsWith('.runtime-build'))).toEqual([]);
    expect(folderBytes(dir)).toBeLessThan(30 * 1024 * 1024);
  });
});

describe('the container image asset', () => {
  const app = testApp();
  const stack = new FlagstackStack(app, 'flagstack-image', {
    environment: environment({
      appDynamics: { enabled: true, controllerHost: 'c.example.com', accountName: 'a', applicationName: 'flagstack', tierName: 'api', accessKeySecret: 'k' },
    }),
    deployId: DEPLOY_ID,
    runtimeBuild: false,
  });
  const template = Template.fromStack(stack);
  const manifest = JSON.parse(readFileSync(join(app.outdir, 'flagstack-image.assets.json'), 'utf8')) as {
    dockerImages: Record<string, { source: { directory: string; dockerBuildArgs?: Record<string, string>; dockerFile?: string; platform?: string } }>;
  };
  const [image] = Object.values(manifest.dockerImages);
  const staged = join(app.outdir, image.source.directory);

  it('is the repository root with its Dockerfile, built for linux/amd64 with the AppDynamics agent when enabled', () => {
    expect(Object.keys(manifest.dockerImages)).toHaveLength(1);
    expect(image.source).toMatchObject({ dockerFile: 'Dockerfile', dockerBuildArgs: { APP_DYNAMICS: 'on' }, platform: 'linux/amd64' });
    expect(existsSync(join(staged, 'Dockerfile'))).toBe(true);
    expect(existsSync(join(staged, 'api', 'src', 'runtimes', 'server.ts'))).toBe(true);
    const [, task] = onlyResource(template, 'AWS::ECS::TaskDefinition');
    expect(JSON.stringify(task.Properties!.ContainerDefinitions)).toContain('cdk-hnb659fds-container-assets');
  });

  it('stages under 20 MB: .dockerignore keeps node_modules, .git, build output and tests out', () => {
    const top = readdirSync(staged);
    for (const heavy of ['node_modules', '.git', 'dist', 'cdk.out', 'cdktf.out', 'test', 'coverage']) expect({ heavy, staged: top.includes(heavy) }).toEqual({ heavy, staged: false });
    expect(folderBytes(staged)).toBeLessThan(20 * 1024 * 1024);
  });
});
