// Rules across fields of one resolved environment, and across environments. Each returns issues with paths
// relative to the environment; load.ts prefixes `environments[i]`.
import type { Cloud, EnvironmentConfig } from './schema';
import type { RawIssue } from './schema-issues';

type Rule = (env: EnvironmentConfig) => RawIssue[];

const issue = (segments: (string | number)[], message: string): RawIssue => ({ segments, message });

const REGION: Record<Cloud, { pattern: RegExp; example: string }> = {
  aws: { pattern: /^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d+$/, example: 'eu-west-1' },
  azure: { pattern: /^[a-z]+\d*$/, example: 'westeurope' },
  gcp: { pattern: /^[a-z]+-[a-z]+\d+$/, example: 'europe-west1' },
};

const regionMatchesCloud: Rule = (env) => {
  const { pattern, example } = REGION[env.cloud];
  const article = env.cloud === 'gcp' ? 'a' : 'an'; // an aws, an azure, a gcp
  return pattern.test(env.region) ? [] : [issue(['region'], `"${env.region}" is not ${article} ${env.cloud} region name (e.g. ${example})`)];
};

const oracleOnlyOnAws: Rule = (env) =>
  env.database.engine === 'oracle' && env.cloud !== 'aws'
    ? [issue(['database', 'engine'], 'oracle is only available on aws (Azure and GCP have no managed Oracle)')]
    : [];

const auroraOnlyAwsPostgres: Rule = (env) =>
  env.database.aurora && (env.cloud !== 'aws' || env.database.engine !== 'postgres')
    ? [issue(['database', 'aurora'], `Aurora is only available with engine postgres on aws (this environment: ${env.database.engine} on ${env.cloud})`)]
    : [];

/** Custom sizes must be the cloud's own vocabulary; a size copied from another cloud fails at deploy time. */
const sizeMatchesCloud: Rule = (env) => {
  const size = env.database.size;
  if (size === 'small' || size === 'medium' || size === 'large') return [];
  if (env.cloud === 'aws' && !/^db\.[a-z0-9.]+$/.test(size)) {
    return [issue(['database', 'size'], `"${size}" is not an RDS instance class (e.g. db.t4g.medium) or small, medium, large`)];
  }
  if (env.cloud === 'gcp' && !/^db-[a-z0-9-]+$/.test(size)) {
    return [issue(['database', 'size'], `"${size}" is not a Cloud SQL tier (e.g. db-custom-2-7680) or small, medium, large`)];
  }
  return [];
};

const scalingOrdered: Rule = (env) =>
  env.scaling.min > env.scaling.max
    ? [issue(['scaling', 'min'], `must not exceed scaling.max (${env.scaling.min} > ${env.scaling.max})`)]
    : [];

const provisionedConcurrencyForFunctions: Rule = (env) =>
  env.scaling.provisionedConcurrency !== undefined && env.packaging !== 'function'
    ? [issue(['scaling', 'provisionedConcurrency'], 'only applies to packaging function')]
    : [];

const imageForContainers: Rule = (env) =>
  env.image !== undefined && env.packaging !== 'container'
    ? [issue(['image'], 'only applies to packaging container (a function is deployed as a bundle)')]
    : [];

const domainPerCloud: Rule = (env) => {
  const out: RawIssue[] = [];
  if (env.domain?.certificateArn && env.cloud !== 'aws') {
    out.push(issue(['domain', 'certificateArn'], `is for aws; on ${env.cloud} use domain.certificateId`));
  }
  if (env.domain?.certificateId && env.cloud === 'aws') {
    out.push(issue(['domain', 'certificateId'], 'is for azure and gcp; on aws use domain.certificateArn'));
  }
  return out;
};

