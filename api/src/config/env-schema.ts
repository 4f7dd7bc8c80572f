// THE runtime contract: one typebox object schema of every environment variable the API reads, and a flat
// metadata list of the same variables (what the IaC code in lib/ iterates to emit an environment).
import { Type, type TSchema } from '@sinclair/typebox';
import { envExtra, type ConfigGroup, type EnvValues } from './env-var';
import { serverVars } from './vars/server';
import { databaseVars } from './vars/database';
import { securityVars } from './vars/security';
import { authVars } from './vars/auth';
import { oidcVars } from './vars/oidc';
import { ldapVars } from './vars/ldap';
import { appDynamicsVars } from './vars/appdynamics';
import { uiVars } from './vars/ui';

const properties = {
  ...serverVars,
  ...databaseVars,
  ...securityVars,
  ...authVars,
  ...oidcVars,
  ...ldapVars,
  ...appDynamicsVars,
  ...uiVars,
};

/**
 * Every variable, named as the environment spells it, typed as its converted value. Nothing is required and
 * unknown variables are allowed: the process environment holds many others.
 */
export const runtimeEnvSchema = Type.Object(properties, {
  title: 'flagstack runtime environment variables',
  description:
    'Environment variables read by the flagstack API. Values are strings in the environment; the types here are those after conversion (booleans accept true/false, 1/0, on/off, yes/no). Any variable marked secret may instead be given as <NAME>_SECRET_ARN.',
  additionalProperties: true,
});

export type RuntimeEnvName = keyof typeof properties;
/** The converted variables, before they are shaped into AppConfig. */
export type RuntimeEnvValues = EnvValues<typeof properties>;
/** An environment as the IaC code emits it: raw string values keyed by variable name. */
export type RuntimeEnv = Partial<Record<RuntimeEnvName, string>>;

export interface RuntimeEnvVar {
  name: RuntimeEnvName;
  description: string;
  /** The default as the environment would spell it; undefined when the variable has none. */
  default: string | undefined;
  secret: boolean;
  group: ConfigGroup;
  /** The AppConfig property the variable sets, dotted (`database.url`). */
  configPath: string;
}

function metaOf(name: RuntimeEnvName, schema: TSchema): RuntimeEnvVar {
  const s = schema as TSchema & { group: ConfigGroup; secret?: boolean };
  return {
    name,
    description: s.description ?? '',
    default: s.default === undefined ? undefined : String(s.default),
    secret: s.secret === true,
    group: s.group,
    configPath: envExtra(schema).configPath,
  };
}

export const RUNTIME_ENV_VARS: readonly RuntimeEnvVar[] = Object.freeze(
  (Object.keys(properties) as RuntimeEnvName[]).map((name) => Object.freeze(metaOf(name, properties[name]))),
);

export const SECRET_ENV_VARS: ReadonlySet<string> = new Set(RUNTIME_ENV_VARS.filter((v) => v.secret).map((v) => v.name));

export function isRuntimeEnvName(name: string): name is RuntimeEnvName {
  return Object.prototype.hasOwnProperty.call(properties, name);
}

/** The JSON Schema (draft-07) of the variables, as `flagstack config --schema` prints it. */
export function runtimeEnvJsonSchema(): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(runtimeEnvSchema)) };
}
