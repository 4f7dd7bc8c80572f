// User groups (Flagsmith's UserPermissionGroup): members with a group_admin flag, default groups every new member
// joins, an external id for SAML/LDAP group mapping. Group admins may add and remove members of their own group;
// everything else needs MANAGE_USER_GROUPS (or the organisation role ADMIN). Every change is audited.
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import * as groups from '../../store/repositories/groups';
import type { GroupRecord } from '../../store/repositories/groups';
import { findMembership } from '../../store/repositories/organisations';
import { loadSubjectGrants } from '../../store/repositories/grants';
import type { WriteScope } from '../../store/store';
import { standingIn } from '../access';
import { grantsAllow } from './effective';
import { pageOffset, toPage, write, type Page, type PageRequest, type ServiceContext } from '../context';

export interface GroupView {
  id: number;
  name: string;
  organisation: number;
  is_default: boolean;
  external_id: string | null;
  users: Array<{ id: number; email: string; first_name: string; last_name: string; group_admin: boolean }>;
}

export interface GroupInput {
  name?: string;
  is_default?: boolean;
  external_id?: string | null;
}

async function views(ctx: ServiceContext, records: GroupRecord[]): Promise<GroupView[]> {
  const members = await groups.listGroupMembers(ctx.store.db, records.map((g) => g.id));
  return records.map((g) => ({
    id: g.id,
    name: g.name,
    organisation: g.organisationId,
    is_default: g.isDefault,
    external_id: g.externalId,
    users: members.filter((m) => m.groupId === g.id).map(({ groupId: _g, ...m }) => m),
  }));
}

export async function getGroup(ctx: ServiceContext, organisationId: number, groupId: number): Promise<GroupView> {
  const group = await groups.findGroup(ctx.store.db, groupId);
  if (!group || group.organisationId !== organisationId) throw new NotFoundError('Group', groupId);
  return (await views(ctx, [group]))[0]!;
}

/** Whether the actor manages every group of the organisation (admin, or MANAGE_USER_GROUPS). */
async function managesAllGroups(ctx: ServiceContext, organisationId: number): Promise<boolean> {
  const standing = await standingIn(ctx.store, ctx.actor, organisationId);
  if (!standing) return false;
  if (standing.everything) return true;
  const grants = await loadSubjectGrants(ctx.store.db, standing.subject, { organisationIds: [organisationId], organisationLevelOnly: true });
  return grantsAllow(grants, 'MANAGE_USER_GROUPS', { organisationId });
}

/** The groups a member may see: all of them with MANAGE_USER_GROUPS, else those it is group admin of. */
export async function listGroups(ctx: ServiceContext, organisationId: number, page: PageRequest, basePath: string): Promise<Page<GroupView>> {
  const all = await managesAllGroups(ctx, organisationId);
  const list = all ? await groups.listGroups(ctx.store.db, organisationId) : ctx.actor.type === 'user' ? await groups.listGroups(ctx.store.db, organisationId, { adminId: ctx.actor.userId }) : [];
  const { offset, limit } = pageOffset(page);
  return toPage(await views(ctx, list.slice(offset, offset + limit)), list.length, page, basePath);
}

/** The groups the signed-in user belongs to (Flagsmith's `my-groups`): id and name. */
export async function myGroups(ctx: ServiceContext, organisationId: number): Promise<Array<{ id: number; name: string }>> {
  if (ctx.actor.type !== 'user') return [];
  return (await groups.listGroups(ctx.store.db, organisationId, { memberId: ctx.actor.userId })).map((g) => ({ id: g.id, name: g.name }));
}

async function requireUniqueExternalId(ctx: ServiceContext, organisationId: number, externalId: string | null | undefined, exceptId?: number): Promise<void> {
  if (!externalId) return;
  const other = await groups.findGroupByExternalId(ctx.store.db, organisationId, externalId);
  if (other && other.id !== exceptId) throw ValidationError.field('external_id', 'Another group of this organisation has this external id.');
}

export async function createGroup(ctx: ServiceContext, organisationId: number, input: GroupInput & { name: string }): Promise<GroupView> {
  await requireUniqueExternalId(ctx, organisationId, input.external_id);
  const id = await write(ctx, async (w) => {
    const id = await groups.insertGroup(w.trx, w.traits, organisationId, { name: input.name, isDefault: input.is_default, externalId: input.external_id ?? null });
    w.audit({ action: 'create', resourceType: 'group', resourceId: id, organisationId, log: `Group created: ${input.name}`, after: input });
    return id;
  });
  return getGroup(ctx, organisationId, id);
}