const networkPerCloud: Rule = (env) => {
  const out: RawIssue[] = [];
  const network = env.network;
  if (network?.vpcId && env.cloud !== 'aws') out.push(issue(['network', 'vpcId'], `is for aws (an existing VPC); not available on ${env.cloud}`));
  if (network?.vpcId && network.cidr) {
    out.push(issue(['network', 'cidr'], 'cannot be set together with network.vpcId (an existing VPC keeps its own address range)'));
  }
  if (!network || env.cloud !== 'aws') return out;
  // An existing VPC is described, not looked up: synth must work offline, without credentials.
  const lists = ['availabilityZones', 'privateSubnetIds', 'publicSubnetIds'] as const;
  if (!network.vpcId) {
    for (const key of lists) if (network[key]) out.push(issue(['network', key], 'only applies with network.vpcId (a new VPC makes its own subnets)'));
    return out;
  }
  if (!network.availabilityZones) out.push(issue(['network', 'availabilityZones'], 'is required with network.vpcId (the stack does not look the VPC up at synth time)'));
  if (!network.privateSubnetIds) out.push(issue(['network', 'privateSubnetIds'], 'is required with network.vpcId (the stack does not look the VPC up at synth time)'));
  if (!network.publicSubnetIds && env.packaging === 'container') {
    out.push(issue(['network', 'publicSubnetIds'], 'is required with network.vpcId and packaging container (the load balancer is placed in them)'));
  }
  const zones = network.availabilityZones?.length;
  for (const key of ['privateSubnetIds', 'publicSubnetIds'] as const) {
    const count = network[key]?.length;
    if (zones !== undefined && count !== undefined && count !== zones) {
      out.push(issue(['network', key], `must list one subnet per availability zone (${count} subnets, ${zones} zones)`));
    }
  }
  return out;
};

const awsOnlyExtras: Rule = (env) => {
  const out: RawIssue[] = [];
  if (env.domain?.hostedZoneId && env.cloud !== 'aws') out.push(issue(['domain', 'hostedZoneId'], `is for aws (a Route 53 zone id); on ${env.cloud} use domain.hostedZone`));
  if (env.waf && (env.cloud !== 'aws' || env.packaging !== 'container')) {
    out.push(
      issue(
        ['waf'],
        env.cloud !== 'aws'
          ? `is not available on ${env.cloud} yet`
          : 'needs packaging container on aws (an API Gateway HTTP API, which fronts the function, cannot be associated with AWS WAF)',
      ),
    );
  }
  return out;
};

const appDynamicsComplete: Rule = (env) => {
  const appd = env.appDynamics;
  if (!appd?.enabled) return [];
  const out: RawIssue[] = [];
  for (const key of ['controllerHost', 'accountName', 'applicationName', 'tierName', 'accessKeySecret'] as const) {
    if (appd[key] === undefined) out.push(issue(['appDynamics', key], 'is required when appDynamics.enabled is true'));
  }
  if (env.packaging === 'function') {
    // A function bundle is built by esbuild from our code; the agent's native parts cannot ride along.
    if (env.cloud === 'aws' && !appd.agentLayerArn) {
      out.push(issue(['appDynamics', 'agentLayerArn'], 'is required for AppDynamics with packaging function on aws: a function bundle cannot carry the agent, so it must come from a Lambda layer'));
    }
    if (env.cloud !== 'aws' && !appd.agentPath) {
      out.push(issue(['appDynamics', 'agentPath'], `is required for AppDynamics with packaging function on ${env.cloud}: a function bundle cannot carry the agent, so name where it is installed`));
    }
  }
  if (appd.agentLayerArn && env.cloud !== 'aws') out.push(issue(['appDynamics', 'agentLayerArn'], `is for aws Lambda; on ${env.cloud} use appDynamics.agentPath`));
  if (appd.agentLayerArn && env.packaging !== 'function') out.push(issue(['appDynamics', 'agentLayerArn'], 'only applies to packaging function (containers install the agent in the image)'));
  return out;
};

const loginLockConfigured: Rule = (env) => {
  const lock = env.auth.lockLoginTo;
  if (lock === 'ldap' && !env.auth.ldap) return [issue(['auth', 'lockLoginTo'], 'ldap needs auth.ldap')];
  if (lock?.startsWith('oidc:')) {
    const name = lock.slice('oidc:'.length);
    if (!env.auth.oidc?.some((p) => p.name === name)) return [issue(['auth', 'lockLoginTo'], `${lock} needs an auth.oidc provider named ${name}`)];
  }
  return [];
};

const oidcUnique: Rule = (env) =>
  (env.auth.oidc ?? []).flatMap((p, i, all) =>
    all.findIndex((q) => q.name === p.name) < i ? [issue(['auth', 'oidc', i, 'name'], `duplicate provider ${p.name}`)] : [],
  );

