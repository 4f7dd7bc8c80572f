// The runtime contract, read back from the synthesized templates: the API container's and the API function's
// environment (and the job functions') use only names api/src/config.ts reads, carry every secret through Secrets
// Manager (ECS secrets, `<NAME>_SECRET_ARN`), and load with the API's own schema once the deploy-time values are
// filled in. And no secret value appears in plain text anywhere in a template.
import { SecretValue, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { isRuntimeEnvName, SECRET_ENV_VARS, validateEnv } from '../../../api/src/config';
import { contractViolations, type ApiEnvironment } from '../../../lib/common/api-environment';
import type { EnvironmentConfig } from '../../../lib/config';
import { SECRET_ARN_SUFFIX } from '../../../lib/aws';
import { environment, exampleEnvironments, resources, synthEnvironment, testApp } from './helpers';

type Json = Record<string, any>;

const LDAP_OIDC = {
  auth: {
    allowSignup: false,
    adminEmail: 'admin@example.com',
    lockLoginTo: 'oidc:okta',
    oidc: [{ name: 'okta', issuer: 'https://acme.okta.com', clientId: 'flagstack', clientSecretSecret: 'flagstack/okta-client-secret' }],
    ldap: {
      url: 'ldaps://ldap.example.com',
      searchBase: 'dc=example,dc=com',
      connectionUsername: 'cn=search,dc=example,dc=com',
      connectionPasswordSecret: 'flagstack/ldap-bind',
      syncUsername: 'cn=sync,dc=example,dc=com',
      syncPasswordSecret: 'flagstack/ldap-sync',
    },
  },
};
const APPD_FUNCTION = {
  packaging: 'function',
  appDynamics: {
    enabled: true,
    controllerHost: 'example.saas.appdynamics.com',
    accountName: 'example',
    applicationName: 'flagstack',
    tierName: 'api',
    accessKeySecret: 'flagstack/appd-key',
    agentLayerArn: 'arn:aws:lambda:eu-west-1:123456789012:layer:appdynamics:3',
  },
};

const CASES: [string, EnvironmentConfig][] = [
  ...exampleEnvironments().map((e): [string, EnvironmentConfig] => [`example ${e.name} (${e.packaging})`, e]),
  ['container with LDAP and OIDC', environment({ ...LDAP_OIDC, database: { engine: 'mysql' } }, 'ldap-container')],
  ['function with LDAP, OIDC and AppDynamics', environment({ ...LDAP_OIDC, ...APPD_FUNCTION, database: { engine: 'sqlserver' } }, 'ldap-function')],
];

/** A representative value for a variable whose template value is resolved at deploy time (an intrinsic). */
function deployTimeValue(name: string, template: unknown): string {
  const text = JSON.stringify(template);
  if (name.endsWith(SECRET_ARN_SUFFIX)) {
    const field = /:([A-Za-z]+)::"/.exec(text)?.[1];
    return `arn:aws:secretsmanager:eu-west-1:123456789012:secret:flagstack-x-AbCdEf${field ? `:${field}::` : ''}`;
  }
  if (name === 'DJANGO_DB_HOST') return 'flagstack.abc123.eu-west-1.rds.amazonaws.com';
  throw new Error(`${name}: no representative value for ${text}`);
}

/** A value for a secret variable that passes the API's format checks. */
function secretValue(name: string): string {
  return name === 'FLAGSTACK_ENCRYPTION_KEY' ? '0123456789abcdef'.repeat(4) : 'secret-value-123456';
}

/** The API container of a template: its variables (plain values, or markers for intrinsics) and secret names. */
function containerEnvironment(t: Template): { plain: Record<string, unknown>; secretNames: string[] } | undefined {
  const task = Object.values(resources(t, 'AWS::ECS::TaskDefinition'))[0];
  if (!task) return undefined;
  const api = (task.Properties!.ContainerDefinitions as Json[]).find((c) => c.Name === 'api')!;
  return {
    plain: Object.fromEntries((api.Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value])),
    secretNames: (api.Secrets as { Name: string }[]).map((s) => s.Name),
  };
}

