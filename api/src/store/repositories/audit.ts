import { fromJson, toIso, type Executor } from '../rows';

export interface AuditLogEntry {
  id: number;
  created_date: string | null;
  log: string;
  author: { id: number | null; type: string; label: string };
  organisation: number | null;
  project: number | null;
  environment: number | null;
  related_object_type: string;
  related_object_id: string | null;
  action: string;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface AuditFilter {
  organisationIds?: number[];
  projectId?: number;
  environmentIds?: number[];
  search?: string;
  offset: number;
  limit: number;
}

export async function listAuditLog(db: Executor, filter: AuditFilter): Promise<{ count: number; rows: AuditLogEntry[] }> {
  let query = db.selectFrom('audit_log');
  if (filter.organisationIds) {
    if (filter.organisationIds.length === 0) return { count: 0, rows: [] };
    query = query.where('organisation_id', 'in', filter.organisationIds);
  }
  if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
  if (filter.environmentIds && filter.environmentIds.length > 0) query = query.where('environment_id', 'in', filter.environmentIds);
  if (filter.search) query = query.where('log', 'like', `%${filter.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  const countRow = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await query.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
  return {
    count: Number(countRow.n),
    rows: rows.map((r) => ({
      id: r.id,
      created_date: toIso(r.created_at),
      log: r.log,
      author: { id: r.actor_id, type: r.actor_type, label: r.actor_label },
      organisation: r.organisation_id,
      project: r.project_id,
      environment: r.environment_id,
      related_object_type: r.resource_type,
      related_object_id: r.resource_id,
      action: r.action,
      before: fromJson(r.before_json),
      after: fromJson(r.after_json),
      ip: r.ip,
    })),
  };
}