const ldapConsistent: Rule = (env) => {
  const ldap = env.auth.ldap;
  if (!ldap) return [];
  const out: RawIssue[] = [];
  const at = (key: string, message: string) => out.push(issue(['auth', 'ldap', key], message));
  if (ldap.useTls && ldap.url.startsWith('ldaps:')) at('useTls', 'StartTLS cannot be used with an ldaps:// URL (the connection is already TLS)');
  if (ldap.formatUsername === 'active_directory_principal' && !ldap.activeDirectoryDomain) {
    at('activeDirectoryDomain', 'is required when formatUsername is active_directory_principal');
  }
  if (ldap.connectionPasswordSecret && !ldap.connectionUsername) at('connectionUsername', 'is required with connectionPasswordSecret');
  if (ldap.syncPasswordSecret && !ldap.syncUsername) at('syncUsername', 'is required with syncPasswordSecret');
  return out;
};

/** Each store has its own naming rules; a name that one accepts can fail on another at deploy time. */
const SECRET_NAME: Partial<Record<Cloud, { pattern: RegExp; rule: string }>> = {
  azure: { pattern: /^[0-9A-Za-z-]{1,127}$/, rule: 'Key Vault secret names allow letters, digits and hyphens only' },
  gcp: { pattern: /^[A-Za-z0-9_-]{1,255}$/, rule: 'Secret Manager secret ids allow letters, digits, _ and - only' },
};

const secretNamesFitCloud: Rule = (env) => {
  const naming = SECRET_NAME[env.cloud];
  if (!naming) return [];
  const refs: [(string | number)[], string | undefined][] = [
    [['appDynamics', 'accessKeySecret'], env.appDynamics?.accessKeySecret],
    [['auth', 'ldap', 'connectionPasswordSecret'], env.auth.ldap?.connectionPasswordSecret],
    [['auth', 'ldap', 'syncPasswordSecret'], env.auth.ldap?.syncPasswordSecret],
    ...(env.auth.oidc ?? []).map((p, i): [(string | number)[], string] => [['auth', 'oidc', i, 'clientSecretSecret'], p.clientSecretSecret]),
  ];
  return refs
    .filter(([, name]) => name !== undefined && !naming.pattern.test(name))
    .map(([segments, name]) => issue(segments, `"${name}" is not a valid secret name on ${env.cloud} (${naming.rule})`));
};

/** The Terraform state store of an azure/gcp stack: the fields its type needs, and none of the other type's. */
const stateBackendComplete: Rule = (env) => {
  const backend = env.stateBackend;
  if (!backend) return [];
  if (env.cloud === 'aws') return [issue(['stateBackend'], 'is for azure and gcp (CDKTF) stacks; the aws stacks keep their state in CloudFormation')];
  const fields = { azurerm: ['resourceGroupName', 'storageAccountName', 'containerName'], gcs: ['bucket'] } as const;
  const optional = { azurerm: ['key'], gcs: ['prefix'] } as const;
  const out: RawIssue[] = [];
  for (const key of fields[backend.type]) {
    if (backend[key] === undefined) out.push(issue(['stateBackend', key], `is required with stateBackend.type ${backend.type}`));
  }
  const other = backend.type === 'azurerm' ? 'gcs' : 'azurerm';
  for (const key of [...fields[other], ...optional[other]]) {
    if (backend[key] !== undefined) out.push(issue(['stateBackend', key], `only applies with stateBackend.type ${other}`));
  }
  return out;
};

export const ENVIRONMENT_RULES: readonly Rule[] = [
  regionMatchesCloud,
  oracleOnlyOnAws,
  auroraOnlyAwsPostgres,
  sizeMatchesCloud,
  scalingOrdered,
  provisionedConcurrencyForFunctions,
  imageForContainers,
  domainPerCloud,
  networkPerCloud,
  awsOnlyExtras,
  appDynamicsComplete,
  loginLockConfigured,
  oidcUnique,
  ldapConsistent,
  secretNamesFitCloud,
  stateBackendComplete,
];

/**
 * Runs every rule. The environment may still have shape problems (reported separately): a rule that trips
 * over a malformed value contributes nothing rather than hiding the other rules' findings.
 */
export function environmentIssues(env: EnvironmentConfig): RawIssue[] {
  return ENVIRONMENT_RULES.flatMap((rule) => {
    try {
      return rule(env);
    } catch {
      return [];
    }
  });
}

/** Names must be unique: each becomes a stack. Reported at every repeat, pointing at the first. */
export function duplicateNames(names: readonly unknown[]): RawIssue[] {
  return names.flatMap((name, i) => {
    const first = names.indexOf(name);
    return typeof name === 'string' && first < i
      ? [issue(['environments', i, 'name'], `duplicate environment name "${name}" (also environments[${first}])`)]
      : [];
  });
}
