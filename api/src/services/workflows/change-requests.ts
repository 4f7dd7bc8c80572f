// Change requests (FLAGSMITH-COMPAT.md §4.4): create → approve (not by the author) → commit (with enough approvals)
// → published at once, or at live_from when that is in the future (a scheduled change). Environment requests change
// feature states; project requests change segments.
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors';
import { actorLabel } from '../../domain/actor';
import { normaliseFlagValue } from '../../domain/values';
import * as crs from '../../store/repositories/change-requests';
import { findFeature, listMultivariateOptions } from '../../store/repositories/features';
import { findFeatureSegment } from '../../store/repositories/feature-states';
import { findSegment } from '../../store/repositories/segments';
import { findUserById } from '../../store/repositories/users';
import type { Environment } from '../../store/repositories/environments';
import type { Project } from '../../store/repositories/projects';
import { isAllowed } from '../access';
import { parseRules } from '../segments';
import { pageOffset, toPage, write, type Page, type PageRequest, type ServiceContext } from '../context';
import { publishChangeRequest } from './publish';

export interface FeatureStateItemInput {
  feature: number;
  feature_segment?: number | null;
  enabled?: boolean;
  feature_state_value?: string | number | boolean | null;
  multivariate_feature_state_values?: Array<{ multivariate_feature_option: number; percentage_allocation: number }>;
  live_from?: string | null;
}

export interface SegmentItemInput {
  segment: number;
  name?: string;
  description?: string | null;
  rules?: unknown;
}

export interface ChangeRequestInput {
  title: string;
  description?: string | null;
  live_from?: string | null;
  feature_states?: FeatureStateItemInput[];
  segments?: SegmentItemInput[];
  approvals?: Array<{ user: number }>;
  group_assignments?: Array<{ group: number }>;
}

export interface Scope {
  project: Project;
  environment?: Environment;
}

export interface ChangeRequest {
  id: number;
  title: string;
  description: string | null;
  project: number;
  environment: number | null;
  user: number | null;
  author: string;
  created_at: string;
  updated_at: string;
  live_from: string | null;
  committed_at: string | null;
  committed_by: number | null;
  published_at: string | null;
  is_approved: boolean;
  is_committed: boolean;
  /** Committed, in the future and not yet published: a pending scheduled change. */
  is_scheduled: boolean;
  version: number;
  approvals: Array<{ user: number; approved_at: string | null }>;
  group_assignments: Array<{ group: number }>;
  feature_states: Array<{ feature: number; feature_segment: number | null; enabled?: boolean; feature_state_value?: unknown; multivariate_feature_state_values?: Array<{ multivariate_feature_option: number; percentage_allocation: number }> }>;
  segments: Array<{ segment: number; name?: string; description?: string | null; rules?: unknown }>;
}

function minimumApprovals(scope: Scope): number {
  return (scope.environment ? scope.environment.minimum_change_request_approvals : scope.project.minimum_change_request_approvals) ?? 0;
}

function serialize(cr: crs.ChangeRequestRecord, minimum: number, now = new Date()): ChangeRequest {
  const approved = cr.approvals.filter((a) => a.approvedAt !== null).length;
  return {
    id: cr.id,
    title: cr.title,
    description: cr.description,
    project: cr.projectId,
    environment: cr.environmentId,
    user: cr.authorId,
    author: cr.authorLabel,
    created_at: cr.createdAt.toISOString(),
    updated_at: cr.updatedAt.toISOString(),
    live_from: cr.liveFrom?.toISOString() ?? null,
    committed_at: cr.committedAt?.toISOString() ?? null,
    committed_by: cr.committedBy,
    published_at: cr.publishedAt?.toISOString() ?? null,
    is_approved: approved >= minimum,
    is_committed: cr.committedAt !== null,
    is_scheduled: cr.committedAt !== null && cr.publishedAt === null && cr.liveFrom !== null && cr.liveFrom > now,
    version: cr.version,
    approvals: cr.approvals.map((a) => ({ user: a.userId, approved_at: a.approvedAt?.toISOString() ?? null })),
    group_assignments: cr.groupIds.map((group) => ({ group })),
    feature_states: cr.items.flatMap((i) =>
      i.kind === 'feature_state'
        ? [{
            feature: i.featureId,
            feature_segment: i.featureSegmentId,
            enabled: i.change.enabled,
            feature_state_value: i.change.value,
            multivariate_feature_state_values: i.change.weights?.map((w) => ({ multivariate_feature_option: w.multivariateOptionId, percentage_allocation: w.percentageAllocation })),
          }]
        : [],
    ),
    segments: cr.items.flatMap((i) => (i.kind === 'segment' ? [{ segment: i.segmentId, ...i.change }] : [])),
  };
}

