// The API's environment as the CDKTF stacks emit it: built by lib/common's apiEnvironment() (the one place that
// knows which variables the API reads), checked against the runtime contract, and keyed so each cloud can map a
// secret source to one secret in its store.
import { apiEnvironment, contractViolations, type ApiEnvironment, type DatabaseEndpoint, type SecretSource } from '../common/api-environment';
import type { EnvironmentConfig } from '../config';

export type { SecretSource, DatabaseEndpoint } from '../common/api-environment';

/** A stable key per secret source: generated ones by purpose, referenced ones by the name the config gives. */
export function secretKey(source: SecretSource): string {
  switch (source.kind) {
    case 'database-password':
      return 'db-password';
    case 'generated':
      return source.purpose;
    case 'reference':
      return `ref:${source.secretName}`;
  }
}

export interface StackEnvironment extends ApiEnvironment {
  /** Distinct secret sources the environment needs, by secretKey(). */
  sources: Map<string, SecretSource>;
}

/**
 * What every Azure/GCP compute adds: Container Apps' ingress, Cloud Run's and the Functions front ends all forward
 * requests with X-Forwarded-For, so the API must read client addresses from it (login throttling is per address).
 */
export const PLATFORM_VARIABLES: Readonly<Record<string, string>> = { TRUST_PROXY: 'true' };

/**
 * The environment of the API (and of its jobs): apiEnvironment() plus PLATFORM_VARIABLES. `overrides` are plain
 * variables a packaging sets on top (e.g. where a mounted file is); they must be variables the API reads too. Throws
 * when the result breaks the contract.
 */
export function stackEnvironment(env: EnvironmentConfig, endpoint: DatabaseEndpoint, overrides: Record<string, string> = {}): StackEnvironment {
  const base = apiEnvironment(env, endpoint, { adminEmail: env.auth.adminEmail });
  const result: ApiEnvironment = { variables: { ...base.variables, ...PLATFORM_VARIABLES, ...overrides }, secrets: base.secrets };
  const problems = contractViolations(result);
  if (problems.length > 0) throw new Error(`the API environment of ${env.name} breaks the runtime contract: ${problems.join('; ')}`);
  const sources = new Map<string, SecretSource>();
  for (const source of Object.values(result.secrets)) sources.set(secretKey(source), source);
  return { ...result, sources };
}
