// The access decision, in one place. Every admin route names the permission it needs; this function says yes or no.
//
// - Instance admins (superusers) and the system may do everything.
// - Organisation admins (role ADMIN) and admin API keys may do everything in their organisation.
// - Other members and non-admin API keys hold the union of the grants that reach them: their own, their groups', and
//   those of the roles assigned to them or to their groups (an API key: its roles'). Project admin implies every
//   project and environment key of the project; environment admin every key of the environment; a tag-limited grant
//   gives its tag-limitable keys only on features carrying one of its tags (rbac/effective.ts).
// - Only members count: a user removed from an organisation loses everything in it, whatever rows remain.
//
// Nothing is cached across requests: every decision reads the grants as they are now.
import type { Actor } from '../domain/actor';
import { ForbiddenError } from '../domain/errors';
import { type AccessScope, type Permission, levelOf } from '../domain/permissions';
import type { Store } from '../store/store';
import { findMembership, findOrganisation } from '../store/repositories/organisations';
import { loadSubjectGrants, type GrantRecord, type Subject } from '../store/repositories/grants';
import { findGroupMembership } from '../store/repositories/groups';
import { grantsAllow } from './rbac/effective';

/** Where an actor stands in one organisation: everything, the grants of a subject, or outside it (null). */
export type Standing = { everything: true } | { everything: false; subject: Subject };

export async function standingIn(store: Store, actor: Actor, organisationId: number): Promise<Standing | null> {
  if (actor.type === 'system' || (actor.type === 'user' && actor.isSuperuser)) return { everything: true };
  if (actor.type === 'api_key') {
    if (actor.organisationId !== organisationId) return null;
    return actor.isAdmin ? { everything: true } : { everything: false, subject: { apiKeyId: actor.keyId } };
  }
  const role = await findMembership(store.db, organisationId, actor.userId);
  if (role === undefined) return null;
  return role === 'ADMIN' ? { everything: true } : { everything: false, subject: { userId: actor.userId } };
}

export async function isAllowed(store: Store, actor: Actor, permission: Permission, scope: AccessScope | null): Promise<boolean> {
  if (actor.type === 'system') return true;
  if (actor.type === 'user' && actor.isSuperuser) return true;
  if (permission === 'INSTANCE_ADMIN') return false;
  if (scope === null) return false;
  const standing = await standingIn(store, actor, scope.organisationId);
  if (standing === null) return false;
  if (standing.everything) return true;
  if (permission === 'ORGANISATION_MEMBER') return true;
  if (permission === 'ORGANISATION_ADMIN') return false;
  const subject = standing.subject;
  if (permission === 'GROUP_ADMIN') {
    if (scope.groupId === undefined) return false;
    if ('userId' in subject && (await findGroupMembership(store.db, scope.groupId, subject.userId))?.groupAdmin) return true;
    // Managing every group includes this one.
    return grantsAllow(await loadSubjectGrants(store.db, subject, { organisationIds: [scope.organisationId], organisationLevelOnly: true }), 'MANAGE_USER_GROUPS', scope);
  }
  if (permission === 'CREATE_PROJECT') {
    const org = await findOrganisation(store.db, scope.organisationId);
    if (org?.restrict_project_create_to_admin) return false;
  }
  const grants = await loadSubjectGrants(store.db, subject, {
    organisationIds: [scope.organisationId],
    projectId: scope.projectId,
    environmentId: scope.projectId === undefined ? undefined : scope.environmentId,
    organisationLevelOnly: levelOf(permission) === 'organisation',
  });
  return grantsAllow(grants, permission, scope);
}

export async function checkAccess(store: Store, actor: Actor, permission: Permission, scope: AccessScope | null): Promise<void> {
  if (!(await isAllowed(store, actor, permission, scope))) throw new ForbiddenError();
}

/** The organisations an actor may see (those it belongs to), or `null` for all (instance admins). */
export async function visibleOrganisationIds(store: Store, actor: Actor): Promise<number[] | null> {
  if (actor.type === 'system' || (actor.type === 'user' && actor.isSuperuser)) return null;
  if (actor.type === 'api_key') return [actor.organisationId];
  const rows = await store.db.selectFrom('organisation_users').select('organisation_id').where('user_id', '=', actor.userId).execute();
  return rows.map((r) => r.organisation_id);
}

/**
 * What an actor may see, for filtering lists: every organisation it belongs to, those where it sees everything, and
 * the grants that reach it in the others. Built per request; never kept.
 */
export interface AccessView {
  /** Instance admins and the system see everything everywhere. */
  all: boolean;
  organisationIds: number[];
  fullOrganisationIds: Set<number>;
  grants: GrantRecord[];
}

export async function accessView(store: Store, actor: Actor): Promise<AccessView> {
  if (actor.type === 'system' || (actor.type === 'user' && actor.isSuperuser)) return { all: true, organisationIds: [], fullOrganisationIds: new Set(), grants: [] };
  if (actor.type === 'api_key') {
    if (actor.isAdmin) return { all: false, organisationIds: [actor.organisationId], fullOrganisationIds: new Set([actor.organisationId]), grants: [] };
    const grants = await loadSubjectGrants(store.db, { apiKeyId: actor.keyId }, { organisationIds: [actor.organisationId] });
    return { all: false, organisationIds: [actor.organisationId], fullOrganisationIds: new Set(), grants };
  }
  const memberships = await store.db.selectFrom('organisation_users').select(['organisation_id', 'role']).where('user_id', '=', actor.userId).execute();
  const full = new Set(memberships.filter((m) => m.role === 'ADMIN').map((m) => m.organisation_id));
  const partial = memberships.filter((m) => m.role !== 'ADMIN').map((m) => m.organisation_id);
  const grants = await loadSubjectGrants(store.db, { userId: actor.userId }, { organisationIds: partial });
  return { all: false, organisationIds: memberships.map((m) => m.organisation_id), fullOrganisationIds: full, grants };
}

/** Whether a list may show this project/environment (VIEW_PROJECT / VIEW_ENVIRONMENT, admin flags included). */
export function viewAllows(view: AccessView, permission: 'VIEW_PROJECT' | 'VIEW_ENVIRONMENT', scope: AccessScope): boolean {
  if (view.all || view.fullOrganisationIds.has(scope.organisationId)) return true;
  if (!view.organisationIds.includes(scope.organisationId)) return false;
  return grantsAllow(view.grants, permission, scope);
}
