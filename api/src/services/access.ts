// The access decision, in one place. Every admin route names the permission it needs; this function says yes or no.
// For now: instance admins and organisation admins (and admin API keys) may do everything in their organisations,
// members and non-admin keys may read. The RBAC issue fills in roles and grants here, and nowhere else.
import type { Actor } from '../domain/actor';
import { ForbiddenError } from '../domain/errors';
import { MEMBER_READ_PERMISSIONS, type AccessScope, type Permission } from '../domain/permissions';
import type { Store } from '../store/store';
import { findMembership } from '../store/repositories/organisations';

export async function isAllowed(store: Store, actor: Actor, permission: Permission, scope: AccessScope | null): Promise<boolean> {
  if (actor.type === 'system') return true;
  if (actor.type === 'user' && actor.isSuperuser) return true;
  if (permission === 'INSTANCE_ADMIN') return false;
  if (scope === null) return false;
  if (actor.type === 'api_key') {
    if (actor.organisationId !== scope.organisationId) return false;
    return actor.isAdmin || MEMBER_READ_PERMISSIONS.has(permission);
  }
  const role = await findMembership(store.db, scope.organisationId, actor.userId);
  if (role === undefined) return false;
  if (role === 'ADMIN') return true;
  return MEMBER_READ_PERMISSIONS.has(permission);
}

export async function checkAccess(store: Store, actor: Actor, permission: Permission, scope: AccessScope | null): Promise<void> {
  if (!(await isAllowed(store, actor, permission, scope))) throw new ForbiddenError();
}

/** The organisations an actor may see, or `null` for all (instance admins). */
export async function visibleOrganisationIds(store: Store, actor: Actor): Promise<number[] | null> {
  if (actor.type === 'system' || (actor.type === 'user' && actor.isSuperuser)) return null;
  if (actor.type === 'api_key') return [actor.organisationId];
  const rows = await store.db.selectFrom('organisation_users').select('organisation_id').where('user_id', '=', actor.userId).execute();
  return rows.map((r) => r.organisation_id);
}
