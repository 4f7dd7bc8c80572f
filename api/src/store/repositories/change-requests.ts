// Change requests, their items, approvals and reviewer groups. Publishing is claimed with a conditional update
// (`published_at IS NULL`), so two schedulers racing for the same request publish it once.
import type { Selectable } from 'kysely';
import type { ChangeRequestTable } from '../schema';
import { insertReturningId, toDate, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import type { FlagValue } from '../../domain/values';
import type { SegmentRule } from '../../domain/segments';

export interface FeatureStateChange {
  enabled?: boolean;
  value?: FlagValue;
  weights?: Array<{ multivariateOptionId: number; percentageAllocation: number }>;
}

export interface SegmentChange {
  name?: string;
  description?: string | null;
  rules?: SegmentRule[];
}

export type ChangeRequestItem =
  | { id: number; kind: 'feature_state'; featureId: number; featureSegmentId: number | null; change: FeatureStateChange }
  | { id: number; kind: 'segment'; segmentId: number; change: SegmentChange };

export type NewChangeRequestItem = ChangeRequestItem extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

export interface ChangeRequestRecord {
  id: number;
  projectId: number;
  environmentId: number | null;
  title: string;
  description: string | null;
  authorId: number | null;
  authorLabel: string;
  liveFrom: Date | null;
  committedAt: Date | null;
  committedBy: number | null;
  publishedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  items: ChangeRequestItem[];
  approvals: Array<{ userId: number; approvedAt: Date | null }>;
  groupIds: number[];
}

const date = (v: Date | string | null) => (v === null ? null : toDate(v));

async function hydrate(db: Executor, rows: Selectable<ChangeRequestTable>[]): Promise<ChangeRequestRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const items = await db.selectFrom('change_request_items').selectAll().where('change_request_id', 'in', ids).orderBy('id').execute();
  const approvals = await db.selectFrom('change_request_approvals').selectAll().where('change_request_id', 'in', ids).orderBy('id').execute();
  const groups = await db.selectFrom('change_request_groups').selectAll().where('change_request_id', 'in', ids).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    environmentId: r.environment_id,
    title: r.title,
    description: r.description,
    authorId: r.author_id,
    authorLabel: r.author_label,
    liveFrom: date(r.live_from),
    committedAt: date(r.committed_at),
    committedBy: r.committed_by,
    publishedAt: date(r.published_at),
    version: Number(r.version),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    items: items
      .filter((i) => i.change_request_id === r.id)
      .map((i): ChangeRequestItem =>
        i.kind === 'segment'
          ? { id: i.id, kind: 'segment', segmentId: i.segment_id!, change: JSON.parse(i.payload_json) as SegmentChange }
          : { id: i.id, kind: 'feature_state', featureId: i.feature_id!, featureSegmentId: i.feature_segment_id, change: JSON.parse(i.payload_json) as FeatureStateChange },
      ),
    approvals: approvals.filter((a) => a.change_request_id === r.id).map((a) => ({ userId: a.user_id, approvedAt: date(a.approved_at) })),
    groupIds: groups.filter((g) => g.change_request_id === r.id).map((g) => g.group_id),
  }));
}

export async function insertChangeRequest(
  db: Executor,
  traits: EngineTraits,
  values: { projectId: number; environmentId: number | null; title: string; description: string | null; authorId: number | null; authorLabel: string; liveFrom: Date | null },
): Promise<number> {
  const now = new Date();
  return insertReturningId(db, traits, 'change_requests', {
    project_id: values.projectId,
    environment_id: values.environmentId,
    title: values.title,
    description: values.description,
    author_id: values.authorId,
    author_label: values.authorLabel,
    live_from: values.liveFrom,
    committed_at: null,
    committed_by: null,
    published_at: null,
    version: 1,
    created_at: now,
    updated_at: now,
  });
}

export async function replaceItems(db: Executor, changeRequestId: number, items: NewChangeRequestItem[]): Promise<void> {
  await db.deleteFrom('change_request_items').where('change_request_id', '=', changeRequestId).execute();
  if (items.length === 0) return;
  await db
    .insertInto('change_request_items')
    .values(
      items.map((item) => ({
        change_request_id: changeRequestId,
        kind: item.kind,
        feature_id: item.kind === 'feature_state' ? item.featureId : null,
        feature_segment_id: item.kind === 'feature_state' ? item.featureSegmentId : null,
        segment_id: item.kind === 'segment' ? item.segmentId : null,
        payload_json: JSON.stringify(item.change),
      })),
    )
    .execute();
}

