// The deployment config, one typed description of every environment a platform team deploys (DESIGN.md §5).
// These typebox schemas are the *resolved* shape — after `defaults` are merged in and built-in defaults
// applied — so the TypeScript types the stacks code against have no optional-with-default fields. The file
// shape (everything optional but `name`) is derived from them in file-schema.ts.
import { Type, type Static } from '@sinclair/typebox';
import { LDAP_FORMAT_USERNAME_VALUES, LDAP_USER_FIELD_NAMES, OIDC_PROVIDERS } from '../../api/src/config';

const literals = <const V extends string | number>(values: readonly V[], options: Record<string, unknown> = {}) =>
  Type.Union(values.map((v) => Type.Literal(v)), options);

export const CLOUDS = ['aws', 'azure', 'gcp'] as const;
export const PACKAGINGS = ['container', 'function'] as const;
export const DATABASE_ENGINES = ['postgres', 'mysql', 'sqlserver', 'oracle'] as const;
export const SIZE_PRESETS = ['small', 'medium', 'large'] as const;
export const NODE_VERSIONS = [20, 22, 24] as const;

export type Cloud = (typeof CLOUDS)[number];
export type Packaging = (typeof PACKAGINGS)[number];
export type DeploymentDatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** A reference to a secret the platform team creates and fills; the config never holds the value. */
const secretRef = (what: string) =>
  Type.String({
    pattern: '^[A-Za-z0-9][A-Za-z0-9/_+=.@-]{0,254}$',
    patternErrorMessage: 'a secret name (letters, digits and / _ + = . @ -)',
    description: `Name of the secret holding ${what} in the platform's secret store (AWS Secrets Manager, Azure Key Vault, GCP Secret Manager), created and filled by the platform team. Never the value itself.`,
  });

export const EnvironmentName = Type.String({
  pattern: '^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$',
  patternErrorMessage:
    'a name of lower-case letters, digits and hyphens that starts with a letter, does not end with a hyphen and has at most 32 characters (it becomes part of stack names)',
  description: 'Environment name, unique; part of the stack name.',
});

export const DatabaseSchema = Type.Object(
  {
    engine: literals(DATABASE_ENGINES, { description: 'Database engine. oracle only on aws.' }),
    size: Type.Union([literals(SIZE_PRESETS), Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' })], {
      errorMessage: 'small, medium, large or an instance class/SKU/tier name',
      description:
        'small | medium | large, or the cloud\'s own size: an RDS instance class on aws (db.t4g.medium), a SKU on azure (GP_Standard_D2ds_v5), a Cloud SQL tier on gcp (db-custom-2-7680). Default small (medium when prod).',
    }),
    storageGb: Type.Integer({ minimum: 20, maximum: 65536, description: 'Allocated storage in GiB (ignored by Aurora). Default 20 (100 when prod).' }),
    highAvailability: Type.Boolean({ description: 'Standby in a second zone. Default false (true when prod).' }),
    backupRetentionDays: Type.Integer({ minimum: 0, maximum: 35, description: 'Days of automated backups. Default 7 (30 when prod).' }),
    deletionProtection: Type.Boolean({ description: 'Refuse to delete the database. Default false (true when prod).' }),
    snapshotOnDelete: Type.Boolean({ description: 'Take a final snapshot when the database is removed. Default false (true when prod).' }),
    aurora: Type.Boolean({ description: 'Use Aurora PostgreSQL instead of RDS (aws, postgres only). Default false.' }),
  },
  { additionalProperties: false, description: 'The managed database.' },
);

export const ScalingSchema = Type.Object(
  {
    min: Type.Integer({ minimum: 0, maximum: 1000, description: 'Minimum instances. Default 1 (2 when prod; 0 for functions).' }),
    max: Type.Integer({ minimum: 1, maximum: 1000, description: 'Maximum instances. Default 2 (10 when prod).' }),
    cpu: Type.Number({ exclusiveMinimum: 0, maximum: 16, description: 'vCPUs per instance (0.25, 0.5, 1, 2, 4…). Default 0.5.' }),
    memoryMb: Type.Integer({ minimum: 128, maximum: 32768, description: 'Memory per instance in MiB. Default 1024.' }),
    provisionedConcurrency: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1000, description: 'Pre-warmed function instances (packaging function only).' }),
    ),
  },
  { additionalProperties: false, description: 'Instance count and size.' },
);

