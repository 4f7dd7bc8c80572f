// Segments: named rule trees evaluated against identities' traits.
import { NotFoundError, ConflictError, ValidationError } from '../domain/errors';
import { CONDITION_OPERATORS, RULE_TYPES, type SegmentCondition, type SegmentRule } from '../domain/segments';
import * as segments from '../store/repositories/segments';
import { findFeature } from '../store/repositories/features';
import type { Project } from '../store/repositories/projects';
import { pageOffset, toPage, write, type Page, type PageRequest, type ServiceContext } from './context';
import { requireDirectChangesAllowed } from './workflows/change-requests';

export interface SegmentInput {
  name: string;
  description?: string | null;
  feature?: number | null;
  rules: unknown;
  version?: number;
}

export interface Segment {
  id: number;
  uuid: string;
  name: string;
  description: string | null;
  project: number;
  feature: number | null;
  rules: SegmentRule[];
  version: number;
  created_at: string | null;
  updated_at: string | null;
}

const MAX_DEPTH = 6;
const MAX_CONDITIONS = 1000;
const MAX_VALUE_LENGTH = 10_000;

function toSegment(r: segments.SegmentRecord): Segment {
  return { id: r.id, uuid: r.uuid, name: r.name, description: r.description, project: r.projectId, feature: r.featureId, rules: r.rules, version: r.version, created_at: r.createdAt, updated_at: r.updatedAt };
}

/** Validates a rules tree from a request and returns it in canonical form; errors name the path, e.g. `rules[0].conditions[2].operator`. */
export function parseRules(input: unknown, path = 'rules', depth = 0, counter = { n: 0 }): SegmentRule[] {
  if (!Array.isArray(input)) throw ValidationError.field(path, 'Expected a list of rules.');
  if (depth > MAX_DEPTH) throw ValidationError.field(path, `Rules may nest at most ${MAX_DEPTH} levels.`);
  return input.map((raw, i) => {
    const at = `${path}[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw ValidationError.field(at, 'Expected a rule object.');
    const rule = raw as Record<string, unknown>;
    for (const key of Object.keys(rule)) {
      if (!['type', 'rules', 'conditions', 'id', 'delete'].includes(key)) throw ValidationError.field(`${at}.${key}`, 'Unknown field.');
    }
    if (!RULE_TYPES.includes(rule.type as never)) throw ValidationError.field(`${at}.type`, `Expected one of ${RULE_TYPES.join(', ')}.`);
    const conditions = rule.conditions === undefined ? [] : rule.conditions;
    if (!Array.isArray(conditions)) throw ValidationError.field(`${at}.conditions`, 'Expected a list of conditions.');
    return {
      type: rule.type as SegmentRule['type'],
      rules: parseRules(rule.rules ?? [], `${at}.rules`, depth + 1, counter),
      conditions: conditions.map((c, j) => parseCondition(c, `${at}.conditions[${j}]`, counter)),
    };
  });
}

function parseCondition(raw: unknown, at: string, counter: { n: number }): SegmentCondition {
  if (++counter.n > MAX_CONDITIONS) throw ValidationError.field(at, `A segment may have at most ${MAX_CONDITIONS} conditions.`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw ValidationError.field(at, 'Expected a condition object.');
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!['operator', 'property', 'value', 'description', 'id', 'delete'].includes(key)) throw ValidationError.field(`${at}.${key}`, 'Unknown field.');
  }
  if (!CONDITION_OPERATORS.includes(c.operator as never)) throw ValidationError.field(`${at}.operator`, `Expected one of ${CONDITION_OPERATORS.join(', ')}.`);
  const operator = c.operator as SegmentCondition['operator'];
  if (c.property !== undefined && c.property !== null && typeof c.property !== 'string') throw ValidationError.field(`${at}.property`, 'Expected a string.');
  const property = (c.property as string | null | undefined) ?? null;
  if (operator !== 'PERCENTAGE_SPLIT' && !property) throw ValidationError.field(`${at}.property`, `Required for ${operator}.`);
  if (property && property.length > 1000) throw ValidationError.field(`${at}.property`, 'At most 1000 characters.');
  let value: string | null;
  if (c.value === undefined || c.value === null) value = null;
  else if (typeof c.value === 'string') value = c.value;
  else if (typeof c.value === 'number' || typeof c.value === 'boolean') value = String(c.value);
  else throw ValidationError.field(`${at}.value`, 'Expected a string.');
  if (value !== null && value.length > MAX_VALUE_LENGTH) throw ValidationError.field(`${at}.value`, `At most ${MAX_VALUE_LENGTH} characters.`);
  if (value === null && !['IS_SET', 'IS_NOT_SET'].includes(operator)) throw ValidationError.field(`${at}.value`, `Required for ${operator}.`);
  if (operator === 'PERCENTAGE_SPLIT' && value !== null && !Number.isFinite(Number(value))) throw ValidationError.field(`${at}.value`, 'Expected a number between 0 and 100.');
  if (operator === 'MODULO' && value !== null && !/^-?\d+(\.\d+)?\|-?\d+(\.\d+)?$/.test(value)) throw ValidationError.field(`${at}.value`, 'Expected "divisor|remainder", e.g. "2|0".');
  const condition: SegmentCondition = { operator, property, value };
  if (typeof c.description === 'string') condition.description = c.description;
  return condition;
}

export async function getSegment(ctx: ServiceContext, projectId: number, id: number): Promise<Segment> {
  const record = await segments.findSegment(ctx.store.db, id);
  if (!record || record.projectId !== projectId) throw new NotFoundError('Segment', id);
  return toSegment(record);
}

export async function listSegments(ctx: ServiceContext, projectId: number, search: string | undefined, page: PageRequest, basePath: string): Promise<Page<Segment>> {
  const { count, rows } = await segments.listSegments(ctx.store.db, { projectId, search, ...pageOffset(page) });
  return toPage(rows.map(toSegment), count, page, basePath);
}

async function checkFeature(ctx: ServiceContext, project: Project, featureId: number | null | undefined): Promise<void> {
  if (featureId === null || featureId === undefined) return;
  const feature = await findFeature(ctx.store.db, featureId);
  if (!feature || feature.projectId !== project.id) throw ValidationError.field('feature', `Feature ${featureId} does not exist in this project.`);
}

export async function createSegment(ctx: ServiceContext, project: Project, input: SegmentInput): Promise<Segment> {
  const rules = parseRules(input.rules);
  await checkFeature(ctx, project, input.feature);
  const id = await write(ctx, async (w) => {
    const id = await segments.insertSegment(w.trx, w.traits, project.id, { name: input.name, description: input.description ?? null, featureId: input.feature ?? null, rules });
    w.touchProject(project.id);
    w.audit({ action: 'create', resourceType: 'segment', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Segment created: ${input.name}`, after: { ...input, rules } });
    return id;
  });
  return getSegment(ctx, project.id, id);
}

