// The permission matrix, generated from the route table (ADMIN_ROUTES): for every admin route and every single
// permission — each key granted through a role at its level on the fixture's organisation, project or environment,
// the admin flags, group admin, organisation admin, plain membership, instance admin — a caller holding only that
// permission gets 403 unless it is the route's declared permission or implies it (domain/permissions.ts `implies`);
// then the request gets through (2xx: the builders in route-requests.ts send valid requests). Holders of the same
// permission on another project or environment get 403 everywhere but membership routes. No route can be added without
// a permission the access check knows, and every route is driven, with its own builder or the fallback.
// In-memory SQLite and one fixture, so the ~6,000 requests take seconds.
import { ADMIN_ROUTES } from '../../../api/src/http/app';
import type { AdminRoute } from '../../../api/src/http/admin-route';
import {
  ENVIRONMENT_PERMISSIONS,
  ORGANISATION_PERMISSIONS,
  PROJECT_PERMISSIONS,
  SPECIAL_PERMISSIONS,
  implies,
  isPermission,
  levelOf,
  type Permission,
} from '../../../api/src/domain/permissions';
import { startTestApi, type TestApi } from '../../support/harness';
import { ROUTE_REQUESTS, createMatrixFixture, type Builder, directMember, fallbackRequest, type Holder, type MatrixContext, type MatrixFixture } from './route-requests';

const routeName = (r: AdminRoute) => `${r.method} ${r.url}`;
const CHECKED = ADMIN_ROUTES.map((r) => [`${routeName(r)} needs ${r.permission}`, r] as const);

const HOLDERS: Array<{ perm: Permission; where: Holder['where'] }> = [
  ...[...ORGANISATION_PERMISSIONS, ...PROJECT_PERMISSIONS, ...ENVIRONMENT_PERMISSIONS, ...SPECIAL_PERMISSIONS].map((perm) => ({ perm, where: 'fixture' as const })),
  ...(['PROJECT_ADMIN', 'ENVIRONMENT_ADMIN', 'VIEW_PROJECT', 'VIEW_ENVIRONMENT', 'UPDATE_FEATURE_STATE'] as const).map((perm) => ({ perm, where: 'elsewhere' as const })),
];

