// Organisations and their members.
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import * as orgs from '../store/repositories/organisations';
import { toBool } from '../store/rows';
import { findUserByEmail, insertUser } from '../store/repositories/users';
import { hashPassword, checkPasswordPolicy } from '../auth/passwords';
import { visibleOrganisationIds } from './access';
import { write, type ServiceContext } from './context';
import { removeUserAccess } from '../store/repositories/grants';
import { joinDefaultGroups } from './rbac/groups';
import { deleteIdentitiesOfProviders, providersOfOrganisation } from '../store/repositories/sign-in';

export async function listOrganisations(ctx: ServiceContext): Promise<orgs.Organisation[]> {
  const ids = await visibleOrganisationIds(ctx.store, ctx.actor);
  const all = await orgs.listOrganisations(ctx.store.db, null);
  return ids === null ? all : all.filter((o) => ids.includes(o.id));
}

export async function getOrganisation(ctx: ServiceContext, id: number): Promise<orgs.Organisation> {
  const org = await orgs.findOrganisation(ctx.store.db, id);
  if (!org) throw new NotFoundError('Organisation', id);
  return org;
}

export async function createOrganisation(ctx: ServiceContext, input: { name: string } & orgs.OrganisationSettings): Promise<orgs.Organisation> {
  const id = await write(ctx, async (w) => {
    const id = await orgs.insertOrganisation(w.trx, w.traits, input);
    if (ctx.actor.type === 'user') await orgs.upsertMembership(w.trx, id, ctx.actor.userId, 'ADMIN');
    w.audit({ action: 'create', resourceType: 'organisation', resourceId: id, organisationId: id, log: `Organisation created: ${input.name}`, after: input });
    return id;
  });
  return getOrganisation(ctx, id);
}

export async function updateOrganisation(ctx: ServiceContext, id: number, input: orgs.OrganisationSettings): Promise<orgs.Organisation> {
  const before = await getOrganisation(ctx, id);
  await write(ctx, async (w) => {
    await orgs.updateOrganisation(w.trx, id, input);
    // stop_serving_flags and persist_trait_data change what the SDK endpoints answer in every environment.
    const projects = await w.trx.selectFrom('projects').select('id').where('organisation_id', '=', id).execute();
    projects.forEach((p) => w.touchProject(p.id));
    w.audit({ action: 'update', resourceType: 'organisation', resourceId: id, organisationId: id, log: `Organisation updated: ${before.name}`, before, after: input });
  });
  return getOrganisation(ctx, id);
}

export async function deleteOrganisation(ctx: ServiceContext, id: number): Promise<void> {
  const before = await getOrganisation(ctx, id);
  await write(ctx, async (w) => {
    w.audit({ action: 'delete', resourceType: 'organisation', resourceId: id, log: `Organisation deleted: ${before.name}`, before });
    // Its SAML configurations and OIDC providers go with it; so must the account links they made, or a provider
    // created later under the same name would sign people into those accounts.
    await deleteIdentitiesOfProviders(w.trx, await providersOfOrganisation(w.trx, id));
    await orgs.deleteOrganisation(w.trx, id);
  });
}

export interface OrganisationUser {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  last_login: string | null;
  /** false once an instance admin deactivated the account (it cannot sign in). */
  is_active: boolean;
  role: orgs.OrganisationRole;
}

export async function listOrganisationUsers(ctx: ServiceContext, organisationId: number): Promise<OrganisationUser[]> {
  const rows = await orgs.listMembers(ctx.store.db, organisationId);
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    first_name: r.first_name,
    last_name: r.last_name,
    last_login: r.last_login_at ? new Date(r.last_login_at).toISOString() : null,
    is_active: toBool(r.is_active),
    role: r.role,
  }));
}

/** Adds a user to an organisation, creating the account (with a password) when the email is new. */
export async function addOrganisationUser(
  ctx: ServiceContext,
  organisationId: number,
  input: { email: string; role: orgs.OrganisationRole; password?: string; first_name?: string; last_name?: string },
): Promise<OrganisationUser> {
  const email = input.email.toLowerCase();
  let user = await findUserByEmail(ctx.store.db, email);
  if (!user && !input.password) throw ValidationError.field('password', 'Required to create a new user.');
  if (!user && input.password) checkPasswordPolicy(input.password, email);
  const passwordHash = !user && input.password ? await hashPassword(input.password) : null;
  await write(ctx, async (w) => {
    let userId = user?.id;
    if (userId === undefined) {
      userId = await insertUser(w.trx, w.traits, { email, passwordHash, firstName: input.first_name, lastName: input.last_name });
    } else if ((await orgs.findMembership(w.trx, organisationId, userId)) !== undefined) {
      throw new ConflictError(`${email} is already a member of this organisation.`);
    }
    await orgs.upsertMembership(w.trx, organisationId, userId, input.role);
    w.audit({ action: 'add_user', resourceType: 'user', resourceId: userId, organisationId, log: `User ${email} added with role ${input.role}`, after: { email, role: input.role } });
    await joinDefaultGroups(w, organisationId, userId);
  });
  user = await findUserByEmail(ctx.store.db, email);
  return (await listOrganisationUsers(ctx, organisationId)).find((u) => u.id === user!.id)!;
}

export async function updateOrganisationUserRole(ctx: ServiceContext, organisationId: number, userId: number, role: orgs.OrganisationRole): Promise<OrganisationUser> {
  const before = await orgs.findMembership(ctx.store.db, organisationId, userId);
  if (before === undefined) throw new NotFoundError('User', userId);
  await write(ctx, async (w) => {
    await orgs.upsertMembership(w.trx, organisationId, userId, role);
    w.audit({ action: 'update_role', resourceType: 'user', resourceId: userId, organisationId, log: `User ${userId} role ${before} -> ${role}`, before: { role: before }, after: { role } });
  });
  return (await listOrganisationUsers(ctx, organisationId)).find((u) => u.id === userId)!;
}

export async function removeOrganisationUser(ctx: ServiceContext, organisationId: number, userId: number): Promise<void> {
  const before = await orgs.findMembership(ctx.store.db, organisationId, userId);
  if (before === undefined) throw new NotFoundError('User', userId);
  await write(ctx, async (w) => {
    await orgs.deleteMembership(w.trx, organisationId, userId);
    // Leaving takes the user's grants, group memberships and roles in this organisation with it.
    await removeUserAccess(w.trx, organisationId, userId);
    w.audit({ action: 'remove_user', resourceType: 'user', resourceId: userId, organisationId, log: `User ${userId} removed (with their permissions, groups and roles here)`, before: { role: before } });
  });
}
