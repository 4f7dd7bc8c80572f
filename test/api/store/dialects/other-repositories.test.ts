// The repositories of RBAC, sessions and workflows (owned by their features, still moving) compiled for SQL Server
// and Oracle, with the dialect rules checked on every statement rather than the exact text: no LIMIT, no RETURNING
// on SQL Server, no TRUE/FALSE literals, LIKE always with its escape, Oracle names upper-case and one row per insert,
// SQL Server under its parameter cap.
import type { Executor } from '../../../../api/src/store/rows';
import type { EngineTraits } from '../../../../api/src/store/connect';
import * as groups from '../../../../api/src/store/repositories/groups';
import * as roles from '../../../../api/src/store/repositories/roles';
import * as grants from '../../../../api/src/store/repositories/grants';
import * as sessions from '../../../../api/src/store/repositories/sessions';
import * as changeRequests from '../../../../api/src/store/repositories/change-requests';
import { recordingDb, type Recorded } from './recording';
import { ANY_ROW } from './repository-cases';

const when = new Date('2026-01-02T03:04:05.678Z');
const ROW = { ...ANY_ROW, user_id: 1, group_id: 2, role_id: 3, is_admin: false, tag_limited: false, group_admin: false, is_default: false, external_id: null, key_hash: 'h', last_seen_at: when, expires_at: when, title: 't', author_label: 'a', kind: 'feature_state', payload_json: '{}', is_active: true, is_superuser: false, first_name: '', last_name: '', auth_provider: 'password', last_login_at: null, password_hash: null };

const CALLS: Array<[string, (db: Executor, t: EngineTraits) => Promise<unknown>]> = [
  ['insertGroup', (db, t) => groups.insertGroup(db, t, 2, { name: 'g', isDefault: true } as never)],
  ['updateGroup', (db) => groups.updateGroup(db, 2, { name: 'g2', isDefault: false } as never)],
  ['deleteGroup', (db) => groups.deleteGroup(db, 2)],
  ['listGroups', (db) => groups.listGroups(db, 2, { isDefault: true, memberId: 1 })],
  ['listGroupMembers', (db) => groups.listGroupMembers(db, [2, 3])],
  ['addGroupMember', (db) => groups.addGroupMember(db, 2, 1, true)],
  ['setGroupAdmin', (db) => groups.setGroupAdmin(db, 2, 1, false)],
  ['insertRole', (db, t) => roles.insertRole(db, t, 2, { name: 'r' })],
  ['deleteRole', (db) => roles.deleteRole(db, 3)],
  ['listRoles', (db) => roles.listRoles(db, 2, [3])],
  ['insertGrant', (db, t) => grants.insertGrant(db, t, { groupId: 2 }, { organisationId: 2, projectId: 3 }, { isAdmin: false, keys: ['VIEW_PROJECT', 'CREATE_FEATURE'], tagIds: [1, 2] })],
  ['updateGrant', (db) => grants.updateGrant(db, 5, { isAdmin: true, keys: [], tagIds: null })],
  ['deleteGrant', (db) => grants.deleteGrant(db, 5)],
  ['listGrants', (db) => grants.listGrants(db, { organisationId: 2 } as never)],
  ['removeUserAccess', (db) => grants.removeUserAccess(db, 2, 1)],
  ['insertSession', (db, t) => sessions.insertSession(db, t, { keyHash: 'h', userId: 1, now: when, expiresAt: when })],
  ['findSessionByHash', (db) => sessions.findSessionByHash(db, 'h')],
  ['touchSession', (db) => sessions.touchSession(db, 1, when)],
  ['deleteExpiredSessions', (db) => sessions.deleteExpiredSessions(db, when, when)],
  ['insertChangeRequest', (db, t) => changeRequests.insertChangeRequest(db, t, { projectId: 3, environmentId: 4, title: 't', description: null, authorId: 1, authorLabel: 'a', liveFrom: null })],
  ['setReviewers', (db) => changeRequests.setReviewers(db, 6, [1, 2], [3])],
  ['markCommitted', (db) => changeRequests.markCommitted(db, 6, 1, when, when)],
  ['claimForPublish', (db) => changeRequests.claimForPublish(db, 6, when)],
  ['listChangeRequests', (db) => changeRequests.listChangeRequests(db, { projectId: 3, offset: 0, limit: 10 } as never)],
  ['listUnpublished', (db) => changeRequests.listUnpublished(db, { environmentId: 4, dueBy: when })],
  ['deleteChangeRequest', (db) => changeRequests.deleteChangeRequest(db, 6)],
];

/** Problems of one statement under a dialect's rules. */
function problems(engine: 'mssql' | 'oracle', q: Recorded): string[] {
  const text = q.sql.replace(/'(?:[^']|'')*'/g, "''"); // string literals aside
  const out: string[] = [];
  if (/\blimit\b/i.test(text)) out.push('LIMIT');
  if (/\b(true|false)\b/i.test(text)) out.push('boolean literal');
  const likes = text.match(/\blike\b/gi)?.length ?? 0;
  const escapes = text.match(/\blike \S+ escape ''/gi)?.length ?? 0;
  if (likes !== escapes) out.push('LIKE without escape');
  if (engine === 'mssql') {
    if (/\breturning\b/i.test(text)) out.push('RETURNING');
    if (q.parameters.length > 2100) out.push('over 2,100 parameters');
    if (/\boffset\b/.test(text) && !/\border by\b/.test(text)) out.push('OFFSET without ORDER BY');
  } else {
    const lower = text.match(/"[a-z_][a-z0-9_]*"/);
    if (lower) out.push(`lower-case name ${lower[0]}`);
    if (/\bvalues \([^)]*\), \(/.test(text)) out.push('multi-row VALUES');
    if (/\breturning\b/i.test(text) && !/\binto :\d+/.test(text)) out.push('RETURNING without INTO');
  }
  return out;
}

describe.each(['mssql', 'oracle'] as const)('other repositories on %s', (engine) => {
  it.each(CALLS)('%s', async (_name, call) => {
    const r = recordingDb(engine, (q) => ({ rows: q.sql.startsWith('insert') ? [{ id: 7 }] : [ROW], numAffectedRows: 1n }));
    await call(r.db, r.traits);
    const recorded = r.take();
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.map((q) => [q.sql, problems(engine, q)]).filter(([, p]) => (p as string[]).length > 0)).toEqual([]);
  });
});

it('the rule check finds what it looks for', () => {
  const q = (sql: string, parameters: unknown[] = []) => ({ sql, parameters, node: { kind: 'RawNode' } }) as unknown as Recorded;
  expect(problems('mssql', q('select * from "t" where "a" = true and "b" like @1 offset 1 rows limit 2 returning "id"'))).toEqual(['LIMIT', 'boolean literal', 'LIKE without escape', 'RETURNING', 'OFFSET without ORDER BY']);
  expect(problems('oracle', q('insert into "t" ("a") values (:1), (:2) returning "ID"'))).toEqual(['lower-case name "t"', 'multi-row VALUES', 'RETURNING without INTO']);
  expect(problems('oracle', q(`select "A" from "T" where "B" like :1 escape '\\' and "C" = 'true'`))).toEqual([]);
});
