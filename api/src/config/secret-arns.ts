// Secrets given by reference: `<NAME>_SECRET_ARN` names an AWS Secrets Manager secret holding the value of the
// secret variable NAME (how the Lambda packaging passes secrets; ECS and the other clouds inject values).
// The optional ECS-style JSON key suffix (`…:secret:name:password::`) picks one field of a JSON secret, e.g.
// the password of an RDS-managed secret for DJANGO_DB_PASSWORD.
import { SECRET_ENV_VARS, isRuntimeEnvName } from './env-schema';
import { ConfigError, type ConfigIssue } from './errors';
import { displayRaw } from './mask';
import { rawValue, type Env } from './read-env';

export const SECRET_ARN_SUFFIX = '_SECRET_ARN';

const ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^:]+(?::([^:]*)(?::([^:]*)(?::([^:]*))?)?)?$/;
const ARN_EXPECTED =
  'expected a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>, optionally followed by :<json-key>::)';

export interface SecretArnsResult {
  /** Secret variable name → ARN, e.g. `{ DATABASE_URL: 'arn:aws:secretsmanager:…' }`. */
  arns: Record<string, string>;
  issues: ConfigIssue[];
}

export function collectSecretArns(env: Env): SecretArnsResult {
  const arns: Record<string, string> = {};
  const issues: ConfigIssue[] = [];
  const keys = Object.keys(env)
    .filter((k) => k.endsWith(SECRET_ARN_SUFFIX) && rawValue(env, k) !== undefined)
    .sort();
  for (const key of keys) {
    const arn = rawValue(env, key) as string;
    const name = key.slice(0, -SECRET_ARN_SUFFIX.length);
    if (!isRuntimeEnvName(name)) {
      issues.push({ variable: key, problem: `${name} is not a variable flagstack reads` });
    } else if (!SECRET_ENV_VARS.has(name)) {
      issues.push({ variable: key, problem: `${name} is not a secret variable; set ${name} directly` });
    } else if (rawValue(env, name) !== undefined) {
      issues.push({ variable: `${name}, ${key}`, problem: 'both are set; set only one of them' });
    } else {
      const m = ARN.exec(arn);
      if (!m) issues.push({ variable: key, problem: `${ARN_EXPECTED}, got ${displayRaw(arn, false)}` });
      else if (m[2] || m[3]) issues.push({ variable: key, problem: 'version stage and version id suffixes are not supported' });
      else arns[name] = arn;
    }
  }
  return { arns, issues };
}

/**
 * Returns a copy of `env` in which every `<NAME>_SECRET_ARN` is replaced by NAME set to the secret's value
 * (the `_SECRET_ARN` variable is removed, so the result passes loadConfig's "not both" rule). Each secret is
 * fetched once even when several JSON keys of it are used. Throws a ConfigError naming every variable that
 * is invalid or could not be fetched.
 */
export async function resolveSecretArns(
  env: Env,
  fetchSecret: (arn: string) => Promise<string>,
): Promise<Record<string, string | undefined>> {
  const { arns, issues } = collectSecretArns(env);
  if (issues.length > 0) throw new ConfigError(issues);
  const out: Record<string, string | undefined> = { ...env };
  const fetches = new Map<string, Promise<string>>();
  const failures: ConfigIssue[] = [];
  await Promise.all(
    Object.entries(arns).map(async ([name, arn]) => {
      const variable = `${name}${SECRET_ARN_SUFFIX}`;
      const parts = arn.split(':');
      const secretArn = parts.slice(0, 7).join(':');
      const jsonKey = parts[7] || undefined;
      if (!fetches.has(secretArn)) fetches.set(secretArn, fetchSecret(secretArn));
      try {
        const text = await (fetches.get(secretArn) as Promise<string>);
        out[name] = jsonKey === undefined ? text : pickJsonKey(text, jsonKey);
        delete out[variable];
      } catch (err) {
        failures.push({ variable, problem: `could not resolve the secret: ${(err as Error).message}` });
      }
    }),
  );
  if (failures.length > 0) throw new ConfigError(failures.sort((a, b) => a.variable.localeCompare(b.variable)));
  return out;
}

function pickJsonKey(text: string, key: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never echo the text: it is the secret.
    throw new Error(`the secret is not JSON, so its key "${key}" cannot be read`);
  }
  const value = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[key] : undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`the secret has no string key "${key}"`);
}
