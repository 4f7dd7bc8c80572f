// Organisations, projects and environments: lists with create forms; the start page picks up where you are.
import { useEffect, useState } from 'preact/hooks';
import { get, patch, post } from '../api';
import { cached } from '../cache';
import { Disclosure, Field, FieldMessages, FormErrors, Loaded, PageHeader, notify, useAsync, useId, useSubmit, valueOf } from '../components/ui';
import { Link, navigate } from '../router';
import type { ScreenProps } from '../routes';
import type { Environment, Organisation, Project } from '../types';

export function Home({ ws }: ScreenProps) {
  useEffect(() => {
    if (!ws.orgs) return;
    if (ws.orgs.length === 0) navigate('/organisations', { replace: true });
    else navigate(`/organisations/${ws.orgs[0]!.id}/projects`, { replace: true });
  }, [ws.orgs]);
  return <p class="muted" aria-busy="true">Loading…</p>;
}

/** /projects/:project → its first environment's features, or its environments when it has none. */
export function ProjectHome({ ws, params }: ScreenProps) {
  useEffect(() => {
    if (!ws.envs || ws.project?.id !== Number(params.project)) return;
    const first = ws.envs[0];
    navigate(first ? `/projects/${params.project}/environments/${first.api_key}/features` : `/projects/${params.project}/environments`, { replace: true });
  }, [ws.envs, ws.project, params.project]);
  return <p class="muted" aria-busy="true">Loading…</p>;
}

function NameForm({ label, onCreate }: { label: string; onCreate: (name: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const { error, busy, run } = useSubmit(async () => {
    await onCreate(name);
    setName('');
  });
  return (
    <form onSubmit={(e) => (e.preventDefault(), void run())} class="inline-form">
      <FormErrors error={error} shown={['name']} />
      <Field label={`${label} name`} name="name" error={error}>
        {(p) => <input {...p} required value={name} onInput={(e) => setName(valueOf(e))} />}
      </Field>
      <button type="submit" disabled={busy}>Create {label.toLowerCase()}</button>
    </form>
  );
}

export function Organisations({ ws }: ScreenProps) {
  return (
    <section>
      <PageHeader title="Organisations" />
      <Disclosure label="New organisation" open={ws.orgs?.length === 0}>
        {() => (
          <NameForm
            label="Organisation"
            onCreate={async (name) => {
              const org = await post<Organisation>('organisations/', { name });
              ws.refresh('orgs');
              notify(`Organisation ${org.name} created.`);
              navigate(`/organisations/${org.id}/projects`);
            }}
          />
        )}
      </Disclosure>
      {ws.orgs === undefined ? (
        <p class="muted" aria-busy="true">Loading…</p>
      ) : ws.orgs.length === 0 ? (
        <p>You are not a member of any organisation yet: create one.</p>
      ) : (
        <ul class="cards">
          {ws.orgs.map((o) => (
            <li key={o.id}>
              <Link href={`/organisations/${o.id}/projects`}>{o.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Projects({ ws, params }: ScreenProps) {
  const orgId = Number(params.org);
  const projects = useAsync(() => cached(`projects:${orgId}`, () => get<Project[]>(`projects/?organisation=${orgId}`)), [orgId]);
  return (
    <section>
      <PageHeader title={`Projects${ws.org ? ` · ${ws.org.name}` : ''}`} />
      <Disclosure label="New project" open={projects.data?.length === 0}>
        {() => (
          <NameForm
            label="Project"
            onCreate={async (name) => {
              const project = await post<Project>('projects/', { name, organisation: orgId });
              ws.refresh(`projects:${orgId}`);
              notify(`Project ${project.name} created.`);
              navigate(`/projects/${project.id}/environments`);
            }}
          />
        )}
      </Disclosure>
      <Loaded state={projects}>
        {(list) =>
          list.length === 0 ? (
            <p>No projects yet.</p>
          ) : (
            <ul class="cards">
              {list.map((p) => (
                <li key={p.id}>
                  <Link href={`/projects/${p.id}`}>{p.name}</Link>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

export function Environments({ ws, params }: ScreenProps) {
  const projectId = Number(params.project);
  const envs = useAsync(() => cached(`envs:${projectId}`, () => get<Environment[]>(`environments/?project=${projectId}`)), [projectId]);
  return (
    <section>
      <PageHeader title={`Environments${ws.project ? ` · ${ws.project.name}` : ''}`} />
      <Disclosure label="New environment" open={envs.data?.length === 0}>
        {() => (
          <NameForm
            label="Environment"
            onCreate={async (name) => {
              const env = await post<Environment>('environments/', { name, project: projectId });
              ws.refresh(`envs:${projectId}`);
              envs.reload();
              notify(`Environment ${env.name} created.`);
            }}
          />
        )}
      </Disclosure>
      <Loaded state={envs}>
        {(list) =>
          list.length === 0 ? (
            <p>No environments yet: create one (for example Development and Production).</p>
          ) : (
            <table>
              <caption class="visually-hidden">Environments</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Client-side key</th>
                  <th scope="col">Approvals required</th>
                  <th scope="col"><span class="visually-hidden">Links</span></th>
                </tr>
              </thead>
              <tbody>
                {list.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <Link href={`/projects/${projectId}/environments/${e.api_key}/features`}>{e.name}</Link>
                    </td>
                    <td><code>{e.api_key}</code></td>
                    <td><ApprovalsSetting env={e} onSaved={() => (ws.refresh(`envs:${projectId}`), envs.reload())} /></td>
                    <td class="row-actions">
                      <Link href={`/projects/${projectId}/environments/${e.api_key}/identities`}>Identities</Link>
                      <Link href={`/projects/${projectId}/environments/${e.api_key}/sdk-keys`}>SDK keys</Link>
                    </td>
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

/** Approvals a change needs in this environment; empty turns change requests off. */
function ApprovalsSetting({ env, onSaved }: { env: Environment; onSaved: () => void }) {
  const [text, setText] = useState(env.minimum_change_request_approvals === null ? '' : String(env.minimum_change_request_approvals));
  const id = useId('ap');
  const { error, busy, run } = useSubmit(async () => {
    await patch(`environments/${env.api_key}/`, { minimum_change_request_approvals: text === '' ? null : Number(text) });
    notify(text === '' ? `${env.name} no longer requires approvals.` : `${env.name} now requires ${text} approval(s).`);
    onSaved();
  });
  const messages = error ? [...error.for('minimum_change_request_approvals'), ...(error.fields.detail ?? [])] : [];
  const changed = text !== (env.minimum_change_request_approvals === null ? '' : String(env.minimum_change_request_approvals));
  return (
    <form class="approvals" onSubmit={(e) => (e.preventDefault(), void run())}>
      <label class="visually-hidden" for={id}>Approvals required in {env.name}</label>
      <input id={id} type="number" min={0} max={10} placeholder="off" value={text} onInput={(e) => setText(valueOf(e))} aria-describedby={messages.length ? `${id}-err` : undefined} aria-invalid={messages.length ? 'true' : undefined} />
      <button type="submit" class="small secondary" disabled={busy || !changed}>Save</button>
      <FieldMessages id={`${id}-err`} messages={messages} />
    </form>
  );
}
