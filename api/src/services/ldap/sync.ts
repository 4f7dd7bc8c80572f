// `flagstack sync-ldap-users-and-groups` (Flagsmith's `sync_ldap_users_and_groups`), also run by the function
// runtimes' scheduled `ldap-sync` job (runtimes/function-app.ts imports this module by path: keep the path and the
// signature of syncLdapUsersAndGroups). Bound as LDAP_SYNC_USER_USERNAME, it reads the directory once and then, in one
// transaction audited as `system:ldap-sync`:
//   (a) removes local users linked to LDAP (user_identities provider 'ldap') whose entry is gone,
//   (b) removes mirrored groups (user_groups.ldap_dn) whose directory group is gone,
//   (c) removes members of the mirrored groups of LDAP_SYNCED_GROUPS who are no longer members in the directory,
//   (d) adds the LDAP-linked users who are members in the directory but not in the group
// (and creates a missing mirrored group of LDAP_SYNCED_GROUPS in the default organisation, as login does).
// With dryRun nothing is written; the summary says what would change.
//
// Two guards: a user linked to LDAP who can also sign in another way (a password, another identity, or an instance
// superuser) is unlinked rather than deleted; and a directory answering with no users at all while local LDAP users
// exist is taken for a misconfiguration (search base, the sync account's read rights) and nothing is removed.
import type { Client } from 'ldapts';
import type { AppConfig, LdapConfig } from '../../config';
import type { Actor } from '../../domain/actor';
import { allUsersFilter, profileFromEntry, tryNormaliseDn } from '../../auth/ldap';
import { addGroupMember, deleteGroup, removeGroupMember } from '../../store/repositories/groups';
import { deleteUserCompletely, insertMirroredGroup, membersOfGroups } from '../../store/repositories/ldap-groups';
import { deleteUserIdentity, listIdentitiesOfProvider, listUserIdentities } from '../../store/repositories/sign-in';
import { findUserById } from '../../store/repositories/users';
import type { Store } from '../../store/store';
import { isDirectoryAnswer, tryBind, withDirectory, type LdapConnectOptions } from './connection';
import { mirroredGroupsWithDuplicates, newGroupFor, syncedGroupDns, type KeyedGroup } from './groups';
import { assertLdapConfigUsable, serviceBindName } from './login';

export const LDAP_SYNC_ACTOR: Actor = { type: 'system', name: 'ldap-sync' };

/** The sync could not run (configuration, the sync account's bind, the directory's answers); nothing was changed. */
export class LdapSyncError extends Error {}

export interface SyncedUserRef {
  id: number;
  email: string;
  /** The LDAP username (identity subject). */
  subject: string;
}

export interface SyncedGroupRef {
  /** null for a group a dry run would create. */
  id: number | null;
  name: string;
  dn: string;
  organisationId: number;
}

export interface LdapSyncSummary {
  dryRun: boolean;
  /** User entries the directory listed. */
  directoryUsers: number;
  /** (a) deleted: their only way in was LDAP. */
  usersRemoved: SyncedUserRef[];
  /** (a) gone from the directory but able to sign in otherwise: the LDAP link (and mirrored memberships) removed. */
  usersUnlinked: SyncedUserRef[];
  /** (b) */
  groupsRemoved: SyncedGroupRef[];
  groupsCreated: SyncedGroupRef[];
  /** (c) */
  membershipsRemoved: Array<{ group: SyncedGroupRef; user: SyncedUserRef }>;
  /** (d) */
  membershipsAdded: Array<{ group: SyncedGroupRef; user: SyncedUserRef }>;
}

interface DirectorySnapshot {
  /** subject (lower-cased username) → normalised DNs of the groups the entry is a member of */
  users: Map<string, Set<string>>;
  /** normalised group DN → whether the entry exists */
  groupExists: Map<string, boolean>;
}

async function readDirectory(client: Client, config: LdapConfig, groupDns: string[]): Promise<DirectorySnapshot> {
  const usernameAttribute = config.userFields.username!;
  const users = new Map<string, Set<string>>();
  try {
    const { searchEntries } = await client.search(config.searchBase, {
      scope: 'sub',
      filter: allUsersFilter(config.objectClass, usernameAttribute),
      attributes: [usernameAttribute, 'memberOf'],
      paged: { pageSize: 500 },
    });
    for (const entry of searchEntries) {
      const profile = profileFromEntry(entry, { username: usernameAttribute });
      if (!profile.username) continue;
      const groups = users.get(profile.username.toLowerCase()) ?? new Set<string>();
      for (const dn of profile.memberOf) {
        const key = tryNormaliseDn(dn);
        if (key) groups.add(key);
      }
      users.set(profile.username.toLowerCase(), groups);
    }
  } catch (error) {
    // A partial listing (size or time limit) must not pass for the whole directory: users would be removed.
    throw new LdapSyncError(`could not list the users under ${config.searchBase}: ${(error as Error).message || (error as Error).constructor.name}`);
  }
  const groupExists = new Map<string, boolean>();
  for (const dn of groupDns) {
    const key = tryNormaliseDn(dn);
    if (!key || groupExists.has(key)) continue;
    try {
      await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] });
      groupExists.set(key, true);
    } catch (error) {
      if (isDirectoryAnswer(error) && error.code === 32) groupExists.set(key, false); // noSuchObject
      else throw new LdapSyncError(`could not read the group ${dn}: ${(error as Error).message || (error as Error).constructor.name}`);
    }
  }
  return { users, groupExists };
}

