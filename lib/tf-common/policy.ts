// The kit's policies, as plain TypeScript over synthesized Terraform JSON (no OPA/checkov here: IAC-NOTES.md §C2).
// bin/cdktf.ts runs them after every synth (an error fails it); the tests run them over the whole configuration
// matrix and prove each rule catches what it names. Rule ids and messages in cdk-nag style.
//
//   FS-DB1   no public database endpoint
//   FS-TLS1  TLS required: the database enforces it, endpoints are HTTPS only with TLS 1.2+
//   FS-ENC1  encryption at rest: every resource type is classified; data stores are ones that encrypt at rest, with
//            the switches that exist turned on
//   FS-SEC1  secrets never in plain environment values (container env, app settings, function variables)
//   FS-SEC2  secrets never in outputs
//   FS-SEC3  generated secrets go from random_* straight into the secret store (and the database), nowhere else
//   FS-DEL1  deletion protection when the environment asks for it (prod)
//   FS-BAK1  automated database backups (an error with deletion protection, a warning otherwise)
//   FS-IAM1  least privilege: only the kit's roles, scoped to single resources, to the identities that need them
//   FS-PUB1  no public storage; only the API itself is publicly invocable
import { resourcesOf, type ResourceRef, type TerraformJson } from './tf-json';
import { DATABASE_SERVERS, type Finding, type PolicyOptions, type PolicyRule } from './policies/rule';
import { noPublicDatabase, tlsRequired } from './policies/network';
import { encryptionAtRest } from './policies/encryption';
import { generatedSecretsStored, noPlainSecrets, noSecretOutputs } from './policies/secrets';
import { backups, deletionProtection } from './policies/resilience';
import { leastPrivilege, noPublicStorage } from './policies/access';

export type { TerraformJson } from './tf-json';
export type { Finding, PolicyOptions, PolicyRule, Severity } from './policies/rule';
export { DATA_STORES, NOT_DATA_STORES } from './policies/encryption';
export { GCP_PROJECT_ROLES } from './policies/access';

export function formatFinding(f: Finding): string {
  return `[${f.severity}] ${f.rule} ${f.resource}: ${f.message}`;
}

export const POLICY_RULES: readonly PolicyRule[] = [
  noPublicDatabase,
  tlsRequired,
  encryptionAtRest,
  noPlainSecrets,
  noSecretOutputs,
  generatedSecretsStored,
  deletionProtection,
  backups,
  leastPrivilege,
  noPublicStorage,
];

export function checkPolicies(json: TerraformJson, options: PolicyOptions): Finding[] {
  return POLICY_RULES.flatMap((rule) => rule.check(json, options));
}

/** Whether a stack has a database server at all (for tests that want to know a rule had something to look at). */
export function databaseServers(json: TerraformJson): ResourceRef[] {
  return DATABASE_SERVERS.flatMap((type) => resourcesOf(json, type));
}
