// OIDC/OAuth login providers: the instance-wide ones from OIDC_<NAME>_* variables and the ones instance admins add
// through /api/v1/auth/oidc/providers/ (stored in oidc_providers, the client secret sealed under
// FLAGSTACK_ENCRYPTION_KEY and never returned: `client_secret_configured` says whether one is set). Every change is
// audited without the secret.
import type { AppConfig } from '../../config';
import { OIDC_PROVIDERS, type OidcProviderName } from '../../config/vars/oidc';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { encryptionKeyFrom, open, seal, SecretBoxError } from '../../auth/secret-box';
import { DEFAULT_CLAIMS, type ClaimMapping } from '../../auth/oidc/claims';
import {
  DEFAULT_SCOPES,
  entraTenantProblem,
  isProviderName,
  isReservedProviderName,
  issuerProblem,
  loginPath,
  normaliseScopes,
  SCOPE_TOKEN,
  type ProviderKind,
} from '../../auth/oidc/client-config';
import { findOrganisation } from '../../store/repositories/organisations';
import * as repo from '../../store/repositories/oidc';
import type { Store } from '../../store/store';
import { write, type ServiceContext } from '../context';

/** A provider ready for a login, wherever it was configured. */
export interface ResolvedProvider {
  name: string;
  source: 'env' | 'database';
  kind: ProviderKind;
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes: string[];
  claims: ClaimMapping;
  organisationId?: number;
  /** Whether a first login may create an account (env providers: ALLOW_SIGNUP). */
  allowSignup: boolean;
  /** Changes whenever the settings change: the discovery cache is keyed by it. */
  version: string;
}

export class ProviderUnavailableError extends Error {}

const sealContext = (name: string) => `oidc_provider:${name}:client_secret`;

function isEnvName(name: string): name is OidcProviderName {
  return (OIDC_PROVIDERS as readonly string[]).includes(name);
}

/** The provider a login path names: an env provider if configured under that name, else a database one. */
export async function resolveProvider(store: Store, config: AppConfig | undefined, name: string): Promise<ResolvedProvider | undefined> {
  if (!isProviderName(name)) return undefined;
  if (isEnvName(name)) {
    const env = config?.auth.oidc[name];
    if (!env) return undefined;
    const kind: ProviderKind = name === 'github' ? 'github' : 'oidc';
    return {
      name,
      source: 'env',
      kind,
      issuer: env.issuer,
      clientId: env.clientId,
      clientSecret: env.clientSecret,
      scopes: normaliseScopes(kind, env.scopes.length > 0 ? env.scopes : DEFAULT_SCOPES[kind]),
      claims: { ...DEFAULT_CLAIMS },
      allowSignup: config?.auth.allowSignup ?? false,
      version: 'env',
    };
  }
  const row = await repo.findOidcProviderByName(store.db, name);
  if (!row) return undefined;
  let clientSecret: string | undefined;
  if (row.sealedClientSecret) {
    try {
      clientSecret = open(encryptionKeyFrom(config?.encryptionKey), row.sealedClientSecret, sealContext(row.name));
    } catch (error) {
      if (error instanceof SecretBoxError) throw new ProviderUnavailableError(`OIDC provider ${name}: ${error.message}`);
      throw error;
    }
  }
  return {
    name: row.name,
    source: 'database',
    kind: row.kind,
    issuer: row.issuer,
    clientId: row.clientId,
    clientSecret,
    scopes: normaliseScopes(row.kind, row.scopes),
    claims: row.claims,
    organisationId: row.organisationId ?? undefined,
    allowSignup: row.allowSignup,
    version: `${row.id}:${row.updatedAt.getTime()}`,
  };
}

/** Names and kinds of every provider a login screen may offer (env first, then the database's, by name). */
export async function listLoginProviderNames(store: Store, config: AppConfig | undefined): Promise<Array<{ name: string; kind: ProviderKind; source: 'env' | 'database' }>> {
  const env = Object.keys(config?.auth.oidc ?? {}).map((name) => ({ name, kind: (name === 'github' ? 'github' : 'oidc') as ProviderKind, source: 'env' as const }));
  const stored = (await repo.listOidcProviders(store.db)).map((p) => ({ name: p.name, kind: p.kind, source: 'database' as const }));
  return [...env, ...stored];
}

// -- the admin API -------------------------------------------------------------------------------------------------

