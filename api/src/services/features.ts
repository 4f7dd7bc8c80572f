// Features, their tags and multivariate options. A new feature gets a state in every environment of its project.
import { NotFoundError, ValidationError } from '../domain/errors';
import { inferFlagValue, toTypedValueFields, type FlagValue } from '../domain/values';
import * as features from '../store/repositories/features';
import { listEnvironmentIds } from '../store/repositories/environments';
import {
  insertFeatureState,
  insertMultivariateStateValuesForOption,
  listFeatureStates,
  replaceMultivariateStateValues,
} from '../store/repositories/feature-states';
import type { Project } from '../store/repositories/projects';
import type { WriteScope } from '../store/store';
import { isUniqueViolation } from '../store/errors';
import { pageOffset, toPage, write, type Page, type PageRequest, type ServiceContext } from './context';

export interface MultivariateOptionInput {
  type?: 'unicode' | 'int' | 'bool';
  string_value?: string | null;
  integer_value?: number | null;
  boolean_value?: boolean | null;
  default_percentage_allocation?: number;
}

export interface FeatureInput {
  name: string;
  type?: 'STANDARD' | 'MULTIVARIATE';
  default_enabled?: boolean;
  initial_value?: string | number | boolean | null;
  description?: string | null;
  tags?: number[];
  multivariate_options?: MultivariateOptionInput[];
  is_server_key_only?: boolean;
  is_archived?: boolean;
}

export interface MultivariateOption {
  id: number;
  feature: number;
  type: 'unicode' | 'int' | 'bool';
  string_value: string | null;
  integer_value: number | null;
  boolean_value: boolean | null;
  default_percentage_allocation: number;
}

export interface Feature {
  id: number;
  name: string;
  type: 'STANDARD' | 'MULTIVARIATE';
  default_enabled: boolean;
  initial_value: string | null;
  description: string | null;
  created_date: string | null;
  project: number;
  tags: number[];
  multivariate_options: MultivariateOption[];
  is_server_key_only: boolean;
  is_archived: boolean;
  owners: never[];
  group_owners: never[];
}

export function toMultivariateOption(o: features.MultivariateOptionRecord): MultivariateOption {
  return { id: o.id, feature: o.featureId, ...toTypedValueFields(o.value), default_percentage_allocation: o.defaultPercentageAllocation };
}

async function serialize(ctx: ServiceContext, rows: features.FeatureRecord[]): Promise<Feature[]> {
  const ids = rows.map((r) => r.id);
  const tags = await features.listFeatureTagIds(ctx.store.db, ids);
  const options = await features.listMultivariateOptions(ctx.store.db, ids);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    default_enabled: r.defaultEnabled,
    initial_value: r.initialValue,
    description: r.description,
    created_date: r.createdAt,
    project: r.projectId,
    tags: tags.get(r.id) ?? [],
    multivariate_options: options.filter((o) => o.featureId === r.id).map(toMultivariateOption),
    is_server_key_only: r.isServerKeyOnly,
    is_archived: r.isArchived,
    owners: [],
    group_owners: [],
  }));
}

export async function getFeature(ctx: ServiceContext, projectId: number, id: number): Promise<Feature> {
  const row = await features.findFeature(ctx.store.db, id);
  if (!row || row.projectId !== projectId) throw new NotFoundError('Feature', id);
  return (await serialize(ctx, [row]))[0]!;
}

export async function listFeatures(
  ctx: ServiceContext,
  projectId: number,
  filter: { search?: string; tags?: number[]; is_archived?: boolean },
  page: PageRequest,
  basePath: string,
): Promise<Page<Feature>> {
  const { count, rows } = await features.listFeatures(ctx.store.db, { projectId, search: filter.search, tagIds: filter.tags, isArchived: filter.is_archived, ...pageOffset(page) });
  return toPage(await serialize(ctx, rows), count, page, basePath);
}

/** The option's value; errors name `multivariate_options[i].<field>` in a feature body, `<field>` on the option routes (`index` null). */
export function optionValue(input: MultivariateOptionInput, index: number | null): FlagValue {
  const at = (name: string) => (index === null ? name : `multivariate_options[${index}].${name}`);
  const type = input.type ?? (input.integer_value != null ? 'int' : input.boolean_value != null ? 'bool' : 'unicode');
  if (type === 'int') {
    if (typeof input.integer_value !== 'number' || !Number.isSafeInteger(input.integer_value)) throw ValidationError.field(at('integer_value'), 'An integer is required for type "int".');
    return input.integer_value;
  }
  if (type === 'bool') {
    if (typeof input.boolean_value !== 'boolean') throw ValidationError.field(at('boolean_value'), 'A boolean is required for type "bool".');
    return input.boolean_value;
  }
  return input.string_value ?? '';
}

