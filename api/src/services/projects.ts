// Projects: the container of features, segments and environments.
import { NotFoundError } from '../domain/errors';
import * as projects from '../store/repositories/projects';
import { accessView, viewAllows } from './access';
import { write, type ServiceContext } from './context';
import { recordCreatorAdmin } from './rbac/grants';

/** The projects the actor may view (VIEW_PROJECT, project admin, organisation admin), of one organisation or all. */
export async function listProjects(ctx: ServiceContext, organisationId?: number): Promise<projects.Project[]> {
  const view = await accessView(ctx.store, ctx.actor);
  const list = await projects.listProjects(ctx.store.db, organisationId !== undefined ? { organisationId } : view.all ? {} : { organisationIds: view.organisationIds });
  return list.filter((p) => viewAllows(view, 'VIEW_PROJECT', { organisationId: p.organisation, projectId: p.id }));
}

export async function getProject(ctx: ServiceContext, id: number): Promise<projects.Project> {
  const project = await projects.findProject(ctx.store.db, id);
  if (!project) throw new NotFoundError('Project', id);
  return project;
}

export async function createProject(ctx: ServiceContext, organisationId: number, input: projects.ProjectSettings & { name: string }): Promise<projects.Project> {
  const id = await write(ctx, async (w) => {
    const id = await projects.insertProject(w.trx, w.traits, organisationId, input);
    w.audit({ action: 'create', resourceType: 'project', resourceId: id, organisationId, projectId: id, log: `Project created: ${input.name}`, after: input });
    await recordCreatorAdmin(w, ctx.actor, { level: 'project', organisationId, projectId: id });
    return id;
  });
  return getProject(ctx, id);
}

export async function updateProject(ctx: ServiceContext, id: number, input: projects.ProjectSettings): Promise<projects.Project> {
  const before = await getProject(ctx, id);
  await write(ctx, async (w) => {
    await projects.updateProject(w.trx, id, input);
    w.touchProject(id);
    w.audit({ action: 'update', resourceType: 'project', resourceId: id, organisationId: before.organisation, projectId: id, log: `Project updated: ${before.name}`, before, after: input });
  });
  return getProject(ctx, id);
}

export async function deleteProject(ctx: ServiceContext, id: number): Promise<void> {
  const before = await getProject(ctx, id);
  await write(ctx, async (w) => {
    w.audit({ action: 'delete', resourceType: 'project', resourceId: id, organisationId: before.organisation, log: `Project deleted: ${before.name}`, before });
    await projects.deleteProject(w.trx, id);
  });
}
