// Builders for the variables of the runtime schema. Every variable is a typebox schema of its *converted*
// value (PORT is an integer, TRUST_PROXY a boolean), like Fastify's env-schema, so the schema documents the
// contract and validates it. Extra JSON keywords: `group` and `secret`; JSON-less metadata (a value check,
// where the value lands in AppConfig) hides behind a symbol so `JSON.stringify` of the schema stays clean.
import { Type, type Static, type TSchema, type TOptional, type TString, type TInteger, type TNumber, type TBoolean, type TUnion, type TLiteral } from '@sinclair/typebox';

export type ConfigGroup =
  | 'server'
  | 'database'
  | 'security'
  | 'cache'
  | 'auth'
  | 'oidc'
  | 'ldap'
  | 'appdynamics'
  | 'ui';

/** Checks a raw (string) value beyond what the schema can say; returns the problem, e.g. `expected an ldap:// URL`. */
export type EnvCheck = (raw: string) => string | undefined;

export interface EnvVarExtra {
  check?: EnvCheck;
  /** Dotted path of the AppConfig property this variable sets (used to mask secrets and label output). */
  configPath: string;
  /** Secrets that are URLs (DATABASE_URL) are shown with only their password masked. */
  maskAs?: 'url';
}

export const ENV_EXTRA = Symbol.for('flagstack.config.env-extra');

export interface EnvVarMeta extends EnvVarExtra {
  description: string;
  group: ConfigGroup;
  secret?: boolean;
  /** Phrase for error messages, completing "expected …" (for strings with a check). */
  expected?: string;
}

/** A variable with a default: its converted value is always present. */
export type Defaulted<T extends TSchema> = TOptional<T> & { readonly default: Static<T> };

/** Values of an env schema after conversion: defaulted variables are present, others may be undefined. */
export type EnvValues<P extends Record<string, TSchema>> = {
  [K in keyof P]: P[K] extends { readonly default: unknown } ? Static<P[K]> : Static<P[K]> | undefined;
};

function finish<T extends TSchema>(schema: T, meta: EnvVarMeta, dflt: unknown): TSchema {
  const { check, configPath, maskAs, description, group, secret, expected } = meta;
  const target = schema as TSchema & Record<string | symbol, unknown>;
  target.description = description;
  target.group = group;
  if (secret) target.secret = true;
  if (expected) target.expected = expected;
  if (dflt !== undefined) target.default = dflt;
  target[ENV_EXTRA] = { check, configPath, maskAs } satisfies EnvVarExtra;
  return Type.Optional(target);
}

export function envString(meta: EnvVarMeta & { default: string }): Defaulted<TString>;
export function envString(meta: EnvVarMeta): TOptional<TString>;
export function envString(meta: EnvVarMeta & { default?: string }): TSchema {
  return finish(Type.String({ minLength: 1 }), meta, meta.default);
}

interface Bounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

export function envInteger(meta: EnvVarMeta & Bounds & { default: number }): Defaulted<TInteger>;
export function envInteger(meta: EnvVarMeta & Bounds): TOptional<TInteger>;
export function envInteger(meta: EnvVarMeta & Bounds & { default?: number }): TSchema {
  return finish(Type.Integer(bounds(meta)), meta, meta.default);
}

export function envNumber(meta: EnvVarMeta & Bounds & { default: number }): Defaulted<TNumber>;
export function envNumber(meta: EnvVarMeta & Bounds): TOptional<TNumber>;
export function envNumber(meta: EnvVarMeta & Bounds & { default?: number }): TSchema {
  return finish(Type.Number(bounds(meta)), meta, meta.default);
}

export function envBoolean(meta: EnvVarMeta & { default: boolean }): Defaulted<TBoolean>;
export function envBoolean(meta: EnvVarMeta): TOptional<TBoolean>;
export function envBoolean(meta: EnvVarMeta & { default?: boolean }): TSchema {
  return finish(Type.Boolean(), meta, meta.default);
}

type TEnum<V extends string> = TUnion<TLiteral<V>[]>;
interface EnumExtra<V extends string> {
  /** Other accepted spellings (matched case-insensitively), each mapped to a canonical value. */
  aliases?: Readonly<Record<string, V>>;
}

export function envEnum<const V extends string>(values: readonly V[], meta: EnvVarMeta & EnumExtra<V> & { default: V }): Defaulted<TEnum<V>>;
export function envEnum<const V extends string>(values: readonly V[], meta: EnvVarMeta & EnumExtra<V>): TOptional<TEnum<V>>;
export function envEnum<const V extends string>(values: readonly V[], meta: EnvVarMeta & EnumExtra<V> & { default?: V }): TSchema {
  const schema = Type.Union(values.map((v) => Type.Literal(v))) as TSchema & { aliases?: Record<string, V> };
  if (meta.aliases) schema.aliases = { ...meta.aliases };
  return finish(schema, meta, meta.default);
}

/** Any other schema (e.g. "an integer or `auto`"). */
export function envCustom<T extends TSchema>(schema: T, meta: EnvVarMeta & { default: Static<T> }): Defaulted<T>;
export function envCustom<T extends TSchema>(schema: T, meta: EnvVarMeta): TOptional<T>;
export function envCustom<T extends TSchema>(schema: T, meta: EnvVarMeta & { default?: unknown }): TSchema {
  return finish(schema, meta, meta.default);
}

function bounds(b: Bounds): Bounds {
  const out: Bounds = {};
  if (b.minimum !== undefined) out.minimum = b.minimum;
  if (b.maximum !== undefined) out.maximum = b.maximum;
  if (b.exclusiveMinimum !== undefined) out.exclusiveMinimum = b.exclusiveMinimum;
  return out;
}

export function envExtra(schema: TSchema): EnvVarExtra {
  return (schema as TSchema & { [ENV_EXTRA]: EnvVarExtra })[ENV_EXTRA];
}