export async function setReviewers(db: Executor, changeRequestId: number, userIds: number[], groupIds: number[]): Promise<void> {
  const existing = await db.selectFrom('change_request_approvals').select(['user_id']).where('change_request_id', '=', changeRequestId).execute();
  const have = new Set(existing.map((e) => e.user_id));
  const fresh = [...new Set(userIds)].filter((u) => !have.has(u));
  if (fresh.length > 0) await db.insertInto('change_request_approvals').values(fresh.map((user_id) => ({ change_request_id: changeRequestId, user_id, approved_at: null }))).execute();
  await db.deleteFrom('change_request_groups').where('change_request_id', '=', changeRequestId).execute();
  const groups = [...new Set(groupIds)];
  if (groups.length > 0) await db.insertInto('change_request_groups').values(groups.map((group_id) => ({ change_request_id: changeRequestId, group_id }))).execute();
}

export async function recordApproval(db: Executor, changeRequestId: number, userId: number, at: Date): Promise<void> {
  const updated = await db
    .updateTable('change_request_approvals')
    .set({ approved_at: at })
    .where('change_request_id', '=', changeRequestId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await db.insertInto('change_request_approvals').values({ change_request_id: changeRequestId, user_id: userId, approved_at: at }).execute();
  }
}

export async function updateChangeRequestFields(
  db: Executor,
  id: number,
  values: Partial<{ title: string; description: string | null; liveFrom: Date | null }>,
  expectedVersion?: number,
): Promise<boolean> {
  const set: Record<string, unknown> = { updated_at: new Date() };
  if (values.title !== undefined) set.title = values.title;
  if (values.description !== undefined) set.description = values.description;
  if (values.liveFrom !== undefined) set.live_from = values.liveFrom;
  let query = db.updateTable('change_requests').set((eb) => ({ ...set, version: eb('version', '+', 1) })).where('id', '=', id).where('committed_at', 'is', null);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  return Number((await query.executeTakeFirst()).numUpdatedRows) > 0;
}

/** Marks a request committed, only if it was not already (a second concurrent commit changes nothing). */
export async function markCommitted(db: Executor, id: number, userId: number | null, at: Date, liveFrom: Date): Promise<boolean> {
  const result = await db
    .updateTable('change_requests')
    .set((eb) => ({ committed_at: at, committed_by: userId, live_from: liveFrom, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('committed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Claims a committed request for publishing; true for exactly one caller. */
export async function claimForPublish(db: Executor, id: number, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('change_requests')
    .set({ published_at: at })
    .where('id', '=', id)
    .where('published_at', 'is', null)
    .where('committed_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteChangeRequest(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('change_requests').where('id', '=', id).execute();
}

export async function findChangeRequest(db: Executor, id: number): Promise<ChangeRequestRecord | undefined> {
  const rows = await db.selectFrom('change_requests').selectAll().where('id', '=', id).execute();
  return (await hydrate(db, rows))[0];
}

export interface ChangeRequestFilter {
  projectId?: number;
  environmentId?: number | null;
  committed?: boolean;
  featureId?: number;
  liveFromAfter?: Date;
  search?: string;
  offset: number;
  limit: number;
}

export async function listChangeRequests(db: Executor, filter: ChangeRequestFilter): Promise<{ count: number; rows: ChangeRequestRecord[] }> {
  let query = db.selectFrom('change_requests');
  if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
  if (filter.environmentId === null) query = query.where('environment_id', 'is', null);
  else if (filter.environmentId !== undefined) query = query.where('environment_id', '=', filter.environmentId);
  if (filter.committed === true) query = query.where('committed_at', 'is not', null);
  if (filter.committed === false) query = query.where('committed_at', 'is', null);
  if (filter.liveFromAfter) query = query.where('live_from', '>', filter.liveFromAfter);
  if (filter.search) query = query.where('title', 'like', `%${filter.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (filter.featureId !== undefined) {
    query = query.where('id', 'in', (eb) => eb.selectFrom('change_request_items').select('change_request_id').where('feature_id', '=', filter.featureId!));
  }
  const count = Number((await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await query.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
  return { count, rows: await hydrate(db, rows) };
}

/** Committed requests not yet published: due ones are overlaid on the environment document, future ones scheduled. */
export async function listUnpublished(db: Executor, filter: { environmentId?: number; projectId?: number; dueBy?: Date }): Promise<ChangeRequestRecord[]> {
  let query = db.selectFrom('change_requests').selectAll().where('committed_at', 'is not', null).where('published_at', 'is', null);
  if (filter.environmentId !== undefined) query = query.where('environment_id', '=', filter.environmentId);
  if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
  if (filter.dueBy) query = query.where('live_from', '<=', filter.dueBy);
  return hydrate(db, await query.orderBy('live_from').orderBy('id').execute());
}
