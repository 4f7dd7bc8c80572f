// Reading the audit log. Rows are written by Store.write with every change; this only lists them.
import { listAuditLog, type AuditLogEntry } from '../store/repositories/audit';
import { visibleOrganisationIds } from './access';
import { pageOffset, toPage, type Page, type PageRequest, type ServiceContext } from './context';

export async function listAudit(
  ctx: ServiceContext,
  filter: { organisationId?: number; projectId?: number; environmentIds?: number[]; search?: string },
  page: PageRequest,
  basePath: string,
): Promise<Page<AuditLogEntry>> {
  let organisationIds: number[] | undefined;
  if (filter.organisationId !== undefined) organisationIds = [filter.organisationId];
  else if (filter.projectId === undefined) organisationIds = (await visibleOrganisationIds(ctx.store, ctx.actor)) ?? undefined;
  const { count, rows } = await listAuditLog(ctx.store.db, { organisationIds, projectId: filter.projectId, environmentIds: filter.environmentIds, search: filter.search, ...pageOffset(page) });
  return toPage(rows, count, page, basePath);
}