export const DomainSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$',
      patternErrorMessage: 'a lower-case DNS name such as flags.example.com',
      description: 'Public host name of the API.',
    }),
    certificateArn: Type.Optional(
      Type.String({
        pattern: '^arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]+$',
        patternErrorMessage: 'an ACM certificate ARN',
        description: 'aws: ACM certificate for the name (otherwise one is requested with DNS validation).',
      }),
    ),
    certificateId: Type.Optional(
      Type.String({ minLength: 1, description: 'azure/gcp: id of an existing certificate (Key Vault certificate, Certificate Manager).' }),
    ),
    hostedZone: Type.Optional(Type.String({ minLength: 1, description: 'DNS zone to create the record in (Route 53, Azure DNS, Cloud DNS).' })),
    hostedZoneId: Type.Optional(
      Type.String({
        pattern: '^Z[A-Z0-9]{1,31}$',
        patternErrorMessage: 'a Route 53 hosted zone id (Z…)',
        description:
          'aws: id of the Route 53 hosted zone named by hostedZone. With it the stack validates the certificate and creates the alias record itself; without it (no synth-time lookups) you add the validation and alias records by hand.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Custom domain.' },
);

const subnetId = Type.String({ pattern: '^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$', patternErrorMessage: 'a subnet id (subnet-…)' });

export const NetworkSchema = Type.Object(
  {
    vpcId: Type.Optional(
      Type.String({ pattern: '^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$', patternErrorMessage: 'a VPC id (vpc-…)', description: 'aws: use this existing VPC.' }),
    ),
    cidr: Type.Optional(
      Type.String({
        pattern: '^(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)/(?:1[6-9]|2[0-8])$',
        patternErrorMessage: 'an IPv4 CIDR block with a prefix between /16 and /28',
        description: 'Address range of a new network.',
      }),
    ),
    availabilityZones: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z]{2}(?:-gov)?-[a-z]+-\\d+[a-z]$', patternErrorMessage: 'an availability zone name (eu-west-1a)' }), {
        minItems: 2,
        uniqueItems: true,
        description: 'aws, with vpcId: the zones of the subnets below, in the same order (the stack does no synth-time lookups).',
      }),
    ),
    privateSubnetIds: Type.Optional(
      Type.Array(subnetId, { minItems: 2, uniqueItems: true, description: 'aws, with vpcId: private subnets (with a route to the internet through NAT) for the API, the jobs and the database, one per zone.' }),
    ),
    publicSubnetIds: Type.Optional(
      Type.Array(subnetId, { minItems: 2, uniqueItems: true, description: 'aws, with vpcId and packaging container: public subnets for the load balancer, one per zone.' }),
    ),
  },
  { additionalProperties: false, description: 'Network placement.' },
);

const lockLoginPattern = `^(?:password|saml|ldap|oidc:(?:${OIDC_PROVIDERS.join('|')}))$`;

export const OidcProviderSchema = Type.Object(
  {
    name: literals(OIDC_PROVIDERS, { description: 'Provider; becomes the OIDC_<NAME>_* variables.' }),
    issuer: Type.Optional(Type.String({ pattern: '^https?://', patternErrorMessage: 'an http(s) URL', description: 'Issuer URL (google and github have defaults).' })),
    clientId: Type.String({ minLength: 1, description: 'OAuth client id.' }),
    clientSecretSecret: secretRef('the OAuth client secret'),
    scopes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Scopes to request.' })),
  },
  { additionalProperties: false },
);

export const LdapSchema = Type.Object(
  {
    url: Type.String({ pattern: '^ldaps?://[^\\s/]+', patternErrorMessage: 'an ldap:// or ldaps:// URL', description: 'LDAP server (LDAP_AUTH_URL).' }),
    searchBase: Type.String({ minLength: 1, description: 'Base DN of user searches (LDAP_AUTH_SEARCH_BASE).' }),
    useTls: Type.Optional(Type.Boolean({ description: 'StartTLS on ldap:// (LDAP_AUTH_USE_TLS).' })),
    objectClass: Type.Optional(Type.String({ minLength: 1, description: 'User object class (LDAP_AUTH_OBJECT_CLASS).' })),
    userFields: Type.Optional(
      Type.Object(
        {
          username: Type.Optional(Type.String({ minLength: 1 })),
          first_name: Type.Optional(Type.String({ minLength: 1 })),
          last_name: Type.Optional(Type.String({ minLength: 1 })),
          email: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false, description: 'Local field → LDAP attribute (LDAP_AUTH_USER_FIELDS).' },
      ),
    ),
    userLookupFields: Type.Optional(Type.Array(literals(LDAP_USER_FIELD_NAMES), { description: 'LDAP_AUTH_USER_LOOKUP_FIELDS.' })),
    formatUsername: Type.Optional(
      literals(Object.keys(LDAP_FORMAT_USERNAME_VALUES) as (keyof typeof LDAP_FORMAT_USERNAME_VALUES)[], {
        description: 'How the bind name is built (LDAP_AUTH_FORMAT_USERNAME).',
      }),
    ),
    activeDirectoryDomain: Type.Optional(Type.String({ minLength: 1, description: 'LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN.' })),
    connectionUsername: Type.Optional(Type.String({ minLength: 1, description: 'Search bind user (LDAP_AUTH_CONNECTION_USERNAME).' })),
    connectionPasswordSecret: Type.Optional(secretRef('the search bind password (LDAP_AUTH_CONNECTION_PASSWORD)')),
    connectTimeoutSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 600, description: 'LDAP_AUTH_CONNECT_TIMEOUT.' })),
    receiveTimeoutSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 600, description: 'LDAP_AUTH_RECEIVE_TIMEOUT.' })),
    defaultOrganisationId: Type.Optional(Type.Integer({ minimum: 1, description: 'LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID.' })),
    syncedGroups: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Group DNs mirrored into flagstack (LDAP_SYNCED_GROUPS).' })),
    syncUserGroups: Type.Optional(Type.Boolean({ description: 'Sync the synced groups at login (LDAP_AUTH_SYNC_USER_RELATIONS).' })),
    loginGroup: Type.Optional(Type.String({ minLength: 1, description: 'Only members of this group DN may log in (LDAP_LOGIN_GROUP).' })),
    syncUsername: Type.Optional(Type.String({ minLength: 1, description: 'Service account of the sync job (LDAP_SYNC_USER_USERNAME).' })),
    syncPasswordSecret: Type.Optional(secretRef('the sync service account password (LDAP_SYNC_USER_PASSWORD)')),
  },
  { additionalProperties: false, description: 'LDAP / Active Directory login.' },
);

