// Group sync on every SAML sign-in (AUTH-NOTES.md §1.4): the groups claim decides membership of the organisation's
// groups that carry an external_id — added to each one the claim names, removed from the others. Groups without an
// external_id are managed in flagstack only and never touched; groups are never created from a claim. Runs in the
// sign-in transaction, audited under the sign-in's system actor.
import * as groups from '../../store/repositories/groups';
import type { WriteScope } from '../../store/store';

export interface GroupSyncResult {
  added: string[];
  removed: string[];
}

export async function syncSamlGroups(w: WriteScope, organisationId: number, user: { id: number; email: string }, claim: readonly string[], via: string): Promise<GroupSyncResult> {
  const wanted = new Set(claim);
  const result: GroupSyncResult = { added: [], removed: [] };
  for (const group of await groups.listGroups(w.trx, organisationId)) {
    if (!group.externalId) continue;
    if (wanted.has(group.externalId)) {
      if (await groups.addGroupMember(w.trx, group.id, user.id)) {
        result.added.push(group.name);
        w.audit({ action: 'add_users', resourceType: 'group', resourceId: group.id, organisationId, log: `User ${user.email} added to group ${group.name} by ${via} group sync`, after: { user_ids: [user.id] } });
      }
    } else if (await groups.removeGroupMember(w.trx, group.id, user.id)) {
      result.removed.push(group.name);
      w.audit({ action: 'remove_users', resourceType: 'group', resourceId: group.id, organisationId, log: `User ${user.email} removed from group ${group.name} by ${via} group sync`, before: { user_ids: [user.id] } });
    }
  }
  return result;
}
