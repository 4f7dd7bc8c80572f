// The shape of flagstack.config.json itself: `defaults` and each environment are *partial* environments
// (anything may come from the other), except that every environment needs its name. Derived from the
// resolved schemas so the two cannot drift. Also renders the JSON Schema editors use for completion.
import { Type, TypeGuard, type TObject, type TSchema } from '@sinclair/typebox';
import { EnvironmentName, environmentProperties, type EnvironmentConfig } from './schema';

/** Makes every property of an object schema optional, recursively through objects but not into arrays. */
export function deepPartial(schema: TSchema): TSchema {
  if (!TypeGuard.IsObject(schema)) return schema;
  const properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, Type.Optional(deepPartial(v))]));
  const options = Object.fromEntries(Object.entries(schema).filter(([k]) => !['type', 'properties', 'required'].includes(k)));
  return Type.Object(properties, options);
}

/** Partial environment: objects partial all the way down, arrays and records whole. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export type EnvironmentDefaults = DeepPartial<Omit<EnvironmentConfig, 'project' | 'name'>>;
export type EnvironmentEntry = EnvironmentDefaults & { name: string };

export interface DeploymentConfigFile {
  $schema?: string;
  project: string;
  defaults?: EnvironmentDefaults;
  environments: EnvironmentEntry[];
}

const partialProperties = (deepPartial(Type.Object(environmentProperties)) as TObject).properties;

export const EnvironmentDefaultsSchema = Type.Object(partialProperties, {
  additionalProperties: false,
  description: 'Settings every environment starts from; an environment overrides them (objects merge, arrays replace).',
});

export const EnvironmentEntrySchema = Type.Object(
  { name: EnvironmentName, ...partialProperties },
  { additionalProperties: false, description: 'One environment: its name, and whatever differs from defaults.' },
);

export const DeploymentConfigFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Path of this JSON Schema, for editors.' })),
    project: Type.String({
      pattern: '^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$',
      patternErrorMessage: 'lower-case letters, digits and hyphens, starting with a letter, at most 20 characters',
      description: 'Project name; prefixes stack and resource names.',
    }),
    defaults: Type.Optional(EnvironmentDefaultsSchema),
    environments: Type.Array(EnvironmentEntrySchema, { minItems: 1, description: 'The environments to deploy.' }),
  },
  {
    additionalProperties: false,
    title: 'flagstack deployment configuration',
    description: 'Every environment a platform team deploys flagstack to; read by the CDK app (aws) and the CDKTF app (azure, gcp).',
  },
);

/** The JSON Schema (draft-07) committed as flagstack.config.schema.json. */
export function deploymentConfigJsonSchema(): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(DeploymentConfigFileSchema)) };
}

export function renderDeploymentConfigJsonSchema(): string {
  return `${JSON.stringify(deploymentConfigJsonSchema(), null, 2)}\n`;
}