export async function updateSegment(ctx: ServiceContext, project: Project, id: number, input: Partial<SegmentInput>, ifMatchVersion?: number): Promise<Segment> {
  const before = await getSegment(ctx, project.id, id);
  requireDirectChangesAllowed({ project });
  const rules = input.rules === undefined ? undefined : parseRules(input.rules);
  await checkFeature(ctx, project, input.feature);
  const expected = input.version ?? ifMatchVersion;
  await write(ctx, async (w) => {
    const applied = await segments.updateSegment(w.trx, id, { name: input.name, description: input.description, featureId: input.feature, rules }, expected);
    if (!applied) {
      const current = await segments.findSegment(w.trx, id);
      throw new ConflictError('This segment was changed by someone else; reload it and apply your change again.', { current_version: current?.version ?? null });
    }
    w.touchProject(project.id);
    w.audit({ action: 'update', resourceType: 'segment', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Segment updated: ${before.name}`, before, after: { ...input, rules } });
  });
  return getSegment(ctx, project.id, id);
}

export async function deleteSegment(ctx: ServiceContext, project: Project, id: number): Promise<void> {
  const before = await getSegment(ctx, project.id, id);
  await write(ctx, async (w) => {
    await segments.deleteSegment(w.trx, id);
    w.touchProject(project.id);
    w.audit({ action: 'delete', resourceType: 'segment', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Segment deleted: ${before.name}`, before });
  });
}
