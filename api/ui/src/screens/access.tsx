// Groups (members, group admins) and roles (their organisation, project and environment permissions, and who has
// them) of an organisation — the RBAC API of issue 6, all for organisation admins.
import { useState } from 'preact/hooks';
import { all, del, get, patch, post } from '../api';
import { Disclosure, Field, FieldMessages, FormErrors, Loaded, PageHeader, notify, notifyError, useAsync, useSubmit, valueOf } from '../components/ui';
import { Link, navigate } from '../router';
import type { ScreenProps } from '../routes';
import type { Assignment, Environment, Grant, Group, OrgUser, PermissionKeyInfo, Project, Role } from '../types';

// ---- groups -----------------------------------------------------------------------------------------------------

export function Groups({ ws, params }: ScreenProps) {
  const org = Number(params.org);
  const groups = useAsync(() => all<Group>(`organisations/${org}/groups/`, 100), [org]);
  const [name, setName] = useState('');
  const [isDefault, setIsDefault] = useState(false);
  const create = useSubmit(async () => {
    const g = await post<Group>(`organisations/${org}/groups/`, { name, is_default: isDefault });
    notify(`Group ${g.name} created.`);
    navigate(`/organisations/${org}/groups/${g.id}`);
  });
  return (
    <section>
      <PageHeader title={`Groups${ws.org ? ` · ${ws.org.name}` : ''}`} />
      <Disclosure label="New group">
        {() => (
          <form class="inline-form" onSubmit={(e) => (e.preventDefault(), void create.run())}>
            <FormErrors error={create.error} shown={['name', 'is_default']} />
            <Field label="Group name" name="name" error={create.error}>{(p) => <input {...p} required value={name} onInput={(e) => setName(valueOf(e))} />}</Field>
            <label class="check">
              <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault((e.currentTarget as HTMLInputElement).checked)} />
              Every new member joins it
            </label>
            <button type="submit" disabled={create.busy}>Create group</button>
          </form>
        )}
      </Disclosure>
      <Loaded state={groups}>
        {(list) =>
          list.length === 0 ? (
            <p>No groups yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Members</th>
                  <th scope="col">Default</th>
                </tr>
              </thead>
              <tbody>
                {list.map((g) => (
                  <tr key={g.id}>
                    <td><Link href={`/organisations/${org}/groups/${g.id}`}>{g.name}</Link></td>
                    <td>{g.users.length}</td>
                    <td>{g.is_default ? 'yes' : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}

export function GroupDetail({ params }: ScreenProps) {
  const org = Number(params.org);
  const id = Number(params.group);
  const data = useAsync(async () => {
    const [group, members] = await Promise.all([get<Group>(`organisations/${org}/groups/${id}/`), get<OrgUser[]>(`organisations/${org}/users/`)]);
    return { group, members };
  }, [org, id]);
  const [user, setUser] = useState('');
  const add = useSubmit(async () => {
    await post(`organisations/${org}/groups/${id}/add-users/`, { user_ids: [Number(user)] });
    setUser('');
    data.reload();
  });
  const act = async (path: string, body?: unknown, message?: string) => {
    try {
      await post(path, body);
      if (message) notify(message);
      data.reload();
    } catch (e) {
      notifyError(e);
    }
  };
  const remove = async () => {
    if (!confirm('Delete this group? Its permissions and roles go with it.')) return;
    try {
      await del(`organisations/${org}/groups/${id}/`);
      navigate(`/organisations/${org}/groups`);
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <section>
      <p class="crumb"><Link href={`/organisations/${org}/groups`}>← Groups</Link></p>
      <PageHeader title={data.data ? `Group · ${data.data.group.name}` : 'Group'}>
        <button type="button" class="danger" onClick={() => void remove()}>Delete group</button>
      </PageHeader>
      <Loaded state={data}>
        {({ group, members }) => (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Group admin</th>
                  <th scope="col"><span class="visually-hidden">Remove</span></th>
                </tr>
              </thead>
              <tbody>
                {group.users.map((u) => (
                  <tr key={u.id}>
                    <td>{u.email}</td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`${u.email} is a group admin`}
                        checked={u.group_admin}
                        onChange={(e) => void act(`organisations/${org}/groups/${id}/users/${u.id}/${(e.currentTarget as HTMLInputElement).checked ? 'make-admin' : 'remove-admin'}/`)}
                      />
                    </td>
                    <td><button type="button" class="danger small" onClick={() => void act(`organisations/${org}/groups/${id}/remove-users/`, { user_ids: [u.id] }, `${u.email} removed.`)}>Remove</button></td>
                  </tr>
                ))}
                {group.users.length === 0 && (
                  <tr>
                    <td colSpan={3} class="muted">No members.</td>
                  </tr>
                )}
              </tbody>
            </table>
            <form class="inline-form" aria-label="Add a member to the group" onSubmit={(e) => (e.preventDefault(), void add.run())}>
              <FormErrors error={add.error} shown={['user_ids']} />
              <Field label="Member" name="user_ids" error={add.error}>
                {(p) => (
                  <select {...p} required value={user} onChange={(e) => setUser(valueOf(e))}>
                    <option value="">Choose a member…</option>
                    {members.filter((m) => !group.users.some((u) => u.id === m.id)).map((m) => <option key={m.id} value={m.id}>{m.email}</option>)}
                  </select>
                )}
              </Field>
              <button type="submit" disabled={add.busy}>Add to group</button>
            </form>
          </>
        )}
      </Loaded>
    </section>
  );
}

// ---- roles ------------------------------------------------------------------------------------------------------

export function Roles({ ws, params }: ScreenProps) {
  const org = Number(params.org);
  const roles = useAsync(() => get<Role[]>(`organisations/${org}/roles/`), [org]);
  const [form, setForm] = useState({ name: '', description: '' });
  const create = useSubmit(async () => {
    const role = await post<Role>(`organisations/${org}/roles/`, { name: form.name, description: form.description || null });
    notify(`Role ${role.name} created.`);
    navigate(`/organisations/${org}/roles/${role.id}`);
  });
  return (
    <section>
      <PageHeader title={`Roles${ws.org ? ` · ${ws.org.name}` : ''}`} />
      <Disclosure label="New role">
        {() => (
          <form class="inline-form" onSubmit={(e) => (e.preventDefault(), void create.run())}>
            <FormErrors error={create.error} shown={['name', 'description']} />
            <Field label="Role name" name="name" error={create.error}>{(p) => <input {...p} required value={form.name} onInput={(e) => setForm({ ...form, name: valueOf(e) })} />}</Field>
            <Field label="Description" name="description" error={create.error}>{(p) => <input {...p} value={form.description} onInput={(e) => setForm({ ...form, description: valueOf(e) })} />}</Field>
            <button type="submit" disabled={create.busy}>Create role</button>
          </form>
        )}
      </Disclosure>
      <Loaded state={roles}>
        {(list) =>
          list.length === 0 ? (
            <p>No roles yet. A role bundles permissions; give it to members, groups or API keys.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={r.id}>
                    <td><Link href={`/organisations/${org}/roles/${r.id}`}>{r.name}</Link></td>
                    <td>{r.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}

type Level = 'organisation' | 'project' | 'environment';
const SEGMENT: Record<Level, string> = { organisation: 'organisation-permissions', project: 'projects-permissions', environment: 'environments-permissions' };
const KEYS_PATH: Record<Level, string> = { organisation: 'organisations/permissions/', project: 'projects/permissions/', environment: 'environments/permissions/' };

export function RoleDetail({ params }: ScreenProps) {
  const org = Number(params.org);
  const id = Number(params.role);
  const base = `organisations/${org}/roles/${id}`;
  const data = useAsync(async () => {
    const [role, projects, members, groups] = await Promise.all([
      get<Role>(`${base}/`),
      get<Project[]>(`projects/?organisation=${org}`),
      get<OrgUser[]>(`organisations/${org}/users/`),
      all<Group>(`organisations/${org}/groups/`, 100),
    ]);
    const envs = (await Promise.all(projects.map((p) => get<Environment[]>(`environments/?project=${p.id}`)))).flat();
    return { role, projects, envs, members, groups };
  }, [org, id]);
  const remove = async () => {
    if (!confirm('Delete this role with its permissions and assignments?')) return;
    try {
      await del(`${base}/`);
      navigate(`/organisations/${org}/roles`);
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <section>
      <p class="crumb"><Link href={`/organisations/${org}/roles`}>← Roles</Link></p>
      <PageHeader title={data.data ? `Role · ${data.data.role.name}` : 'Role'}>
        <button type="button" class="danger" onClick={() => void remove()}>Delete role</button>
      </PageHeader>
      <Loaded state={data}>
        {({ projects, envs, members, groups }) => (
          <>
            <GrantList base={base} level="organisation" objects={[]} />
            <GrantList base={base} level="project" objects={projects.map((p) => ({ id: p.id, label: p.name }))} />
            <GrantList
              base={base}
              level="environment"
              objects={envs.map((e) => ({ id: e.id, label: `${projects.find((p) => p.id === e.project)?.name ?? ''} / ${e.name}` }))}
            />
            <Assignments base={base} kind="users" field="user" options={members.map((m) => ({ id: m.id, label: m.email }))} />
            <Assignments base={base} kind="groups" field="group" options={groups.map((g) => ({ id: g.id, label: g.name }))} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function GrantList({ base, level, objects }: { base: string; level: Level; objects: Array<{ id: number; label: string }> }) {
  const data = useAsync(async () => {
    const [grants, keys] = await Promise.all([get<Grant[]>(`${base}/${SEGMENT[level]}/`), get<PermissionKeyInfo[]>(KEYS_PATH[level])]);
    return { grants, keys };
  }, [base, level]);
  const [object, setObject] = useState('');
  const add = useSubmit(async () => {
    await post(`${base}/${SEGMENT[level]}/`, { permissions: [], ...(level === 'organisation' ? {} : { [level]: Number(object) }) });
    setObject('');
    data.reload();
  });
  const title = level === 'organisation' ? 'Organisation permissions' : level === 'project' ? 'Project permissions' : 'Environment permissions';
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      <Loaded state={data}>
        {({ grants, keys }) => (
          <>
            {grants.map((g) => (
              <GrantEditor
                key={g.id}
                grant={g}
                keys={keys}
                level={level}
                label={level === 'organisation' ? 'This organisation' : objects.find((o) => o.id === (level === 'project' ? g.project : g.environment))?.label ?? `#${g.project ?? g.environment}`}
                path={`${base}/${SEGMENT[level]}/${g.id}/`}
                onChange={data.reload}
              />
            ))}
            {level === 'organisation'
              ? grants.length === 0 && <button type="button" class="secondary small" onClick={() => void add.run()}>Add organisation permissions</button>
              : (
                  <form class="inline-form" aria-label={`Add ${level} permissions`} onSubmit={(e) => (e.preventDefault(), void add.run())}>
                    <FormErrors error={add.error} shown={[level]} />
                    <Field label={level === 'project' ? 'Project' : 'Environment'} name={level} error={add.error}>
                      {(p) => (
                        <select {...p} required value={object} onChange={(e) => setObject(valueOf(e))}>
                          <option value="">Choose…</option>
                          {objects.filter((o) => !grants.some((g) => (level === 'project' ? g.project : g.environment) === o.id)).map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
                        </select>
                      )}
                    </Field>
                    <button type="submit" disabled={add.busy}>Add</button>
                  </form>
                )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function GrantEditor({ grant, keys, level, label, path, onChange }: { grant: Grant; keys: PermissionKeyInfo[]; level: Level; label: string; path: string; onChange: () => void }) {
  const [perms, setPerms] = useState<string[]>(grant.permissions);
  const [admin, setAdmin] = useState(!!grant.admin);
  const save = useSubmit(async () => {
    await patch(path, { permissions: perms, ...(level === 'organisation' ? {} : { admin }) });
    notify(`Permissions on ${label} saved.`);
    onChange();
  });
  const remove = async () => {
    try {
      await del(path);
      onChange();
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <fieldset class="grant">
      <legend>{label}</legend>
      {level !== 'organisation' && (
        <label class="check">
          <input type="checkbox" checked={admin} onChange={(e) => setAdmin((e.currentTarget as HTMLInputElement).checked)} />
          Administrator (every permission on this {level})
        </label>
      )}
      <div class="perm-grid">
        {keys.map((k) => (
          <label key={k.key} class="check" title={k.description}>
            <input
              type="checkbox"
              checked={admin || perms.includes(k.key)}
              disabled={admin}
              onChange={(e) => setPerms((e.currentTarget as HTMLInputElement).checked ? [...perms, k.key] : perms.filter((p) => p !== k.key))}
            />
            <span>
              {k.key}
              <span class="hint"> {k.description}</span>
            </span>
          </label>
        ))}
      </div>
      <FieldMessages id={`g${grant.id}-err`} messages={save.error ? Object.values(save.error.fields).flat() : []} />
      <div class="actions">
        <button type="button" class="small" disabled={save.busy} onClick={() => void save.run()}>Save</button>
        <button type="button" class="danger small" onClick={() => void remove()}>Remove</button>
      </div>
    </fieldset>
  );
}

function Assignments({ base, kind, field, options }: { base: string; kind: 'users' | 'groups'; field: 'user' | 'group'; options: Array<{ id: number; label: string }> }) {
  const list = useAsync(() => get<Assignment[]>(`${base}/${kind}/`), [base, kind]);
  const [choice, setChoice] = useState('');
  const add = useSubmit(async () => {
    await post(`${base}/${kind}/`, { [field]: Number(choice) });
    setChoice('');
    list.reload();
  });
  const remove = async (a: Assignment) => {
    try {
      await del(`${base}/${kind}/${a.id}/`);
      list.reload();
    } catch (e) {
      notifyError(e);
    }
  };
  const title = kind === 'users' ? 'Members with this role' : 'Groups with this role';
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      <Loaded state={list}>
        {(items) => (
          <>
            <ul class="plain">
              {items.map((a) => (
                <li key={a.id}>
                  {options.find((o) => o.id === a[field])?.label ?? `#${a[field]}`}{' '}
                  <button type="button" class="danger small" onClick={() => void remove(a)}>Remove</button>
                </li>
              ))}
              {items.length === 0 && <li class="muted">None.</li>}
            </ul>
            <form class="inline-form" aria-label={`Give the role to ${kind === 'users' ? 'a member' : 'a group'}`} onSubmit={(e) => (e.preventDefault(), void add.run())}>
              <FormErrors error={add.error} shown={[field]} />
              <Field label={kind === 'users' ? 'Member' : 'Group'} name={field} error={add.error}>
                {(p) => (
                  <select {...p} required value={choice} onChange={(e) => setChoice(valueOf(e))}>
                    <option value="">Choose…</option>
                    {options.filter((o) => !items.some((a) => a[field] === o.id)).map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
                  </select>
                )}
              </Field>
              <button type="submit" disabled={add.busy}>Assign</button>
            </form>
          </>
        )}
      </Loaded>
    </section>
  );
}
