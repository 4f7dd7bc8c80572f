// Mirrored groups: each DN of LDAP_SYNCED_GROUPS is one flagstack group (user_groups.ldap_dn), created in
// LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID when missing and named after the DN's first RDN. Only groups with an ldap_dn
// are ever touched here; groups an administrator made stay as they are. DNs are compared in normalised form.
import type { LdapConfig } from '../../config';
import { firstRdnValue, normaliseDn, tryNormaliseDn } from '../../auth/ldap';
import { addGroupMember, removeGroupMember } from '../../store/repositories/groups';
import { insertMirroredGroup, listMirroredGroups, type MirroredGroup } from '../../store/repositories/ldap-groups';
import type { UserRecord } from '../../store/repositories/users';
import type { WriteScope } from '../../store/store';
import type { Executor } from '../../store/rows';

/** LDAP_SYNCED_GROUPS, each with its normalised key; a DN listed twice counts once, a malformed one is an error. */
export function syncedGroupDns(config: LdapConfig): Array<{ dn: string; key: string }> {
  const seen = new Set<string>();
  const out: Array<{ dn: string; key: string }> = [];
  for (const dn of config.syncedGroups) {
    let key: string;
    try {
      key = normaliseDn(dn);
    } catch {
      throw new Error(`LDAP_SYNCED_GROUPS: ${JSON.stringify(dn)} is not a distinguished name`);
    }
    if (!seen.has(key)) out.push({ dn: dn.trim(), key });
    seen.add(key);
  }
  return out;
}

export type KeyedGroup = MirroredGroup & { key: string };

/** Every mirrored group, keyed by its normalised DN (the oldest when two mirror one DN). */
export async function mirroredGroupsByKey(db: Executor): Promise<Map<string, KeyedGroup>> {
  return (await mirroredGroupsWithDuplicates(db)).byKey;
}

/**
 * The mirrored groups by DN, and the younger duplicates: without a unique index (ldap_dn is nullable, see migration
 * 0008) two first logins at the same moment can each create the group of one DN. The sync removes the duplicates.
 */
export async function mirroredGroupsWithDuplicates(db: Executor): Promise<{ byKey: Map<string, KeyedGroup>; duplicates: KeyedGroup[] }> {
  const byKey = new Map<string, KeyedGroup>();
  const duplicates: KeyedGroup[] = [];
  for (const g of await listMirroredGroups(db)) {
    const key = tryNormaliseDn(g.ldapDn);
    if (key === undefined) continue;
    if (byKey.has(key)) duplicates.push({ ...g, key });
    else byKey.set(key, { ...g, key });
  }
  return { byKey, duplicates };
}

/** The group a synced DN becomes: in the default organisation, named after the DN's first RDN. */
export function newGroupFor(dn: string, config: LdapConfig): { organisationId: number; name: string } | undefined {
  if (config.defaultOrganisationId === undefined) return undefined;
  return { organisationId: config.defaultOrganisationId, name: firstRdnValue(dn).slice(0, 200) };
}

/**
 * The mirrored groups of LDAP_SYNCED_GROUPS, creating the missing ones (in the default organisation; without one, a
 * missing group stays missing). Writes audit rows through `w`.
 */
export async function ensureMirroredGroups(w: WriteScope, config: LdapConfig): Promise<KeyedGroup[]> {
  const existing = await mirroredGroupsByKey(w.trx);
  const out: KeyedGroup[] = [];
  for (const { dn, key } of syncedGroupDns(config)) {
    let group = existing.get(key);
    if (!group) {
      const spec = newGroupFor(dn, config);
      if (!spec) continue;
      const id = await insertMirroredGroup(w.trx, w.traits, { ...spec, ldapDn: dn });
      group = { id, organisationId: spec.organisationId, name: spec.name, ldapDn: dn, key };
      existing.set(key, group);
      w.audit({ action: 'create', resourceType: 'group', resourceId: id, organisationId: spec.organisationId, log: `Group ${spec.name} created to mirror LDAP group ${dn}` });
    }
    out.push(group);
  }
  return out;
}

/**
 * Login-time group sync (LDAP_AUTH_SYNC_USER_RELATIONS=…sync_user_groups): the user joins the mirrored groups of
 * LDAP_SYNCED_GROUPS whose DN is among the entry's memberOf, and leaves the others of that list.
 */
export async function syncGroupsOfUser(w: WriteScope, config: LdapConfig, user: UserRecord, memberOf: string[]): Promise<void> {
  const memberKeys = new Set(memberOf.map(tryNormaliseDn).filter((k): k is string => k !== undefined));
  for (const group of await ensureMirroredGroups(w, config)) {
    if (memberKeys.has(group.key)) {
      if (await addGroupMember(w.trx, group.id, user.id)) {
        w.audit({ action: 'add_users', resourceType: 'group', resourceId: group.id, organisationId: group.organisationId, log: `${user.email} added to ${group.name} (member of ${group.ldapDn})`, after: { user_ids: [user.id] } });
      }
    } else if (await removeGroupMember(w.trx, group.id, user.id)) {
      w.audit({ action: 'remove_users', resourceType: 'group', resourceId: group.id, organisationId: group.organisationId, log: `${user.email} removed from ${group.name} (no longer a member of ${group.ldapDn})`, before: { user_ids: [user.id] } });
    }
  }
}
