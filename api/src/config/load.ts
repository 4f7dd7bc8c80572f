// loadConfig: environment → validated AppConfig, or one ConfigError listing every problem.
import { buildAppConfig, type AppConfig } from './app-config';
import { djangoDatabaseUrl } from './django-database';
import { ConfigError, type ConfigIssue } from './errors';
import { readEnv, type Env } from './read-env';
import { collectSecretArns } from './secret-arns';
import { checkPackaging, type LoadOptions } from './packaging';

export type { LoadOptions, Packaging } from './packaging';

/** All problems of an environment, without throwing (e.g. for IaC code checking the environment it emits). */
export function validateEnv(env: Env, options: LoadOptions = {}): ConfigIssue[] {
  return tryLoad(env, options).issues;
}

export function loadConfig(env: Env = process.env, options: LoadOptions = {}): AppConfig {
  const { config, issues } = tryLoad(env, options);
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}

function tryLoad(env: Env, options: LoadOptions): { config: AppConfig; issues: ConfigIssue[] } {
  const { values, present, issues } = readEnv(env);
  const arns = collectSecretArns(env);
  issues.push(...arns.issues);
  // A DATABASE_URL_SECRET_ARN stands for DATABASE_URL: DJANGO_DB_* must not compete with it.
  const django = 'DATABASE_URL' in arns.arns ? { issues: [] } : djangoDatabaseUrl(values, present);
  issues.push(...django.issues);
  const config = buildAppConfig({ values, present, databaseUrl: ('url' in django && django.url) || values.DATABASE_URL, secretArns: arns.arns }, issues);
  checkPackaging(config, present, options, issues);
  return { config, issues: dedupe(issues) };
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.variable}\u0000${i.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