function checkAllocations(options: MultivariateOptionInput[], field = 'multivariate_options'): void {
  const total = options.reduce((sum, o) => sum + (o.default_percentage_allocation ?? 0), 0);
  if (total > 100 + 1e-9) throw ValidationError.field(field, `Default percentage allocations add up to ${total}; the most is 100.`);
}

async function checkTags(ctx: ServiceContext | WriteScope, projectId: number, tagIds: number[] | undefined): Promise<void> {
  if (!tagIds || tagIds.length === 0) return;
  const db = 'trx' in ctx ? ctx.trx : ctx.store.db;
  const found = await features.countProjectTags(db, projectId, tagIds);
  if (found !== new Set(tagIds).size) throw ValidationError.field('tags', 'One or more tags do not exist in this project.');
}

export async function createFeature(ctx: ServiceContext, project: Project, input: FeatureInput): Promise<Feature> {
  const options = input.multivariate_options ?? [];
  checkAllocations(options);
  const values = options.map(optionValue);
  await checkTags(ctx, project.id, input.tags);
  if (await features.findFeatureByName(ctx.store.db, project.id, input.name)) {
    throw ValidationError.field('name', `A feature named "${input.name}" already exists in this project.`);
  }
  const initialValue = input.initial_value === undefined || input.initial_value === null ? null : String(input.initial_value);
  const id = await write(ctx, async (w) => {
    const id = await features.insertFeature(w.trx, w.traits, project.id, {
      name: input.name,
      type: options.length > 0 ? 'MULTIVARIATE' : (input.type ?? 'STANDARD'),
      initialValue,
      defaultEnabled: input.default_enabled ?? false,
      description: input.description ?? null,
      isServerKeyOnly: input.is_server_key_only ?? false,
      isArchived: input.is_archived ?? false,
    });
    if (input.tags) await features.setFeatureTags(w.trx, id, input.tags);
    const optionIds: Array<{ id: number; allocation: number }> = [];
    for (let i = 0; i < options.length; i++) {
      const allocation = options[i]!.default_percentage_allocation ?? 0;
      optionIds.push({ id: await features.insertMultivariateOption(w.trx, w.traits, id, { value: values[i]!, defaultPercentageAllocation: allocation }), allocation });
    }
    for (const environmentId of await listEnvironmentIds(w.trx, project.id)) {
      const stateId = await insertFeatureState(w.trx, w.traits, { featureId: id, environmentId, enabled: input.default_enabled ?? false, value: inferFlagValue(initialValue) });
      if (optionIds.length > 0) await replaceMultivariateStateValues(w.trx, stateId, optionIds.map((o) => ({ multivariateOptionId: o.id, percentageAllocation: o.allocation })));
    }
    w.touchProject(project.id);
    w.audit({ action: 'create', resourceType: 'feature', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Feature created: ${input.name}`, after: input });
    return id;
  }).catch((error) => {
    if (isUniqueViolation(error)) throw ValidationError.field('name', `A feature named "${input.name}" already exists in this project.`);
    throw error;
  });
  return getFeature(ctx, project.id, id);
}

export async function updateFeature(ctx: ServiceContext, project: Project, id: number, input: Partial<FeatureInput>): Promise<Feature> {
  const before = await getFeature(ctx, project.id, id);
  if (input.multivariate_options !== undefined) {
    throw ValidationError.field('multivariate_options', 'Change options through /projects/{id}/features/{id}/mv-options/.');
  }
  await checkTags(ctx, project.id, input.tags);
  if (input.name !== undefined && input.name !== before.name && (await features.findFeatureByName(ctx.store.db, project.id, input.name))) {
    throw ValidationError.field('name', `A feature named "${input.name}" already exists in this project.`);
  }
  await write(ctx, async (w) => {
    await features.updateFeature(w.trx, id, {
      name: input.name,
      initialValue: input.initial_value === undefined ? undefined : input.initial_value === null ? null : String(input.initial_value),
      defaultEnabled: input.default_enabled,
      description: input.description,
      isServerKeyOnly: input.is_server_key_only,
      isArchived: input.is_archived,
    });
    if (input.tags !== undefined) await features.setFeatureTags(w.trx, id, input.tags);
    w.touchProject(project.id);
    w.audit({ action: 'update', resourceType: 'feature', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Feature updated: ${before.name}`, before, after: input });
  });
  return getFeature(ctx, project.id, id);
}

