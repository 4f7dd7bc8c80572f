// Step one of loadConfig: read every variable of the schema from an environment, convert it, apply its
// default, validate it. Collects every problem instead of stopping at the first.
import type { TSchema } from '@sinclair/typebox';
// Check alone (Value.Check is the same function): the Value namespace would pull every value operator into the bundle.
import { Check } from '@sinclair/typebox/value';
import { coerce, expectation } from './coerce';
import { envExtra } from './env-var';
import { runtimeEnvSchema, type RuntimeEnvName, type RuntimeEnvValues } from './env-schema';
import type { ConfigIssue } from './errors';
import { displayRaw } from './mask';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ReadEnvResult {
  values: RuntimeEnvValues;
  /** Variables set (non-empty) in the environment, as opposed to defaulted. */
  present: ReadonlySet<RuntimeEnvName>;
  issues: ConfigIssue[];
}

/** An empty value counts as unset: `PORT=` in a compose file or an unfilled template means "use the default". */
export function rawValue(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

export function readEnv(env: Env): ReadEnvResult {
  const values: Record<string, unknown> = {};
  const present = new Set<RuntimeEnvName>();
  const issues: ConfigIssue[] = [];
  const properties = runtimeEnvSchema.properties as Record<RuntimeEnvName, TSchema>;
  for (const name of Object.keys(properties) as RuntimeEnvName[]) {
    const schema = properties[name];
    const raw = rawValue(env, name);
    if (raw === undefined) {
      values[name] = schema.default;
      continue;
    }
    present.add(name);
    const problem = validate(schema, raw);
    if (problem) {
      const { maskAs } = envExtra(schema);
      issues.push({ variable: name, problem: `${problem}, got ${displayRaw(raw, schema.secret === true, maskAs)}` });
      values[name] = schema.default;
    } else {
      values[name] = coerce(schema, raw);
    }
  }
  return { values: values as RuntimeEnvValues, present, issues };
}

function validate(schema: TSchema, raw: string): string | undefined {
  const value = coerce(schema, raw);
  if (value === undefined || !Check(schema, value)) return `expected ${expectation(schema)}`;
  return envExtra(schema).check?.(raw);
}