export const AuthSchema = Type.Object(
  {
    adminEmail: Type.Optional(
      Type.String({
        pattern: '^[^\\s@]+@[^\\s@]+$',
        patternErrorMessage: 'an email address',
        description: 'Email of the first admin user (ADMIN_EMAIL); the stack generates the password and stores it in the secret store.',
      }),
    ),
    allowSignup: Type.Boolean({ description: 'Open email/password signup (ALLOW_SIGNUP). Default false.' }),
    lockLoginTo: Type.Optional(
      Type.String({ pattern: lockLoginPattern, patternErrorMessage: `password, saml, ldap or oidc:<${OIDC_PROVIDERS.join('|')}>`, description: 'LOCK_LOGIN_TO.' }),
    ),
    saml: Type.Optional(
      Type.Object({ forceSsl: Type.Optional(Type.Boolean({ description: 'SAML_FORCE_SSL.' })) }, { additionalProperties: false, description: 'SAML (IdPs are configured per organisation in the app).' }),
    ),
    oidc: Type.Optional(Type.Array(OidcProviderSchema, { description: 'Instance-wide OIDC providers.' })),
    ldap: Type.Optional(LdapSchema),
  },
  { additionalProperties: false, description: 'Login settings.' },
);

export const AppDynamicsSchema = Type.Object(
  {
    enabled: Type.Boolean({ description: 'APP_DYNAMICS.' }),
    controllerHost: Type.Optional(Type.String({ minLength: 1, description: 'Controller host name (required when enabled).' })),
    controllerPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Default 443 with ssl, 8090 without.' })),
    ssl: Type.Optional(Type.Boolean({ description: 'TLS to the controller. Default true.' })),
    accountName: Type.Optional(Type.String({ minLength: 1, description: 'Controller account (required when enabled).' })),
    applicationName: Type.Optional(Type.String({ minLength: 1, description: 'Business application (required when enabled).' })),
    tierName: Type.Optional(Type.String({ minLength: 1, description: 'Tier (required when enabled).' })),
    nodeName: Type.Optional(Type.String({ minLength: 1, description: 'Node name (the agent derives one when unset).' })),
    accessKeySecret: Type.Optional(secretRef('the controller access key (required when enabled)')),
    agentLayerArn: Type.Optional(
      Type.String({
        pattern: '^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:layer:[A-Za-z0-9_-]+:\\d+$',
        patternErrorMessage: 'a Lambda layer version ARN',
        description: 'aws, packaging function: Lambda layer that carries the agent (required there).',
      }),
    ),
    agentPath: Type.Optional(
      Type.String({ minLength: 1, description: 'Where the agent module is (azure/gcp functions: required; containers: default "appdynamics").' }),
    ),
  },
  { additionalProperties: false, description: 'AppDynamics agent.' },
);

export const ImageSchema = Type.Object(
  { uri: Type.Optional(Type.String({ pattern: '^\\S+$', patternErrorMessage: 'an image reference', description: 'Prebuilt image; when absent AWS builds the root Dockerfile.' })) },
  { additionalProperties: false, description: 'Container image (packaging container only).' },
);