function functionVariables(t: Template, description: string): Record<string, unknown> {
  const fn = Object.values(resources(t, 'AWS::Lambda::Function')).find((f) => f.Properties!.Description === description);
  return (fn!.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** The template's environment as lib/common's ApiEnvironment shape, for contractViolations (names only). */
function asApiEnvironment(plain: Record<string, unknown>, secretNames: string[]): ApiEnvironment {
  return {
    variables: Object.fromEntries(Object.keys(plain).map((k) => [k, typeof plain[k] === 'string' ? (plain[k] as string) : 'deploy-time'])),
    secrets: Object.fromEntries(secretNames.map((n) => [n, { kind: 'generated', purpose: 'encryption-key' } as const])),
  };
}

describe.each(CASES)('%s', (_label, env) => {
  const { template, stack } = synthEnvironment(env);

  if (env.packaging === 'container') {
    it('gives the API container only names the API reads, secrets as ECS secrets, and it loads with the API schema', () => {
      const { plain, secretNames } = containerEnvironment(template)!;
      expect(contractViolations(asApiEnvironment(plain, secretNames))).toEqual([]);
      expect(secretNames.filter((n) => !SECRET_ENV_VARS.has(n))).toEqual([]);
      const filled: Record<string, string> = {};
      for (const [name, value] of Object.entries(plain)) filled[name] = typeof value === 'string' ? value : deployTimeValue(name, value);
      for (const name of secretNames) filled[name] = secretValue(name);
      expect(validateEnv(filled, { packaging: 'container' })).toEqual([]);
    });

    it('is exactly the environment lib/common built', () => {
      const { plain, secretNames } = containerEnvironment(template)!;
      const built = stack.apiEnvironment;
      for (const [name, value] of Object.entries(built.variables)) {
        expect({ name, value: typeof plain[name] === 'string' ? plain[name] : 'deploy-time' }).toEqual({ name, value: /\$\{Token/.test(value) ? 'deploy-time' : value });
      }
      expect(secretNames.sort()).toEqual(Object.keys(built.secrets).sort());
    });
  }

  const functions = env.packaging === 'function' ? ['flagstack API'] : [];
  functions.push('flagstack: database migrations (run by the deploy)', 'flagstack: scheduled jobs (scheduled flag changes, LDAP sync)');
  it.each(functions)('gives the function "%s" only names the API reads, secrets by _SECRET_ARN, and it loads as a function', (description) => {
    const variables = functionVariables(template, description);
    const secretNames = Object.keys(variables).filter((n) => n.endsWith(SECRET_ARN_SUFFIX)).map((n) => n.slice(0, -SECRET_ARN_SUFFIX.length));
    const plain = Object.fromEntries(Object.entries(variables).filter(([n]) => !n.endsWith(SECRET_ARN_SUFFIX)));
    expect(contractViolations(asApiEnvironment(plain, secretNames))).toEqual([]);
    expect(secretNames.filter((n) => !SECRET_ENV_VARS.has(n))).toEqual([]);
    const filled: Record<string, string> = {};
    for (const [name, value] of Object.entries(variables)) filled[name] = typeof value === 'string' ? value : deployTimeValue(name, value);
    expect(validateEnv(filled, { packaging: 'function' })).toEqual([]);
    // The database password is the `password` field of the generated JSON secret.
    expect(JSON.stringify(variables.DJANGO_DB_PASSWORD_SECRET_ARN)).toMatch(/:password::"/);
  });

  it('holds no secret value in plain text', () => {
    expect(plaintextSecrets(template.toJSON())).toEqual([]);
  });
});

/**
 * What would put a secret value into a template: a secret variable given a plain value (ECS Environment, Lambda
 * variables), a Secrets Manager secret with a literal value (only the AppDynamics file is allowed a SecretString, and
 * its access key must be a dynamic reference), a database password that is not a dynamic reference, and anything
 * that looks like key material.
 */
function plaintextSecrets(template: Json): string[] {
  const found: string[] = [];
  for (const [id, r] of Object.entries<Json>(template.Resources ?? {})) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::Lambda::Function') {
      for (const name of Object.keys(p.Environment?.Variables ?? {})) if (SECRET_ENV_VARS.has(name)) found.push(`${id}: ${name} as a plain variable`);
    }
    if (r.Type === 'AWS::ECS::TaskDefinition') {
      for (const c of p.ContainerDefinitions ?? []) {
        for (const e of c.Environment ?? []) if (SECRET_ENV_VARS.has(e.Name) || /PASSWORD|SECRET|ACCESS_KEY|_CFG$/.test(e.Name)) found.push(`${id}/${c.Name}: ${e.Name} as a plain variable`);
      }
    }
    if (r.Type === 'AWS::SecretsManager::Secret' && p.SecretString !== undefined) {
      const text = JSON.stringify(p.SecretString);
      const access = /accesskey = ([^\\]*)\\n/.exec(text)?.[1];
      if (!access || !access.startsWith('{{resolve:secretsmanager:')) found.push(`${id}: a secret with a literal value`);
    }
    if (r.Type === 'AWS::RDS::DBInstance' || r.Type === 'AWS::RDS::DBCluster') {
      if (!JSON.stringify(p.MasterUserPassword ?? '{{resolve:secretsmanager:').includes('{{resolve:secretsmanager:')) found.push(`${id}: a literal database password`);
    }
  }
  // Key material anywhere (asset hashes, 64 hex characters followed by .zip, are file names).
  const text = JSON.stringify(template);
  const patterns: [string, RegExp][] = [
    ['an AWS access key id', /\b(AKIA|ASIA)[A-Z0-9]{16}\b/],
    ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ['a 32-byte hex key', /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f]|\.zip)/],
    ['a password literal', /"(Master)?(User)?Password":"(?!\{\{resolve)/i],
  ];
  for (const [what, pattern] of patterns) if (pattern.test(text)) found.push(`${what}: ${pattern.exec(text)![0]}`);
  return found;
}

describe('the plain-text secret check', () => {
  it('catches a literal secret, a secret variable with a value, a hex key and an access key id', () => {
    const stack = new Stack(testApp(), 'Leaky');
    new secretsmanager.Secret(stack, 'Literal', { secretStringValue: SecretValue.unsafePlainText('hunter2-hunter2') });
    new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 0'),
      environment: { FLAGSTACK_ENCRYPTION_KEY: '0123456789abcdef'.repeat(4), NOTE: 'AKIAIOSFODNN7EXAMPLE' },
    });
    expect(plaintextSecrets(Template.fromStack(stack).toJSON())).toEqual([
      expect.stringMatching(/^Literal[0-9A-F]{8}: a secret with a literal value$/),
      expect.stringMatching(/^Fn[0-9A-F]{8}: FLAGSTACK_ENCRYPTION_KEY as a plain variable$/),
      'an AWS access key id: AKIAIOSFODNN7EXAMPLE',
      'a 32-byte hex key: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    ]);
  });

  it('knows every name it guards is a runtime secret', () => {
    expect([...SECRET_ENV_VARS].every((name) => isRuntimeEnvName(name))).toBe(true);
    expect(SECRET_ENV_VARS.has('DJANGO_DB_PASSWORD')).toBe(true);
  });
});
