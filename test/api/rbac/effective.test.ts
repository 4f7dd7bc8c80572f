// The pure rules of rbac/effective.ts: union, admin cascade, tag limits, and the my-permissions summaries.
import { environmentSummary, grantsAllow, organisationSummary, projectSummary } from '../../../api/src/services/rbac/effective';
import type { GrantRecord } from '../../../api/src/store/repositories/grants';

let next = 1;
function grant(partial: Partial<GrantRecord> & Pick<GrantRecord, 'level'>): GrantRecord {
  return {
    id: next++,
    organisationId: 1,
    projectId: partial.level === 'organisation' ? null : 10,
    environmentId: partial.level === 'environment' ? 100 : null,
    userId: 5,
    groupId: null,
    roleId: null,
    isAdmin: false,
    tagLimited: false,
    keys: [],
    tagIds: [],
    ...partial,
  };
}

const org = { organisationId: 1 };
const project = { organisationId: 1, projectId: 10 };
const env = { organisationId: 1, projectId: 10, environmentId: 100 };

describe('grantsAllow', () => {
  test('a key counts at its own level and on its own object only', () => {
    const grants = [grant({ level: 'project', keys: ['VIEW_PROJECT'] }), grant({ level: 'organisation', keys: ['CREATE_PROJECT'] })];
    expect(grantsAllow(grants, 'VIEW_PROJECT', project)).toBe(true);
    expect(grantsAllow(grants, 'VIEW_PROJECT', { organisationId: 1, projectId: 11 })).toBe(false);
    expect(grantsAllow(grants, 'VIEW_PROJECT', org)).toBe(false);
    expect(grantsAllow(grants, 'CREATE_PROJECT', org)).toBe(true);
    expect(grantsAllow(grants, 'CREATE_PROJECT', { organisationId: 2 })).toBe(false);
    expect(grantsAllow(grants, 'VIEW_ENVIRONMENT', env)).toBe(false);
    // Pseudo-permissions are not grants.
    expect(grantsAllow(grants, 'ORGANISATION_ADMIN', org)).toBe(false);
    expect(grantsAllow(grants, 'ORGANISATION_MEMBER', org)).toBe(false);
  });

  test('the union of several grants, whatever their principal', () => {
    const grants = [
      grant({ level: 'environment', keys: ['VIEW_ENVIRONMENT'], userId: 5 }),
      grant({ level: 'environment', keys: ['MANAGE_IDENTITIES'], userId: null, groupId: 3 }),
      grant({ level: 'environment', keys: ['VIEW_IDENTITIES'], userId: null, roleId: 8 }),
    ];
    for (const key of ['VIEW_ENVIRONMENT', 'MANAGE_IDENTITIES', 'VIEW_IDENTITIES'] as const) expect(grantsAllow(grants, key, env)).toBe(true);
    expect(grantsAllow(grants, 'UPDATE_FEATURE_STATE', env)).toBe(false);
  });

  test('project admin cascades to the environments of the project; environment admin stays in its environment', () => {
    const pa = [grant({ level: 'project', isAdmin: true })];
    expect(grantsAllow(pa, 'MANAGE_TAGS', project)).toBe(true);
    expect(grantsAllow(pa, 'UPDATE_FEATURE_STATE', env)).toBe(true);
    expect(grantsAllow(pa, 'ENVIRONMENT_ADMIN', env)).toBe(true);
    expect(grantsAllow(pa, 'PROJECT_ADMIN', { organisationId: 1, projectId: 11 })).toBe(false);
    const ea = [grant({ level: 'environment', isAdmin: true })];
    expect(grantsAllow(ea, 'MANAGE_IDENTITIES', env)).toBe(true);
    expect(grantsAllow(ea, 'ENVIRONMENT_ADMIN', env)).toBe(true);
    expect(grantsAllow(ea, 'ENVIRONMENT_ADMIN', { ...env, environmentId: 101 })).toBe(false);
    expect(grantsAllow(ea, 'VIEW_PROJECT', project)).toBe(false);
    expect(grantsAllow(ea, 'PROJECT_ADMIN', project)).toBe(false);
  });

  test('a tag-limited grant gives its tag-limitable keys only for a feature with one of its tags', () => {
    const grants = [grant({ level: 'environment', keys: ['VIEW_ENVIRONMENT', 'UPDATE_FEATURE_STATE'], tagLimited: true, tagIds: [7, 8] })];
    expect(grantsAllow(grants, 'UPDATE_FEATURE_STATE', { ...env, feature: { id: 1, tagIds: [8] } })).toBe(true);
    expect(grantsAllow(grants, 'UPDATE_FEATURE_STATE', { ...env, feature: { id: 2, tagIds: [9] } })).toBe(false);
    expect(grantsAllow(grants, 'UPDATE_FEATURE_STATE', { ...env, feature: { id: 3, tagIds: [] } })).toBe(false);
    // No feature named: a limited grant does not count.
    expect(grantsAllow(grants, 'UPDATE_FEATURE_STATE', env)).toBe(false);
    // Keys that cannot be limited apply everywhere.
    expect(grantsAllow(grants, 'VIEW_ENVIRONMENT', env)).toBe(true);
    // Limited with all its tags deleted: nothing.
    expect(grantsAllow([grant({ level: 'project', keys: ['DELETE_FEATURE'], tagLimited: true, tagIds: [] })], 'DELETE_FEATURE', { ...project, feature: { id: 1, tagIds: [7] } })).toBe(false);
    // An unlimited grant beside a limited one wins.
    expect(grantsAllow([...grants, grant({ level: 'environment', keys: ['UPDATE_FEATURE_STATE'] })], 'UPDATE_FEATURE_STATE', { ...env, feature: { id: 2, tagIds: [] } })).toBe(true);
  });
});

describe('summaries', () => {
  test('keys in list order, admin flags, tag-based permissions apart', () => {
    const grants = [
      grant({ level: 'project', keys: ['MANAGE_TAGS', 'VIEW_PROJECT'] }),
      grant({ level: 'project', keys: ['DELETE_FEATURE', 'VIEW_AUDIT_LOG'], tagLimited: true, tagIds: [7] }),
      grant({ level: 'environment', keys: ['UPDATE_FEATURE_STATE'], tagLimited: true, tagIds: [7] }),
      grant({ level: 'organisation', keys: ['MANAGE_USER_GROUPS'] }),
    ];
    expect(projectSummary(grants, 10, false)).toEqual({ permissions: ['VIEW_PROJECT', 'VIEW_AUDIT_LOG', 'MANAGE_TAGS'], admin: false, tag_based_permissions: [{ permissions: ['DELETE_FEATURE'], tags: [7] }] });
    expect(environmentSummary(grants, 10, 100, false)).toEqual({ permissions: [], admin: false, tag_based_permissions: [{ permissions: ['UPDATE_FEATURE_STATE'], tags: [7] }] });
    expect(organisationSummary(grants, 1, false).permissions).toEqual(['MANAGE_USER_GROUPS']);
    const admin = projectSummary([grant({ level: 'project', isAdmin: true })], 10, false);
    expect(admin.admin).toBe(true);
    expect(admin.permissions).toContain('MANAGE_PROJECT_LEVEL_CHANGE_REQUESTS');
    expect(environmentSummary([grant({ level: 'project', isAdmin: true })], 10, 100, false).admin).toBe(true);
  });
});