export async function deleteFeature(ctx: ServiceContext, project: Project, id: number): Promise<void> {
  const before = await getFeature(ctx, project.id, id);
  await write(ctx, async (w) => {
    await features.deleteFeature(w.trx, id);
    w.touchProject(project.id);
    w.audit({ action: 'delete', resourceType: 'feature', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Feature deleted: ${before.name}`, before });
  });
}

// Multivariate options

export async function listOptions(ctx: ServiceContext, project: Project, featureId: number): Promise<MultivariateOption[]> {
  return (await getFeature(ctx, project.id, featureId)).multivariate_options;
}

export async function createOption(ctx: ServiceContext, project: Project, featureId: number, input: MultivariateOptionInput): Promise<MultivariateOption> {
  const feature = await getFeature(ctx, project.id, featureId);
  checkAllocations([...feature.multivariate_options, input], 'default_percentage_allocation');
  const value = optionValue(input, null);
  const allocation = input.default_percentage_allocation ?? 0;
  const id = await write(ctx, async (w) => {
    const id = await features.insertMultivariateOption(w.trx, w.traits, featureId, { value, defaultPercentageAllocation: allocation });
    if (feature.type !== 'MULTIVARIATE') await features.updateFeature(w.trx, featureId, { type: 'MULTIVARIATE' });
    // Environment defaults get the new variant at its default weight; overrides keep their own weights.
    const defaults = await listFeatureStates(w.trx, { featureId, identityId: null, defaultsOnly: true });
    await insertMultivariateStateValuesForOption(w.trx, defaults.map((s) => s.id), id, allocation);
    w.touchProject(project.id);
    w.audit({ action: 'create', resourceType: 'multivariate_option', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Variant added to ${feature.name}`, after: input });
    return id;
  });
  return (await listOptions(ctx, project, featureId)).find((o) => o.id === id)!;
}

export async function updateOption(ctx: ServiceContext, project: Project, featureId: number, id: number, input: MultivariateOptionInput): Promise<MultivariateOption> {
  const feature = await getFeature(ctx, project.id, featureId);
  const current = feature.multivariate_options.find((o) => o.id === id);
  if (!current) throw new NotFoundError('Multivariate option', id);
  const merged = { ...current, ...input };
  checkAllocations(feature.multivariate_options.map((o) => (o.id === id ? merged : o)), 'default_percentage_allocation');
  await write(ctx, async (w) => {
    await features.updateMultivariateOption(w.trx, id, { value: optionValue(merged, null), defaultPercentageAllocation: merged.default_percentage_allocation });
    w.touchProject(project.id);
    w.audit({ action: 'update', resourceType: 'multivariate_option', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Variant of ${feature.name} updated`, before: current, after: input });
  });
  return (await listOptions(ctx, project, featureId)).find((o) => o.id === id)!;
}

export async function deleteOption(ctx: ServiceContext, project: Project, featureId: number, id: number): Promise<void> {
  const feature = await getFeature(ctx, project.id, featureId);
  const current = feature.multivariate_options.find((o) => o.id === id);
  if (!current) throw new NotFoundError('Multivariate option', id);
  await write(ctx, async (w) => {
    await features.deleteMultivariateOption(w.trx, id);
    w.touchProject(project.id);
    w.audit({ action: 'delete', resourceType: 'multivariate_option', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Variant of ${feature.name} deleted`, before: current });
  });
}

// Tags

export async function createTag(ctx: ServiceContext, project: Project, input: { label: string; color?: string; description?: string | null }): Promise<features.Tag> {
  const id = await write(ctx, async (w) => {
    const id = await features.insertTag(w.trx, w.traits, project.id, { label: input.label, color: input.color ?? '#6837FC', description: input.description ?? null });
    w.audit({ action: 'create', resourceType: 'tag', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Tag created: ${input.label}` });
    return id;
  });
  return (await features.listTags(ctx.store.db, project.id)).find((t) => t.id === id)!;
}

export async function updateTag(ctx: ServiceContext, project: Project, id: number, input: { label?: string; color?: string; description?: string | null }): Promise<features.Tag> {
  await write(ctx, async (w) => {
    if (!(await features.updateTag(w.trx, project.id, id, input))) throw new NotFoundError('Tag', id);
    w.audit({ action: 'update', resourceType: 'tag', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Tag updated`, after: input });
  });
  return (await features.listTags(ctx.store.db, project.id)).find((t) => t.id === id)!;
}

export async function deleteTag(ctx: ServiceContext, project: Project, id: number): Promise<void> {
  await write(ctx, async (w) => {
    if (!(await features.deleteTag(w.trx, project.id, id))) throw new NotFoundError('Tag', id);
    w.audit({ action: 'delete', resourceType: 'tag', resourceId: id, organisationId: project.organisation, projectId: project.id, log: `Tag deleted` });
  });
}