/** Runs the sync; with `dryRun` it changes nothing and answers what it would have changed. */
export async function syncLdapUsersAndGroups(
  store: Store,
  config: AppConfig,
  options: { dryRun: boolean } & LdapConnectOptions = { dryRun: false },
): Promise<LdapSyncSummary> {
  const ldap = config.ldap;
  if (!ldap.enabled) throw new LdapSyncError('LDAP is not configured (LDAP_AUTH_URL is unset)');
  if (!ldap.syncUser.username) throw new LdapSyncError('LDAP_SYNC_USER_USERNAME is not set: the sync binds as that account');
  try {
    assertLdapConfigUsable(ldap);
  } catch (error) {
    throw new LdapSyncError((error as Error).message);
  }
  const synced = syncedGroupDns(ldap);
  const { byKey: mirrored, duplicates } = await mirroredGroupsWithDuplicates(store.db);
  const bindName = serviceBindName(ldap.syncUser.username, ldap);

  const directory = await withDirectory(ldap, options, async (client) => {
    if (!(await tryBind(client, bindName, ldap.syncUser.password ?? ''))) {
      throw new LdapSyncError(`the directory refused the bind of LDAP_SYNC_USER_USERNAME (${bindName}): check the name and LDAP_SYNC_USER_PASSWORD`);
    }
    return readDirectory(client, ldap, [...synced.map((g) => g.dn), ...[...mirrored.values()].map((g) => g.ldapDn)]);
  });

  // Local side: the LDAP-linked users, still present or gone.
  const identities = await listIdentitiesOfProvider(store.db, 'ldap');
  if (directory.users.size === 0 && identities.length > 0) {
    throw new LdapSyncError(
      `the directory listed no users under ${ldap.searchBase} (objectClass ${ldap.objectClass}); refusing to remove ${identities.length} LDAP user(s). ` +
        'Check LDAP_AUTH_SEARCH_BASE, LDAP_AUTH_OBJECT_CLASS and the read rights of LDAP_SYNC_USER_USERNAME.',
    );
  }
  const summary: LdapSyncSummary = {
    dryRun: options.dryRun,
    directoryUsers: directory.users.size,
    usersRemoved: [],
    usersUnlinked: [],
    groupsRemoved: [],
    groupsCreated: [],
    membershipsRemoved: [],
    membershipsAdded: [],
  };
  /** Present LDAP users: user id → its ref and its directory groups. */
  const present = new Map<number, { ref: SyncedUserRef; groups: Set<string> }>();
  const goneIdentities: Array<{ identityId: number; ref: SyncedUserRef; remove: boolean }> = [];
  for (const identity of identities) {
    const user = await findUserById(store.db, identity.userId);
    if (!user) continue;
    const ref: SyncedUserRef = { id: user.id, email: user.email, subject: identity.subject };
    const groups = directory.users.get(identity.subject.toLowerCase());
    if (groups) {
      present.set(user.id, { ref, groups });
      continue;
    }
    const otherWays = (await listUserIdentities(store.db, user.id)).some((i) => i.provider !== 'ldap');
    const remove = !user.isSuperuser && !user.passwordHash && !otherWays;
    goneIdentities.push({ identityId: identity.id, ref, remove });
    (remove ? summary.usersRemoved : summary.usersUnlinked).push(ref);
  }
  const removedIds = new Set(summary.usersRemoved.map((u) => u.id));

  // (b) mirrored groups whose directory group is gone, and second mirrors of one DN (two first logins at once).
  for (const group of mirrored.values()) {
    if (directory.groupExists.get(group.key) === false) summary.groupsRemoved.push(groupRef(group));
  }
  for (const group of duplicates) summary.groupsRemoved.push(groupRef(group));
  // The groups of LDAP_SYNCED_GROUPS that exist in the directory: kept in step, created when missing.
  const targets: Array<{ key: string; group?: KeyedGroup; ref: SyncedGroupRef }> = [];
  for (const { dn, key } of synced) {
    if (directory.groupExists.get(key) !== true) continue;
    const group = mirrored.get(key);
    if (group) {
      targets.push({ key, group, ref: groupRef(group) });
      continue;
    }
    const spec = newGroupFor(dn, ldap);
    if (!spec) continue;
    const ref: SyncedGroupRef = { id: null, name: spec.name, dn, organisationId: spec.organisationId };
    summary.groupsCreated.push(ref);
    targets.push({ key, ref });
  }
  // (c), (d): a mirrored group has exactly the LDAP users who are members in the directory.
  const members = await membersOfGroups(store.db, targets.flatMap((t) => (t.group ? [t.group.id] : [])));
  const refOf = async (userId: number): Promise<SyncedUserRef> => {
    const known = present.get(userId)?.ref ?? goneIdentities.find((g) => g.ref.id === userId)?.ref;
    if (known) return known;
    const user = await findUserById(store.db, userId);
    return { id: userId, email: user?.email ?? '', subject: '' };
  };
  const plannedAdds: Array<{ target: (typeof targets)[number]; user: SyncedUserRef }> = [];
  for (const target of targets) {
    const current = target.group ? members.get(target.group.id)! : new Set<number>();
    for (const userId of current) {
      if (removedIds.has(userId)) continue; // deleted with the user
      const stays = present.get(userId)?.groups.has(target.key) ?? false;
      if (!stays) summary.membershipsRemoved.push({ group: target.ref, user: await refOf(userId) });
    }
    for (const [userId, { ref, groups }] of present) {
      if (groups.has(target.key) && !current.has(userId)) {
        summary.membershipsAdded.push({ group: target.ref, user: ref });
        plannedAdds.push({ target, user: ref });
      }
    }
  }

  if (options.dryRun || !hasChanges(summary)) return summary;

  await store.write(LDAP_SYNC_ACTOR, async (w) => {
    for (const gone of goneIdentities) {
      if (gone.remove) {
        await deleteUserCompletely(w.trx, gone.ref.id);
        w.audit({ action: 'delete', resourceType: 'user', resourceId: gone.ref.id, log: `User ${gone.ref.email} removed: LDAP account ${gone.ref.subject} is no longer in the directory` });
      } else {
        await deleteUserIdentity(w.trx, gone.identityId);
        w.audit({ action: 'unlink', resourceType: 'user', resourceId: gone.ref.id, log: `LDAP account ${gone.ref.subject} is no longer in the directory: unlinked from ${gone.ref.email}, who can still sign in otherwise` });
      }
    }
    for (const group of summary.groupsRemoved) {
      await deleteGroup(w.trx, group.id!);
      const why = duplicates.some((d) => d.id === group.id) ? `a second mirror of LDAP group ${group.dn}` : `LDAP group ${group.dn} is no longer in the directory`;
      w.audit({ action: 'delete', resourceType: 'group', resourceId: group.id, organisationId: group.organisationId, log: `Group ${group.name} removed: ${why}` });
    }
    for (const created of summary.groupsCreated) {
      created.id = await insertMirroredGroup(w.trx, w.traits, { organisationId: created.organisationId, name: created.name, ldapDn: created.dn });
      w.audit({ action: 'create', resourceType: 'group', resourceId: created.id, organisationId: created.organisationId, log: `Group ${created.name} created to mirror LDAP group ${created.dn}` });
    }
    for (const { group, user } of summary.membershipsRemoved) {
      if (await removeGroupMember(w.trx, group.id!, user.id)) {
        w.audit({ action: 'remove_users', resourceType: 'group', resourceId: group.id, organisationId: group.organisationId, log: `${user.email} removed from ${group.name} (not a member of ${group.dn} in the directory)`, before: { user_ids: [user.id] } });
      }
    }
    for (const { target, user } of plannedAdds) {
      const group = target.ref;
      if (await addGroupMember(w.trx, group.id!, user.id)) {
        w.audit({ action: 'add_users', resourceType: 'group', resourceId: group.id, organisationId: group.organisationId, log: `${user.email} added to ${group.name} (member of ${group.dn} in the directory)`, after: { user_ids: [user.id] } });
      }
    }
  });
  return summary;
}