export async function updateGroup(ctx: ServiceContext, organisationId: number, groupId: number, input: GroupInput): Promise<GroupView> {
  const before = await getGroup(ctx, organisationId, groupId);
  await requireUniqueExternalId(ctx, organisationId, input.external_id, groupId);
  await write(ctx, async (w) => {
    await groups.updateGroup(w.trx, groupId, { name: input.name, isDefault: input.is_default, externalId: input.external_id });
    w.audit({ action: 'update', resourceType: 'group', resourceId: groupId, organisationId, log: `Group updated: ${before.name}`, before: { name: before.name, is_default: before.is_default, external_id: before.external_id }, after: input });
  });
  return getGroup(ctx, organisationId, groupId);
}

export async function deleteGroup(ctx: ServiceContext, organisationId: number, groupId: number): Promise<void> {
  const before = await getGroup(ctx, organisationId, groupId);
  await write(ctx, async (w) => {
    w.audit({ action: 'delete', resourceType: 'group', resourceId: groupId, organisationId, log: `Group deleted: ${before.name}`, before });
    await groups.deleteGroup(w.trx, groupId);
  });
}

async function requireMembers(ctx: ServiceContext, organisationId: number, userIds: number[]): Promise<void> {
  for (const userId of userIds) {
    if ((await findMembership(ctx.store.db, organisationId, userId)) === undefined) throw ValidationError.field('user_ids', `User ${userId} is not a member of this organisation.`);
  }
}

export async function addUsers(ctx: ServiceContext, organisationId: number, groupId: number, userIds: number[]): Promise<GroupView> {
  const group = await getGroup(ctx, organisationId, groupId);
  const ids = [...new Set(userIds)];
  await requireMembers(ctx, organisationId, ids);
  await write(ctx, async (w) => {
    const added: number[] = [];
    for (const userId of ids) if (await groups.addGroupMember(w.trx, groupId, userId)) added.push(userId);
    if (added.length > 0) {
      w.audit({ action: 'add_users', resourceType: 'group', resourceId: groupId, organisationId, log: `Users ${added.join(', ')} added to group ${group.name}`, after: { user_ids: added } });
    }
  });
  return getGroup(ctx, organisationId, groupId);
}

export async function removeUsers(ctx: ServiceContext, organisationId: number, groupId: number, userIds: number[]): Promise<GroupView> {
  const group = await getGroup(ctx, organisationId, groupId);
  await write(ctx, async (w) => {
    const removed: number[] = [];
    for (const userId of [...new Set(userIds)]) if (await groups.removeGroupMember(w.trx, groupId, userId)) removed.push(userId);
    if (removed.length > 0) {
      w.audit({ action: 'remove_users', resourceType: 'group', resourceId: groupId, organisationId, log: `Users ${removed.join(', ')} removed from group ${group.name}`, before: { user_ids: removed } });
    }
  });
  return getGroup(ctx, organisationId, groupId);
}

export async function setGroupAdmin(ctx: ServiceContext, organisationId: number, groupId: number, userId: number, groupAdmin: boolean): Promise<GroupView> {
  const group = await getGroup(ctx, organisationId, groupId);
  const member = group.users.find((u) => u.id === userId);
  if (!member) throw new NotFoundError('Group member', userId);
  if (member.group_admin !== groupAdmin) {
    await write(ctx, async (w) => {
      if (!(await groups.setGroupAdmin(w.trx, groupId, userId, groupAdmin))) throw new ConflictError('The membership changed meanwhile; try again.');
      w.audit({
        action: groupAdmin ? 'make_group_admin' : 'remove_group_admin',
        resourceType: 'group',
        resourceId: groupId,
        organisationId,
        log: `User ${member.email} ${groupAdmin ? 'made admin of' : 'no longer admin of'} group ${group.name}`,
        before: { user: userId, group_admin: !groupAdmin },
        after: { user: userId, group_admin: groupAdmin },
      });
    });
  }
  return getGroup(ctx, organisationId, groupId);
}

/** A new member joins the organisation's default groups (inside the write that adds the member). */
export async function joinDefaultGroups(w: WriteScope, organisationId: number, userId: number): Promise<void> {
  const defaults = await groups.listGroups(w.trx, organisationId, { isDefault: true });
  for (const group of defaults) {
    if (await groups.addGroupMember(w.trx, group.id, userId)) {
      w.audit({ action: 'add_users', resourceType: 'group', resourceId: group.id, organisationId, log: `User ${userId} added to default group ${group.name}`, after: { user_ids: [userId] } });
    }
  }
}