describe('permission matrix over every admin route (in-memory SQLite)', () => {
  let api: TestApi;
  let fx: MatrixFixture;
  const holders: Holder[] = [];
  const withoutBuilder = ADMIN_ROUTES.filter((r) => !ROUTE_REQUESTS[routeName(r)]).map(routeName);

  /** The role grant that gives `perm` on a project or environment. */
  function grantBody(perm: Permission, object: { projectId?: number; environmentId?: number }): { segment: string; body: Record<string, unknown> } | undefined {
    const level = perm === 'PROJECT_ADMIN' ? 'project' : perm === 'ENVIRONMENT_ADMIN' ? 'environment' : levelOf(perm);
    const keys = perm === 'PROJECT_ADMIN' || perm === 'ENVIRONMENT_ADMIN' ? { permissions: [], admin: true } : { permissions: [perm] };
    if (level === 'organisation') return { segment: 'organisation-permissions', body: keys };
    if (level === 'project' && object.projectId !== undefined) return { segment: 'projects-permissions', body: { ...keys, project: object.projectId } };
    if (level === 'environment' && object.environmentId !== undefined) return { segment: 'environments-permissions', body: { ...keys, environment: object.environmentId } };
    return undefined;
  }

  async function makeHolder(perm: Permission, where: Holder['where']): Promise<Holder> {
    const name = `${perm}${where === 'elsewhere' ? '@elsewhere' : ''}`;
    const holder = (u: { id: number; token: string }, roleId?: number): Holder => ({ perm, where, name, userId: u.id, token: u.token, roleId });
    if (perm === 'INSTANCE_ADMIN') return holder(await directMember(api, null, 'USER', true));
    if (perm === 'ORGANISATION_ADMIN') return holder(await directMember(api, fx.orgId, 'ADMIN'));
    const user = await directMember(api, fx.orgId);
    if (perm === 'ORGANISATION_MEMBER') return holder(user);
    if (perm === 'GROUP_ADMIN') {
      await api.admin('POST', `/api/v1/organisations/${fx.orgId}/groups/${fx.groupId}/add-users/`, { user_ids: [user.id] }, 200);
      await api.admin('POST', `/api/v1/organisations/${fx.orgId}/groups/${fx.groupId}/users/${user.id}/make-admin/`, undefined, 200);
      return holder(user);
    }
    const role = await api.admin('POST', `/api/v1/organisations/${fx.orgId}/roles/`, { name: `holds ${name}` });
    const object = where === 'fixture' ? { projectId: fx.projectId, environmentId: fx.envId } : { projectId: fx.otherProjectId, environmentId: fx.otherEnvId };
    const grant = grantBody(perm, object)!;
    await api.admin('POST', `/api/v1/organisations/${fx.orgId}/roles/${role.id}/${grant.segment}/`, grant.body);
    await api.admin('POST', `/api/v1/organisations/${fx.orgId}/roles/${role.id}/users/`, { user: user.id });
    return holder(user, role.id);
  }

  beforeAll(async () => {
    api = await startTestApi('sqlite', { env: { DATABASE_URL: 'sqlite::memory:' } });
    fx = await createMatrixFixture(api);
    for (const h of HOLDERS) holders.push(await makeHolder(h.perm, h.where));
    if (withoutBuilder.length > 0) console.log(`permission matrix: routes driven by the fallback (add a builder in test/api/rbac/route-requests.ts):\n  ${withoutBuilder.join('\n  ')}`);
  }, 120_000);
  afterAll(async () => api?.close());

  test('every route declares a permission the access check knows, with a scope where it needs one', () => {
    const problems: string[] = [];
    for (const route of ADMIN_ROUTES) {
      const p = route.permission as string | undefined;
      if (!p) problems.push(`${routeName(route)}: no permission`);
      else if (p !== 'AUTHENTICATED' && !isPermission(p)) problems.push(`${routeName(route)}: unknown permission ${p}`);
      else if (p !== 'AUTHENTICATED' && p !== 'INSTANCE_ADMIN' && !route.scope) problems.push(`${routeName(route)}: ${p} without a scope`);
    }
    expect(problems).toEqual([]);
    // Each route once; the holders cover every permission a route can declare.
    expect(new Set(ADMIN_ROUTES.map(routeName)).size).toBe(ADMIN_ROUTES.length);
    const held = new Set(HOLDERS.map((h) => h.perm));
    expect(ADMIN_ROUTES.map((r) => r.permission).filter((p) => p !== 'AUTHENTICATED' && !held.has(p as Permission))).toEqual([]);
    // Builders name real routes.
    const names = new Set(ADMIN_ROUTES.map(routeName));
    expect(Object.keys(ROUTE_REQUESTS).filter((n) => !names.has(n))).toEqual([]);
  });

  test('the implication rules: admin flags cascade down, never up or sideways', () => {
    expect(implies('PROJECT_ADMIN', 'UPDATE_FEATURE_STATE')).toBe(true);
    expect(implies('PROJECT_ADMIN', 'ENVIRONMENT_ADMIN')).toBe(true);
    expect(implies('ENVIRONMENT_ADMIN', 'VIEW_IDENTITIES')).toBe(true);
    expect(implies('ENVIRONMENT_ADMIN', 'VIEW_PROJECT')).toBe(false);
    expect(implies('ENVIRONMENT_ADMIN', 'PROJECT_ADMIN')).toBe(false);
    expect(implies('VIEW_PROJECT', 'VIEW_ENVIRONMENT')).toBe(false);
    expect(implies('MANAGE_USER_GROUPS', 'GROUP_ADMIN')).toBe(true);
    expect(implies('GROUP_ADMIN', 'MANAGE_USER_GROUPS')).toBe(false);
    expect(implies('ORGANISATION_ADMIN', 'INSTANCE_ADMIN')).toBe(false);
    expect(implies('CREATE_PROJECT', 'ORGANISATION_MEMBER')).toBe(true);
    expect(implies('ORGANISATION_MEMBER', 'VIEW_PROJECT')).toBe(false);
  });

  test.each(CHECKED)('%s', async (_name, route) => {
    const failures: string[] = [];
    const builder = ROUTE_REQUESTS[routeName(route)] as Builder | undefined;
    for (const holder of holders) {
      const declared = route.permission;
      const allowed = declared === 'AUTHENTICATED' || (holder.where === 'fixture' ? implies(holder.perm, declared) : declared === 'ORGANISATION_MEMBER');
      const ctx: MatrixContext = {
        api,
        fx,
        holder,
        allowed,
        admin: api.admin,
        asHolder: async (method, path, body) => {
          const res = await api.request(method, path, { token: holder.token, body });
          if (res.statusCode >= 300) throw new Error(`${holder.name}: ${method} ${path} -> ${res.statusCode} ${res.body}`);
          return res.json();
        },
        grantLike: async (object) => {
          if (!holder.roleId || holder.where !== 'fixture') return;
          const grant = grantBody(holder.perm, object);
          if (grant && grant.segment !== 'organisation-permissions') await api.admin('POST', `/api/v1/organisations/${fx.orgId}/roles/${holder.roleId}/${grant.segment}/`, grant.body);
        },
      };
      const spec = builder ? await builder(ctx) : fallbackRequest(route, fx);
      const res = await api.request(route.method, spec.path, { token: holder.token, body: spec.body });
      const tag = `${holder.name} -> ${res.statusCode}`;
      if (res.statusCode >= 500) failures.push(`${tag}: ${res.body.slice(0, 200)}`);
      else if (!allowed && res.statusCode !== 403) failures.push(`${tag}, expected 403`);
      else if (allowed && res.statusCode === 403 && !(spec.forbiddenBy && spec.forbiddenBy.test(res.body))) failures.push(`${tag}, expected it to get through: ${res.body.slice(0, 200)}`);
      else if (allowed && res.statusCode !== 403 && builder && res.statusCode >= 300) failures.push(`${tag}, expected 2xx: ${res.body.slice(0, 300)}`);
      else if (allowed && !builder && (res.statusCode === 404 || res.statusCode === 400)) failures.push(`${tag}: the fallback request does not reach this route (${res.body.slice(0, 120)}); add a builder in route-requests.ts`);
    }
    expect(failures).toEqual([]);
  });

  test('every route refuses a caller without credentials (401)', async () => {
    const wrong: string[] = [];
    const nobody: Holder = { perm: 'ORGANISATION_MEMBER', where: 'fixture', name: 'nobody', userId: 0, token: '' };
    for (const route of ADMIN_ROUTES) {
      const builder = ROUTE_REQUESTS[routeName(route)] as Builder | undefined;
      // Denied callers get the fixture's objects: nothing is created for them.
      const spec = builder ? await builder({ api, fx, holder: nobody, allowed: false, admin: api.admin, asHolder: async () => undefined as never, grantLike: async () => undefined }) : fallbackRequest(route, fx);
      const res = await api.request(route.method, spec.path, { body: spec.body });
      // Schemas are checked before credentials: a fallback body the schema refuses answers 400.
      if (res.statusCode !== 401 && !(res.statusCode === 400 && !builder)) wrong.push(`${routeName(route)} -> ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});