function groupRef(group: KeyedGroup): SyncedGroupRef {
  return { id: group.id, name: group.name, dn: group.ldapDn, organisationId: group.organisationId };
}

export function hasChanges(summary: LdapSyncSummary): boolean {
  return (
    summary.usersRemoved.length + summary.usersUnlinked.length + summary.groupsRemoved.length + summary.groupsCreated.length +
      summary.membershipsRemoved.length + summary.membershipsAdded.length >
    0
  );
}

/** The summary as lines for a terminal. */
export function formatSyncSummary(summary: LdapSyncSummary): string[] {
  const lines = [
    summary.dryRun ? `dry run, nothing was changed; what the sync would do:` : `LDAP sync done:`,
    `users in the directory: ${summary.directoryUsers}`,
  ];
  const section = (title: string, items: string[]) => {
    lines.push(`${title}: ${items.length}`);
    for (const item of items) lines.push(`  ${item}`);
  };
  section('users removed', summary.usersRemoved.map((u) => `${u.email} (ldap ${u.subject})`));
  section('users unlinked from LDAP, kept for their other sign-in', summary.usersUnlinked.map((u) => `${u.email} (ldap ${u.subject})`));
  section('groups removed', summary.groupsRemoved.map((g) => `${g.name} (${g.dn})`));
  section('groups created', summary.groupsCreated.map((g) => `${g.name} (${g.dn})`));
  section('memberships removed', summary.membershipsRemoved.map((m) => `${m.user.email} from ${m.group.name}`));
  section('memberships added', summary.membershipsAdded.map((m) => `${m.user.email} to ${m.group.name}`));
  return lines;
}