export interface ProviderView {
  id: number;
  name: string;
  kind: ProviderKind;
  issuer: string;
  client_id: string;
  client_secret_configured: boolean;
  scopes: string[];
  email_claim: string;
  first_name_claim: string;
  last_name_claim: string;
  groups_claim: string | null;
  organisation: number | null;
  allow_signup: boolean;
  login_url: string;
  /** Path of the redirect URI to register at the provider (prefix it with this API's public origin). */
  callback_path: string;
  created_at: string;
  updated_at: string;
}

export interface ProviderInput {
  name?: string;
  kind?: ProviderKind;
  issuer?: string;
  client_id?: string;
  /** A string sets it, null removes it (public client), absent leaves it. */
  client_secret?: string | null;
  scopes?: string[];
  email_claim?: string;
  first_name_claim?: string;
  last_name_claim?: string;
  groups_claim?: string | null;
  organisation?: number | null;
  allow_signup?: boolean;
}

export function toProviderView(p: repo.OidcProviderRecord): ProviderView {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    issuer: p.issuer,
    client_id: p.clientId,
    client_secret_configured: p.sealedClientSecret !== null,
    scopes: p.scopes,
    email_claim: p.claims.email,
    first_name_claim: p.claims.firstName,
    last_name_claim: p.claims.lastName,
    groups_claim: p.claims.groups,
    organisation: p.organisationId,
    allow_signup: p.allowSignup,
    login_url: loginPath(p.name),
    callback_path: `/api/v1/auth/oidc/${p.name}/callback/`,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a provider: everything but the secret, which only shows as configured or not. */
function auditView(p: repo.OidcProviderRecord): Omit<ProviderView, 'login_url' | 'callback_path' | 'created_at' | 'updated_at'> {
  const { login_url: _l, callback_path: _c, created_at: _a, updated_at: _u, ...rest } = toProviderView(p);
  return rest;
}

export async function listProviders(ctx: ServiceContext): Promise<ProviderView[]> {
  return (await repo.listOidcProviders(ctx.store.db)).map(toProviderView);
}

async function requireProvider(ctx: ServiceContext, name: string): Promise<repo.OidcProviderRecord> {
  const found = isProviderName(name) ? await repo.findOidcProviderByName(ctx.store.db, name) : undefined;
  if (!found) throw new NotFoundError('OIDC provider', name);
  return found;
}

export async function getProvider(ctx: ServiceContext, name: string): Promise<ProviderView> {
  return toProviderView(await requireProvider(ctx, name));
}

/** Checks a whole provider (after a patch is applied): every problem, by field. */
async function check(ctx: ServiceContext, fields: repo.OidcProviderFields): Promise<void> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  const issuer = issuerProblem(fields.issuer);
  if (issuer) add('issuer', issuer);
  else if (fields.kind === 'oidc') {
    const tenant = entraTenantProblem(fields.issuer);
    if (tenant) add('issuer', tenant);
  }
  const badScope = fields.scopes.find((s) => !SCOPE_TOKEN.test(s));
  if (badScope !== undefined) add('scopes', `"${badScope}" is not a valid scope.`);
  if (fields.scopes.join(' ').length > 1000) add('scopes', 'Too many scopes.');
  if (fields.organisationId !== null && !(await findOrganisation(ctx.store.db, fields.organisationId))) {
    add('organisation', `Organisation ${fields.organisationId} does not exist.`);
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
}

function sealSecret(ctx: ServiceContext, config: AppConfig | undefined, name: string, secret: string): string {
  try {
    return seal(encryptionKeyFrom(config?.encryptionKey), secret, sealContext(name));
  } catch (error) {
    if (error instanceof SecretBoxError) throw ValidationError.field('client_secret', `${error.message} Set it to store client secrets.`);
    throw error;
  }
}

export async function createProvider(ctx: ServiceContext, config: AppConfig | undefined, input: ProviderInput & { name: string; client_id: string }): Promise<ProviderView> {
  const name = input.name;
  if (!isProviderName(name)) throw ValidationError.field('name', 'Use 1–50 lower-case letters, digits, "-" and "_", starting with a letter or digit.');
  if (isReservedProviderName(name)) throw ValidationError.field('name', `"${name}" is reserved (${OIDC_PROVIDERS.join(', ')} are the providers configured by environment variables).`);
  if (await repo.findOidcProviderByName(ctx.store.db, name)) throw ValidationError.field('name', `A provider named "${name}" exists.`);
  const kind = input.kind ?? 'oidc';
  if (kind === 'oidc' && !input.issuer) throw ValidationError.field('issuer', 'This field is required for an OIDC provider.');
  const fields: repo.OidcProviderFields = {
    name,
    kind,
    issuer: input.issuer ?? 'https://github.com',
    clientId: input.client_id,
    sealedClientSecret: input.client_secret ? sealSecret(ctx, config, name, input.client_secret) : null,
    scopes: normaliseScopes(kind, input.scopes ?? DEFAULT_SCOPES[kind]),
    claims: {
      email: input.email_claim ?? DEFAULT_CLAIMS.email,
      firstName: input.first_name_claim ?? DEFAULT_CLAIMS.firstName,
      lastName: input.last_name_claim ?? DEFAULT_CLAIMS.lastName,
      groups: input.groups_claim ?? null,
    },
    organisationId: input.organisation ?? null,
    allowSignup: input.allow_signup ?? false,
  };
  await check(ctx, fields);
  await write(ctx, async (w) => {
    const id = await repo.insertOidcProvider(w.trx, w.traits, fields, new Date());
    const created = (await repo.findOidcProviderByName(w.trx, name))!;
    w.audit({ action: 'create', resourceType: 'oidc_provider', resourceId: id, organisationId: fields.organisationId, log: `OIDC provider added: ${name}`, after: auditView(created) });
  });
  return getProvider(ctx, name);
}

export async function updateProvider(ctx: ServiceContext, config: AppConfig | undefined, name: string, input: ProviderInput): Promise<ProviderView> {
  const before = await requireProvider(ctx, name);
  if (input.name !== undefined && input.name !== before.name) throw ValidationError.field('name', 'A provider cannot be renamed (the name is part of its redirect URI); add a new one.');
  if (input.kind !== undefined && input.kind !== before.kind) throw ValidationError.field('kind', 'A provider cannot change kind; add a new one.');
  const merged: repo.OidcProviderFields = {
    name: before.name,
    kind: before.kind,
    issuer: input.issuer ?? before.issuer,
    clientId: input.client_id ?? before.clientId,
    sealedClientSecret:
      input.client_secret === undefined ? before.sealedClientSecret : input.client_secret === null ? null : sealSecret(ctx, config, before.name, input.client_secret),
    scopes: input.scopes !== undefined ? normaliseScopes(before.kind, input.scopes) : before.scopes,
    claims: {
      email: input.email_claim ?? before.claims.email,
      firstName: input.first_name_claim ?? before.claims.firstName,
      lastName: input.last_name_claim ?? before.claims.lastName,
      groups: input.groups_claim !== undefined ? input.groups_claim : before.claims.groups,
    },
    organisationId: input.organisation !== undefined ? input.organisation : before.organisationId,
    allowSignup: input.allow_signup ?? before.allowSignup,
  };
  await check(ctx, merged);
  await write(ctx, async (w) => {
    // Later than the last change even within one millisecond: the discovery cache is keyed by it.
    const now = new Date(Math.max(Date.now(), before.updatedAt.getTime() + 1));
    await repo.updateOidcProvider(w.trx, before.id, merged, now);
    // Subjects are unique per issuer only: links made under the old issuer must not sign in whoever has the same
    // `sub` at the new one. Those users link again by verified email.
    const unlinked = merged.issuer !== before.issuer ? await repo.deleteIdentitiesOfProvider(w.trx, `oidc:${name}`) : 0;
    const after = (await repo.findOidcProviderByName(w.trx, name))!;
    const secretChange = input.client_secret === undefined ? '' : input.client_secret === null ? ' (client secret removed)' : ' (client secret replaced)';
    const unlinkNote = unlinked > 0 ? `; issuer changed, ${unlinked} account link(s) removed` : '';
    w.audit({
      action: 'update',
      resourceType: 'oidc_provider',
      resourceId: before.id,
      organisationId: after.organisationId,
      log: `OIDC provider changed: ${name}${secretChange}${unlinkNote}`,
      before: auditView(before),
      after: auditView(after),
    });
  });
  return getProvider(ctx, name);
}

export async function deleteProvider(ctx: ServiceContext, name: string): Promise<void> {
  const before = await requireProvider(ctx, name);
  await write(ctx, async (w) => {
    await repo.deleteOidcProvider(w.trx, before.id);
    // A provider added later under the same name may be another issuer: it must not inherit these links.
    const unlinked = await repo.deleteIdentitiesOfProvider(w.trx, `oidc:${name}`);
    w.audit({
      action: 'delete',
      resourceType: 'oidc_provider',
      resourceId: before.id,
      organisationId: before.organisationId,
      log: `OIDC provider removed: ${name}${unlinked > 0 ? ` (${unlinked} account link(s) removed)` : ''}`,
      before: auditView(before),
    });
  });
}