function parseLiveFrom(text: string | null | undefined, field: string): Date | null {
  if (text === undefined || text === null) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw ValidationError.field(field, 'Expected an ISO 8601 date-time.');
  return date;
}

async function featureItems(ctx: ServiceContext, scope: Scope, items: FeatureStateItemInput[]): Promise<crs.NewChangeRequestItem[]> {
  if (!scope.environment) throw ValidationError.field('feature_states', 'Feature state changes belong to an environment change request.');
  const out: crs.NewChangeRequestItem[] = [];
  for (const [i, item] of items.entries()) {
    const at = `feature_states[${i}]`;
    const feature = await findFeature(ctx.store.db, item.feature);
    if (!feature || feature.projectId !== scope.project.id) throw ValidationError.field(`${at}.feature`, `Feature ${item.feature} does not exist in this project.`);
    if (item.feature_segment) {
      const fs = await findFeatureSegment(ctx.store.db, item.feature_segment);
      if (!fs || fs.environmentId !== scope.environment.id || fs.featureId !== feature.id) {
        throw ValidationError.field(`${at}.feature_segment`, `Segment override ${item.feature_segment} does not belong to this feature and environment.`);
      }
    }
    let weights: crs.FeatureStateChange['weights'];
    if (item.multivariate_feature_state_values) {
      const options = new Set((await listMultivariateOptions(ctx.store.db, [feature.id])).map((o) => o.id));
      let total = 0;
      weights = item.multivariate_feature_state_values.map((w, j) => {
        if (!options.has(w.multivariate_feature_option)) throw ValidationError.field(`${at}.multivariate_feature_state_values[${j}].multivariate_feature_option`, 'Not an option of this feature.');
        total += w.percentage_allocation;
        return { multivariateOptionId: w.multivariate_feature_option, percentageAllocation: w.percentage_allocation };
      });
      if (total > 100 + 1e-9) throw ValidationError.field(`${at}.multivariate_feature_state_values`, `Percentage allocations add up to ${total}; the most is 100.`);
    }
    out.push({
      kind: 'feature_state',
      featureId: feature.id,
      featureSegmentId: item.feature_segment ?? null,
      change: {
        enabled: item.enabled,
        value: item.feature_state_value === undefined ? undefined : normaliseFlagValue(item.feature_state_value),
        weights,
      },
    });
  }
  return out;
}

async function segmentItems(ctx: ServiceContext, scope: Scope, items: SegmentItemInput[]): Promise<crs.NewChangeRequestItem[]> {
  if (scope.environment) throw ValidationError.field('segments', 'Segment changes belong to a project change request.');
  const out: crs.NewChangeRequestItem[] = [];
  for (const [i, item] of items.entries()) {
    const segment = await findSegment(ctx.store.db, item.segment);
    if (!segment || segment.projectId !== scope.project.id) throw ValidationError.field(`segments[${i}].segment`, `Segment ${item.segment} does not exist in this project.`);
    out.push({
      kind: 'segment',
      segmentId: segment.id,
      change: { name: item.name, description: item.description, rules: item.rules === undefined ? undefined : parseRules(item.rules, `segments[${i}].rules`) },
    });
  }
  return out;
}

/** A single live_from for the request: the top-level one, or the items' (which must agree). */
function requestLiveFrom(input: ChangeRequestInput): Date | null {
  const top = parseLiveFrom(input.live_from, 'live_from');
  const fromItems = (input.feature_states ?? []).map((f, i) => parseLiveFrom(f.live_from, `feature_states[${i}].live_from`)).filter((d): d is Date => d !== null);
  const all = [...(top ? [top] : []), ...fromItems];
  if (new Set(all.map((d) => d.getTime())).size > 1) throw ValidationError.field('live_from', 'All changes of one request go live together: give one live_from.');
  return all[0] ?? null;
}

async function checkReviewers(ctx: ServiceContext, scope: Scope, approvals: Array<{ user: number }>): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, a] of approvals.entries()) {
    if (!(await findUserById(ctx.store.db, a.user))) throw ValidationError.field(`approvals[${i}].user`, `User ${a.user} does not exist.`);
    ids.push(a.user);
  }
  return ids;
}

export async function getChangeRequest(ctx: ServiceContext, scope: Scope, id: number): Promise<ChangeRequest> {
  const cr = await crs.findChangeRequest(ctx.store.db, id);
  if (!cr || cr.projectId !== scope.project.id || (scope.environment && cr.environmentId !== scope.environment.id)) throw new NotFoundError('Change request', id);
  return serialize(cr, minimumApprovals(scope));
}

