// Groups that mirror LDAP groups (migration 0008-ldap adds user_groups.ldap_dn), and removal of users the directory no
// longer has. The column is typed here, not in rbac-schema.ts: only the LDAP services read or write it.
import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import type { EngineTraits } from '../connect';
import { insertReturningId, type Executor } from '../rows';
import { deleteDependents } from '../cascade';
import './rbac-schema';

type LdapDb = Kysely<Database & { user_groups: Database['user_groups'] & { ldap_dn: string | null } }>;
const ldapDb = (db: Executor) => db as unknown as LdapDb;

export interface MirroredGroup {
  id: number;
  organisationId: number;
  name: string;
  ldapDn: string;
}

/** Every group that mirrors an LDAP group, in any organisation. */
export async function listMirroredGroups(db: Executor): Promise<MirroredGroup[]> {
  const rows = await ldapDb(db)
    .selectFrom('user_groups')
    .select(['id', 'organisation_id', 'name', 'ldap_dn'])
    .where('ldap_dn', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, organisationId: r.organisation_id, name: r.name, ldapDn: r.ldap_dn! }));
}

export async function insertMirroredGroup(db: Executor, traits: EngineTraits, values: { organisationId: number; name: string; ldapDn: string }): Promise<number> {
  return insertReturningId(db, traits, 'user_groups', {
    organisation_id: values.organisationId,
    name: values.name,
    external_id: null,
    is_default: false,
    created_at: new Date(),
    ldap_dn: values.ldapDn,
  } as never);
}

/** Member user ids of some groups, by group. */
export async function membersOfGroups(db: Executor, groupIds: number[]): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>(groupIds.map((id) => [id, new Set<number>()]));
  if (groupIds.length === 0) return out;
  const rows = await db.selectFrom('user_group_members').select(['group_id', 'user_id']).where('group_id', 'in', groupIds).execute();
  for (const r of rows) out.get(r.group_id)?.add(r.user_id);
  return out;
}

/** Deletes a user and everything that belongs to them (sessions, tokens, memberships, grants, identity links). */
export async function deleteUserCompletely(db: Executor, userId: number): Promise<void> {
  await deleteDependents(db, 'users', [userId]);
  await db.deleteFrom('users').where('id', '=', userId).execute();
}
