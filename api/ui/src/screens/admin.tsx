// Organisation members and roles (instance admins also switch accounts off and on and end their sessions), the audit
// log, and SDK keys with snippets. The LDAP settings moved to the lazily loaded sso.tsx.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, qs, type Page } from '../api';
import { CopyButton, Disclosure, Field, FormErrors, Loaded, PageHeader, Pager, formatDate, notify, notifyError, useAsync, useSubmit, valueOf } from '../components/ui';
import { setQuery } from '../router';
import type { ScreenProps } from '../routes';
import { useSession } from '../session';
import { sdkApiUrl } from '../settings';
import type { AuditEntry, OrgUser, ServerKey } from '../types';

// ---- members ----------------------------------------------------------------------------------------------------

const MEMBERS_PAGE = 50;

export function Members({ ws, params, query }: ScreenProps) {
  const org = Number(params.org);
  const page = Number(query.get('page') ?? '1') || 1;
  const { user } = useSession();
  const members = useAsync(() => get<OrgUser[]>(`organisations/${org}/users/`), [org]);
  const [form, setForm] = useState({ email: '', role: 'USER', password: '' });
  const add = useSubmit(async () => {
    await post(`organisations/${org}/users/`, { email: form.email, role: form.role, ...(form.password ? { password: form.password } : {}) });
    notify(`${form.email} added.`);
    setForm({ email: '', role: 'USER', password: '' });
    members.reload();
  });
  const setRole = async (m: OrgUser, role: string) => {
    try {
      await post(`organisations/${org}/users/${m.id}/update-role/`, { role });
      notify(`${m.email} is now ${role === 'ADMIN' ? 'an administrator' : 'a user'}.`);
      members.reload();
    } catch (e) {
      notifyError(e);
      members.reload();
    }
  };
  const remove = async (m: OrgUser) => {
    if (!confirm(`Remove ${m.email} from this organisation?`)) return;
    try {
      await del(`organisations/${org}/users/${m.id}/`);
      members.reload();
    } catch (e) {
      notifyError(e);
    }
  };
  // Instance admins: switch an account off or on, or end its tokens and sessions (POST /users/{id}/...).
  const account = async (m: OrgUser, action: 'deactivate' | 'activate' | 'revoke-sessions') => {
    const question = {
      deactivate: `Deactivate ${m.email}? The account can no longer sign in by any method, and its sessions and API tokens end. This applies in every organisation.`,
      activate: `Activate ${m.email} again? The account can sign in again.`,
      'revoke-sessions': `Sign ${m.email} out everywhere? Every browser session and API token of the account ends.`,
    }[action];
    if (!confirm(question)) return;
    try {
      const res = await post<{ revoked_sessions: number; revoked_tokens: number } | undefined>(`users/${m.id}/${action}/`);
      if (action === 'revoke-sessions' && res) notify(`${m.email}: ${res.revoked_sessions} session(s) and ${res.revoked_tokens} API token(s) ended.`);
      else notify(`${m.email} ${action === 'deactivate' ? 'deactivated' : 'activated'}.`);
      members.reload();
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <section>
      <PageHeader title={`Members${ws.org ? ` · ${ws.org.name}` : ''}`} />
      <Disclosure label="Add a member">
        {() => (
          <form class="inline-form" onSubmit={(e) => (e.preventDefault(), void add.run())}>
            <FormErrors error={add.error} shown={['email', 'role', 'password']} />
            <Field label="Email" name="email" error={add.error}>{(p) => <input {...p} type="email" required value={form.email} onInput={(e) => setForm({ ...form, email: valueOf(e) })} />}</Field>
            <Field label="Role" name="role" error={add.error}>
              {(p) => (
                <select {...p} value={form.role} onChange={(e) => setForm({ ...form, role: valueOf(e) })}>
                  <option value="USER">User</option>
                  <option value="ADMIN">Administrator</option>
                </select>
              )}
            </Field>
            <Field label="Initial password" name="password" error={add.error} hint="For a new account: 12 characters or more. Leave empty for an existing account.">
              {(p) => <input {...p} type="password" autoComplete="new-password" value={form.password} onInput={(e) => setForm({ ...form, password: valueOf(e) })} />}
            </Field>
            <button type="submit" disabled={add.busy}>Add member</button>
          </form>
        )}
      </Disclosure>
      <Loaded state={members}>
        {(all) => {
          const list = all.slice((page - 1) * MEMBERS_PAGE, page * MEMBERS_PAGE);
          return (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Member</th>
                    <th scope="col">Role</th>
                    <th scope="col">Last login</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((m) => (
                    <tr key={m.id} data-member={m.email}>
                      <td id={`member-${m.id}`}>
                        {m.email}
                        {(m.first_name || m.last_name) && <span class="muted small"> {m.first_name} {m.last_name}</span>}
                        {m.is_active === false && <span class="badge warn">deactivated</span>}
                      </td>
                      <td>
                        <select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => void setRole(m, valueOf(e))}>
                          <option value="USER">User</option>
                          <option value="ADMIN">Administrator</option>
                        </select>
                      </td>
                      <td>{formatDate(m.last_login)}</td>
                      <td>
                        {m.id !== user.id && (
                          <span class="row-buttons">
                            {user.is_superuser &&
                              (m.is_active === false ? (
                                <button type="button" class="secondary small" aria-describedby={`member-${m.id}`} onClick={() => void account(m, 'activate')}>Activate</button>
                              ) : (
                                <>
                                  <button type="button" class="secondary small" aria-describedby={`member-${m.id}`} onClick={() => void account(m, 'revoke-sessions')}>Sign out everywhere</button>
                                  <button type="button" class="danger small" aria-describedby={`member-${m.id}`} onClick={() => void account(m, 'deactivate')}>Deactivate</button>
                                </>
                              ))}
                            <button type="button" class="danger small" aria-describedby={`member-${m.id}`} onClick={() => void remove(m)}>Remove</button>
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager count={all.length} page={page} pageSize={MEMBERS_PAGE} onPage={(p) => setQuery({ page: p === 1 ? null : p })} />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

// ---- audit log --------------------------------------------------------------------------------------------------

const AUDIT_PAGE = 25;

export function AuditLog({ ws, params, query }: ScreenProps) {
  const project = Number(params.project);
  const page = Number(query.get('page') ?? '1') || 1;
  const search = query.get('search') ?? '';
  const env = query.get('environment') ?? '';
  const [text, setText] = useState(search);
  const entries = useAsync(() => get<Page<AuditEntry>>(`audit/${qs({ project, page, page_size: AUDIT_PAGE, search, environments: env })}`), [project, page, search, env]);
  useEffect(() => {
    const t = setTimeout(() => text !== search && setQuery({ search: text, page: null }), 250);
    return () => clearTimeout(t);
  }, [text]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <section>
      <PageHeader title={`Audit log${ws.project ? ` · ${ws.project.name}` : ''}`} />
      <div class="filters" role="search">
        <Field label="Search">{(p) => <input {...p} type="search" value={text} onInput={(e) => setText(valueOf(e))} />}</Field>
        <Field label="Environment">
          {(p) => (
            <select {...p} value={env} onChange={(e) => setQuery({ environment: valueOf(e), page: null })}>
              <option value="">All</option>
              {(ws.envs ?? []).map((e) => <option key={e.id} value={e.id}>{e.name}</option>)}
            </select>
          )}
        </Field>
      </div>
      <Loaded state={entries}>
        {(list) => (
          <>
            {list.results.length === 0 ? (
              <p>Nothing recorded{search ? ' that matches' : ''}.</p>
            ) : (
              <table class="audit">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                    <th scope="col">Environment</th>
                  </tr>
                </thead>
                <tbody>
                  {list.results.map((a) => (
                    <tr key={a.id}>
                      <td class="nowrap">{formatDate(a.created_date)}</td>
                      <td>{a.author.label}</td>
                      <td>{a.log}</td>
                      <td>{a.environment ? ws.envs?.find((e) => e.id === a.environment)?.name ?? a.environment : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pager count={list.count} page={page} pageSize={AUDIT_PAGE} onPage={(p) => setQuery({ page: p === 1 ? null : p })} />
          </>
        )}
      </Loaded>
    </section>
  );
}

// ---- SDK keys ---------------------------------------------------------------------------------------------------

export function SdkKeys({ ws, params }: ScreenProps) {
  const envKey = params.env!;
  const keys = useAsync(() => get<ServerKey[]>(`environments/${envKey}/api-keys/`), [envKey]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ServerKey | null>(null);
  const create = useSubmit(async () => {
    const key = await post<ServerKey>(`environments/${envKey}/api-keys/`, { name });
    setCreated(key);
    setName('');
    keys.reload();
  });
  const revoke = async (k: ServerKey) => {
    if (!confirm(`Revoke the key ${k.name}? Servers using it stop receiving flags.`)) return;
    try {
      await del(`environments/${envKey}/api-keys/${k.id}/`);
      notify(`Key ${k.name} revoked.`);
      keys.reload();
    } catch (e) {
      notifyError(e);
    }
  };
  const apiUrl = sdkApiUrl();
  const node = `const Flagsmith = require('flagsmith-nodejs');

const flagsmith = new Flagsmith({
  environmentKey: '${created?.key ?? 'ser.YOUR_SERVER_KEY'}',
  apiUrl: '${apiUrl}',
  enableLocalEvaluation: true,
});

const flags = await flagsmith.getIdentityFlags('user-42', { plan: 'pro' });
flags.isFeatureEnabled('my_feature');`;
  const browser = `import flagsmith from 'flagsmith';

await flagsmith.init({
  environmentID: '${envKey}',
  api: '${apiUrl}',
});

flagsmith.hasFeature('my_feature');
flagsmith.getValue('my_feature');`;
  return (
    <section>
      <PageHeader title={`SDK keys${ws.env ? ` · ${ws.env.name}` : ''}`} />
      <section class="card" aria-labelledby="client-key">
        <h2 id="client-key">Client-side key</h2>
        <p class="muted small">Public by design: browsers and mobile apps use it to read flags.</p>
        <p class="key-row">
          <code data-testid="client-key">{envKey}</code>
          <CopyButton text={envKey} label="Copy client key" />
        </p>
      </section>
      <section class="card" aria-labelledby="server-keys">
        <h2 id="server-keys">Server-side keys</h2>
        <p class="muted small">Secret: servers use them for local evaluation. A key is shown once, when it is created.</p>
        {created && (
          <div class="new-key" role="status">
            <p>
              New key <strong>{created.name}</strong>: copy it now, it will not be shown again.
            </p>
            <p class="key-row">
              <code>{created.key}</code>
              <CopyButton text={created.key} label="Copy server key" />
            </p>
          </div>
        )}
        <Loaded state={keys}>
          {(list) =>
            list.length === 0 ? (
              <p class="muted">No server-side keys.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Created</th>
                    <th scope="col"><span class="visually-hidden">Revoke</span></th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((k) => (
                    <tr key={k.id}>
                      <td>{k.name}{!k.active && <span class="badge">inactive</span>}</td>
                      <td><code>{k.key}</code></td>
                      <td>{formatDate(k.created_at)}</td>
                      <td><button type="button" class="danger small" onClick={() => void revoke(k)}>Revoke</button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loaded>
        <form class="inline-form" aria-label="Create a server-side key" onSubmit={(e) => (e.preventDefault(), void create.run())}>
          <FormErrors error={create.error} shown={['name']} />
          <Field label="Key name" name="name" error={create.error}>{(p) => <input {...p} required value={name} onInput={(e) => setName(valueOf(e))} />}</Field>
          <button type="submit" disabled={create.busy}>Create server-side key</button>
        </form>
      </section>
      <section class="card" aria-labelledby="snippets">
        <h2 id="snippets">Use it</h2>
        <h3>Node.js (flagsmith-nodejs)</h3>
        <pre><code>{node}</code></pre>
        <CopyButton text={node} label="Copy Node.js snippet" />
        <h3>Browser (flagsmith)</h3>
        <pre><code>{browser}</code></pre>
        <CopyButton text={browser} label="Copy browser snippet" />
      </section>
    </section>
  );
}