export async function listChangeRequests(
  ctx: ServiceContext,
  scope: Scope,
  filter: { committed?: boolean; feature_id?: number; live_from_after?: string; search?: string },
  page: PageRequest,
  basePath: string,
): Promise<Page<ChangeRequest>> {
  const { count, rows } = await crs.listChangeRequests(ctx.store.db, {
    projectId: scope.project.id,
    environmentId: scope.environment?.id ?? null,
    committed: filter.committed,
    featureId: filter.feature_id,
    liveFromAfter: parseLiveFrom(filter.live_from_after, 'live_from_after') ?? undefined,
    search: filter.search,
    ...pageOffset(page),
  });
  return toPage(rows.map((r) => serialize(r, minimumApprovals(scope))), count, page, basePath);
}

export async function createChangeRequest(ctx: ServiceContext, scope: Scope, input: ChangeRequestInput, options: { commit?: boolean } = {}): Promise<ChangeRequest> {
  const items = [...(input.feature_states?.length ? await featureItems(ctx, scope, input.feature_states) : []), ...(input.segments?.length ? await segmentItems(ctx, scope, input.segments) : [])];
  if (items.length === 0) throw ValidationError.field(scope.environment ? 'feature_states' : 'segments', 'A change request needs at least one change.');
  const liveFrom = requestLiveFrom(input);
  const reviewers = await checkReviewers(ctx, scope, input.approvals ?? []);
  const authorId = ctx.actor.type === 'user' ? ctx.actor.userId : null;
  const id = await write(ctx, async (w) => {
    const id = await crs.insertChangeRequest(w.trx, w.traits, {
      projectId: scope.project.id,
      environmentId: scope.environment?.id ?? null,
      title: input.title,
      description: input.description ?? null,
      authorId,
      authorLabel: actorLabel(ctx.actor),
      liveFrom,
    });
    await crs.replaceItems(w.trx, id, items);
    await crs.setReviewers(w.trx, id, reviewers.filter((u) => u !== authorId), (input.group_assignments ?? []).map((g) => g.group));
    w.audit({ action: 'create', resourceType: 'change_request', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment?.id ?? null, log: `Change request created: ${input.title}`, after: input });
    if (options.commit) await commitInWrite(w, id, liveFrom, authorId);
    return id;
  });
  return getChangeRequest(ctx, scope, id);
}

async function requireOpen(ctx: ServiceContext, scope: Scope, id: number): Promise<crs.ChangeRequestRecord> {
  const cr = await crs.findChangeRequest(ctx.store.db, id);
  if (!cr || cr.projectId !== scope.project.id || (scope.environment && cr.environmentId !== scope.environment.id)) throw new NotFoundError('Change request', id);
  return cr;
}

/** The author may edit or delete their own request; otherwise it takes an environment (or project) admin. */
async function requireAuthorOrAdmin(ctx: ServiceContext, scope: Scope, cr: crs.ChangeRequestRecord): Promise<void> {
  if (ctx.actor.type === 'user' && cr.authorId === ctx.actor.userId) return;
  const admin = scope.environment ? 'ENVIRONMENT_ADMIN' : 'PROJECT_ADMIN';
  const access = { organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment?.id };
  if (!(await isAllowed(ctx.store, ctx.actor, admin, access))) throw new ForbiddenError('Only the author or an administrator may change this change request.');
}

export async function updateChangeRequest(ctx: ServiceContext, scope: Scope, id: number, input: Partial<ChangeRequestInput> & { version?: number }): Promise<ChangeRequest> {
  const cr = await requireOpen(ctx, scope, id);
  if (cr.committedAt) throw new ConflictError('A committed change request cannot be changed.');
  await requireAuthorOrAdmin(ctx, scope, cr);
  const items = input.feature_states || input.segments
    ? [...(await featureItems(ctx, scope, input.feature_states ?? [])), ...(input.segments?.length ? await segmentItems(ctx, scope, input.segments) : [])]
    : undefined;
  const liveFrom = input.live_from === undefined && !input.feature_states ? undefined : requestLiveFrom({ title: cr.title, ...input });
  const reviewers = input.approvals ? await checkReviewers(ctx, scope, input.approvals) : undefined;
  await write(ctx, async (w) => {
    const applied = await crs.updateChangeRequestFields(w.trx, id, { title: input.title, description: input.description, liveFrom }, input.version);
    if (!applied) throw new ConflictError('This change request was changed by someone else; reload it.', { current_version: (await crs.findChangeRequest(w.trx, id))?.version ?? null });
    if (items) {
      // Approvals were given to the old content: changing what is proposed takes them back.
      await w.trx.updateTable('change_request_approvals').set({ approved_at: null }).where('change_request_id', '=', id).execute();
      await crs.replaceItems(w.trx, id, items);
    }
    if (reviewers || input.group_assignments) await crs.setReviewers(w.trx, id, reviewers ?? [], (input.group_assignments ?? cr.groupIds.map((group) => ({ group }))).map((g) => g.group));
    w.audit({ action: 'update', resourceType: 'change_request', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment?.id ?? null, log: `Change request updated: ${cr.title}`, after: input });
  });
  return getChangeRequest(ctx, scope, id);
}