/** The retention periods CloudWatch Logs accepts (the other clouds take any number of days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const MonitoringSchema = Type.Object(
  {
    logRetentionDays: Type.Optional(
      literals(LOG_RETENTION_DAYS, { description: 'Days logs are kept. Default 30 (365 when prod).' }),
    ),
    alarmEmail: Type.Optional(
      Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$', patternErrorMessage: 'an email address', description: 'Address subscribed to the alarm notifications (it must confirm the subscription).' }),
    ),
  },
  { additionalProperties: false, description: 'Logs, alarms and dashboard.' },
);

export const STATE_BACKENDS = ['azurerm', 'gcs'] as const;

/**
 * Where Terraform keeps the state of an azure or gcp (CDKTF) stack. The state holds the generated database password
 * and encryption key, so it belongs in an encrypted, access-controlled remote store; without this block cdktf keeps
 * it in a local file (an absolute path in the synthesized JSON).
 */
export const StateBackendSchema = Type.Object(
  {
    type: literals(STATE_BACKENDS, { description: 'azurerm (an Azure Storage blob container) or gcs (a Cloud Storage bucket).' }),
    resourceGroupName: Type.Optional(Type.String({ minLength: 1, maxLength: 90, description: 'azurerm: resource group of the storage account.' })),
    storageAccountName: Type.Optional(
      Type.String({ pattern: '^[a-z0-9]{3,24}$', patternErrorMessage: '3 to 24 lower-case letters and digits', description: 'azurerm: storage account holding the state.' }),
    ),
    containerName: Type.Optional(
      Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$', patternErrorMessage: 'a blob container name', description: 'azurerm: blob container holding the state.' }),
    ),
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'azurerm: blob name of the state. Default <project>/<environment>.tfstate.' })),
    bucket: Type.Optional(
      Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$', patternErrorMessage: 'a Cloud Storage bucket name', description: 'gcs: bucket holding the state.' }),
    ),
    prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'gcs: object prefix of the state. Default <project>/<environment>.' })),
  },
  { additionalProperties: false, description: 'azure/gcp: remote Terraform state (encrypted at rest by both stores). Strongly recommended: the state holds generated secrets.' },
);

/** Everything an environment sets, besides its name. */
export const environmentProperties = {
  cloud: literals(CLOUDS, { description: 'Where it runs.' }),
  region: Type.String({ minLength: 1, description: 'Cloud region: eu-west-1 (aws), westeurope (azure), europe-west1 (gcp).' }),
  packaging: literals(PACKAGINGS, { description: 'container (ECS Fargate, Container Apps, Cloud Run) or function (Lambda, Azure Functions, Cloud Functions). Default container.' }),
  database: DatabaseSchema,
  scaling: ScalingSchema,
  domain: Type.Optional(DomainSchema),
  network: Type.Optional(NetworkSchema),
  auth: AuthSchema,
  appDynamics: Type.Optional(AppDynamicsSchema),
  image: Type.Optional(ImageSchema),
  waf: Type.Optional(
    Type.Boolean({
      description:
        'aws, packaging container: put AWS WAF (AWS managed common, known-bad-inputs and IP-reputation rules, and a per-address rate limit) in front of the load balancer. Default false.',
    }),
  ),
  monitoring: Type.Optional(MonitoringSchema),
  stateBackend: Type.Optional(StateBackendSchema),
  nodeVersion: literals(NODE_VERSIONS, { description: 'Node.js major version of the runtime. Default 22.' }),
  tags: Type.Record(Type.String({ minLength: 1 }), Type.String({ maxLength: 256 }), { description: 'Tags/labels on every resource.' }),
  prod: Type.Boolean({ description: 'Production: turns on deletion protection, final snapshots, high availability and longer backups by default.' }),
};

export const EnvironmentSchema = Type.Object(
  {
    project: Type.String({ description: 'The project name (copied from the file).' }),
    name: EnvironmentName,
    ...environmentProperties,
  },
  { additionalProperties: false },
);

/** One environment, resolved: defaults merged in, built-in defaults applied, validated. */
export type EnvironmentConfig = Static<typeof EnvironmentSchema>;
export type DatabaseConfig = Static<typeof DatabaseSchema>;
export type ScalingConfig = Static<typeof ScalingSchema>;
export type AuthDeploymentConfig = Static<typeof AuthSchema>;
export type LdapDeploymentConfig = Static<typeof LdapSchema>;
export type OidcProviderDeploymentConfig = Static<typeof OidcProviderSchema>;
export type AppDynamicsDeploymentConfig = Static<typeof AppDynamicsSchema>;
export type NetworkDeploymentConfig = Static<typeof NetworkSchema>;
export type DomainDeploymentConfig = Static<typeof DomainSchema>;
export type MonitoringDeploymentConfig = Static<typeof MonitoringSchema>;
export type StateBackendDeploymentConfig = Static<typeof StateBackendSchema>;
