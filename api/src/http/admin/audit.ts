import { Type } from '@sinclair/typebox';
import { listAudit } from '../../services/audit';
import { defineRoutes } from '../admin-route';
import { PageQuery, pageOf, strictObject } from './schemas';

export const auditRoutes = defineRoutes([
  {
    method: 'GET', url: '/api/v1/audit/', tag: 'audit', summary: "A project's audit log (filters: environments, search)", permission: 'VIEW_AUDIT_LOG',
    scope: (r) => ({ project: r.query.project }),
    schema: {
      querystring: strictObject({
        ...PageQuery,
        project: Type.Integer({ minimum: 1 }),
        environments: Type.Optional(Type.String({ pattern: '^\\d+(,\\d+)*$' })),
        search: Type.Optional(Type.String({ maxLength: 200 })),
      }),
    },
    handler: async (r) =>
      listAudit(r.ctx, { projectId: r.query.project, environmentIds: r.query.environments?.split(',').map(Number), search: r.query.search }, pageOf(r.query), r.path),
  },
]);