export async function deleteChangeRequest(ctx: ServiceContext, scope: Scope, id: number): Promise<void> {
  const cr = await requireOpen(ctx, scope, id);
  const cancellable = cr.committedAt === null || (cr.publishedAt === null && cr.liveFrom !== null && cr.liveFrom > new Date());
  if (!cancellable) throw new ConflictError('A committed change request cannot be deleted once it is live.');
  await requireAuthorOrAdmin(ctx, scope, cr);
  await write(ctx, async (w) => {
    // Guard against a scheduler publishing it meanwhile: only an unpublished request is deleted.
    const deleted = await w.trx.deleteFrom('change_requests').where('id', '=', id).where('published_at', 'is', null).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw new ConflictError('The change request was published meanwhile.');
    // A cancelled scheduled change may have been overlaid on cached documents already due: refresh them.
    if (cr.environmentId) w.touchEnvironments(cr.environmentId);
    else w.touchProject(cr.projectId);
    w.audit({ action: cr.committedAt ? 'cancel' : 'delete', resourceType: 'change_request', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment?.id ?? null, log: `Change request ${cr.committedAt ? 'cancelled' : 'deleted'}: ${cr.title}` });
  });
}

export async function approveChangeRequest(ctx: ServiceContext, scope: Scope, id: number): Promise<ChangeRequest> {
  const cr = await requireOpen(ctx, scope, id);
  if (ctx.actor.type !== 'user') throw new ForbiddenError('Change requests are approved by users.');
  if (cr.authorId === ctx.actor.userId) throw new ForbiddenError('You cannot approve your own change request.');
  if (cr.committedAt) throw new ConflictError('This change request is already committed.');
  const userId = ctx.actor.userId;
  await write(ctx, async (w) => {
    await crs.recordApproval(w.trx, id, userId, new Date());
    w.audit({ action: 'approve', resourceType: 'change_request', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment?.id ?? null, log: `Change request approved: ${cr.title}` });
  });
  return getChangeRequest(ctx, scope, id);
}

async function commitInWrite(w: Parameters<Parameters<typeof write>[1]>[0], id: number, liveFrom: Date | null, userId: number | null): Promise<void> {
  const now = new Date();
  const effective = liveFrom && liveFrom > now ? liveFrom : now;
  if (!(await crs.markCommitted(w.trx, id, userId, now, effective))) throw new ConflictError('This change request is already committed.');
  const cr = (await crs.findChangeRequest(w.trx, id))!;
  if (effective <= now) await publishChangeRequest(w, cr, now);
  else {
    // Scheduled: cached documents learn the next live_from now, and rebuild themselves at that moment.
    if (cr.environmentId) w.touchEnvironments(cr.environmentId);
    else w.touchProject(cr.projectId);
  }
}

export async function commitChangeRequest(ctx: ServiceContext, scope: Scope, id: number): Promise<ChangeRequest> {
  const cr = await requireOpen(ctx, scope, id);
  if (cr.committedAt) throw new ConflictError('This change request is already committed.');
  const minimum = minimumApprovals(scope);
  const approvals = cr.approvals.filter((a) => a.approvedAt !== null).length;
  if (approvals < minimum) throw ValidationError.field('approvals', `This change request needs ${minimum} approval(s); it has ${approvals}.`);
  await write(ctx, async (w) => {
    await commitInWrite(w, id, cr.liveFrom, ctx.actor.type === 'user' ? ctx.actor.userId : null);
    w.audit({ action: 'commit', resourceType: 'change_request', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment?.id ?? null, log: `Change request committed: ${cr.title}` });
  });
  return getChangeRequest(ctx, scope, id);
}

/** Throws when this environment (or project, for segments) takes changes only through change requests. */
export function requireDirectChangesAllowed(scope: Scope): void {
  const minimum = scope.environment ? scope.environment.minimum_change_request_approvals : scope.project.minimum_change_request_approvals;
  if (minimum !== null && minimum !== undefined) {
    throw new ForbiddenError(
      scope.environment
        ? `Changes to this environment's flags go through change requests (minimum approvals: ${minimum}): POST /api/v1/environments/${scope.environment.api_key}/create-change-request/.`
        : `Changes to this project's segments go through change requests (minimum approvals: ${minimum}): POST /api/v1/projects/${scope.project.id}/change-requests/.`,
    );
  }
}
