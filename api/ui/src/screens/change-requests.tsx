// Change requests of an environment (open and committed), one request (approve, commit, delete), pending scheduled
// changes, and the form that proposes or schedules a flag change from the feature screens.
import { useState } from 'preact/hooks';
import { all, del, get, post, qs, type Page } from '../api';
import { Field, FormErrors, Loaded, PageHeader, Pager, formatDate, notify, notifyError, useAsync, useSubmit, valueOf } from '../components/ui';
import { Link, navigate, setQuery } from '../router';
import type { ScreenProps } from '../routes';
import { useSession } from '../session';
import type { ChangeRequest, Environment, Feature, FlagValue, OrgUser } from '../types';
import { formatValue } from './features';

const PAGE_SIZE = 20;

export function requiresChangeRequests(env: Environment | undefined): boolean {
  return env?.minimum_change_request_approvals !== null && env?.minimum_change_request_approvals !== undefined;
}

function status(cr: ChangeRequest): string {
  if (cr.published_at) return 'Published';
  if (cr.is_scheduled) return `Scheduled for ${formatDate(cr.live_from)}`;
  if (cr.is_committed) return 'Committed';
  return cr.is_approved ? 'Approved, ready to commit' : 'Waiting for approval';
}

export function ChangeRequestList({ ws, params, query }: ScreenProps) {
  const envKey = params.env!;
  const project = Number(params.project);
  const page = Number(query.get('page') ?? '1') || 1;
  const committed = query.get('committed') === '1';
  const list = useAsync(() => get<Page<ChangeRequest>>(`environments/${envKey}/list-change-requests/${qs({ page, page_size: PAGE_SIZE, committed })}`), [envKey, page, committed]);
  return (
    <section>
      <PageHeader title={`Change requests${ws.env ? ` · ${ws.env.name}` : ''}`} />
      {ws.env && !requiresChangeRequests(ws.env) && (
        <p class="muted">This environment does not require approvals; change requests here are used for scheduling. Set "Approvals required" on the Environments page to require them.</p>
      )}
      <div class="tabs" role="group" aria-label="Which change requests">
        <button type="button" class="secondary small" aria-pressed={!committed} onClick={() => setQuery({ committed: null, page: null })}>Open</button>
        <button type="button" class="secondary small" aria-pressed={committed} onClick={() => setQuery({ committed: '1', page: null })}>Committed</button>
      </div>
      <Loaded state={list}>
        {(l) => (
          <>
            {l.results.length === 0 ? (
              <p>No {committed ? 'committed' : 'open'} change requests.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Author</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {l.results.map((cr) => (
                    <tr key={cr.id}>
                      <td><Link href={`/projects/${project}/environments/${envKey}/change-requests/${cr.id}`}>{cr.title}</Link></td>
                      <td>{cr.author}</td>
                      <td>{status(cr)}</td>
                      <td>{formatDate(cr.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pager count={l.count} page={page} pageSize={PAGE_SIZE} onPage={(p) => setQuery({ page: p === 1 ? null : p })} />
          </>
        )}
      </Loaded>
    </section>
  );
}

export function ScheduledChanges({ ws, params, query }: ScreenProps) {
  const envKey = params.env!;
  const project = Number(params.project);
  const page = Number(query.get('page') ?? '1') || 1;
  const list = useAsync(() => get<Page<ChangeRequest>>(`environments/${envKey}/scheduled-changes/${qs({ page, page_size: PAGE_SIZE })}`), [envKey, page]);
  const cancel = async (cr: ChangeRequest) => {
    if (!confirm(`Cancel the scheduled change "${cr.title}"?`)) return;
    try {
      await del(`features/workflows/change-requests/${cr.id}/`);
      notify('Scheduled change cancelled.');
      list.reload();
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <section>
      <PageHeader title={`Scheduled changes${ws.env ? ` · ${ws.env.name}` : ''}`} />
      <Loaded state={list}>
        {(l) => (
          <>
            {l.results.length === 0 ? (
              <p>No pending scheduled changes. Schedule one from a feature's "Schedule…" button.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Change</th>
                    <th scope="col">Goes live</th>
                    <th scope="col">Author</th>
                    <th scope="col"><span class="visually-hidden">Cancel</span></th>
                  </tr>
                </thead>
                <tbody>
                  {l.results.map((cr) => (
                    <tr key={cr.id}>
                      <td><Link href={`/projects/${project}/environments/${envKey}/change-requests/${cr.id}`}>{cr.title}</Link></td>
                      <td>{formatDate(cr.live_from)}</td>
                      <td>{cr.author}</td>
                      <td><button type="button" class="danger small" onClick={() => void cancel(cr)}>Cancel</button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pager count={l.count} page={page} pageSize={PAGE_SIZE} onPage={(p) => setQuery({ page: p === 1 ? null : p })} />
          </>
        )}
      </Loaded>
    </section>
  );
}

export function ChangeRequestDetail({ ws, params }: ScreenProps) {
  const envKey = params.env!;
  const project = Number(params.project);
  const id = Number(params.cr);
  const { user } = useSession();
  const data = useAsync(async () => {
    const cr = await get<ChangeRequest>(`features/workflows/change-requests/${id}/`);
    const [features, members] = await Promise.all([
      all<Feature>(`projects/${project}/features/`, 100),
      ws.org ? get<OrgUser[]>(`organisations/${ws.org.id}/users/`).catch(() => [] as OrgUser[]) : Promise.resolve([] as OrgUser[]),
    ]);
    return { cr, features, members };
  }, [id, project, ws.org?.id]);
  const act = useSubmit(async (action: 'approve' | 'commit' | 'delete') => {
    if (action === 'delete') {
      await del(`features/workflows/change-requests/${id}/`);
      notify('Change request deleted.');
      navigate(`/projects/${project}/environments/${envKey}/change-requests`);
      return;
    }
    const cr = await post<ChangeRequest>(`features/workflows/change-requests/${id}/${action}/`);
    notify(action === 'approve' ? 'Approved.' : cr.is_scheduled ? `Committed: goes live ${formatDate(cr.live_from)}.` : 'Committed and published.');
    data.reload();
  });
  return (
    <section>
      <p class="crumb"><Link href={`/projects/${project}/environments/${envKey}/change-requests`}>← Change requests</Link></p>
      <PageHeader title={data.data ? `Change request · ${data.data.cr.title}` : 'Change request'} />
      <Loaded state={data}>
        {({ cr, features, members }) => {
          const who = (uid: number) => members.find((m) => m.id === uid)?.email ?? `user ${uid}`;
          const approvedByMe = cr.approvals.some((a) => a.user === user.id && a.approved_at);
          return (
            <>
              <dl class="facts">
                <dt>Status</dt>
                <dd data-testid="cr-status">{status(cr)}</dd>
                <dt>Author</dt>
                <dd>{cr.author}</dd>
                <dt>Created</dt>
                <dd>{formatDate(cr.created_at)}</dd>
                {cr.live_from && (
                  <>
                    <dt>Goes live</dt>
                    <dd>{formatDate(cr.live_from)}</dd>
                  </>
                )}
                <dt>Approvals</dt>
                <dd>{cr.approvals.filter((a) => a.approved_at).map((a) => who(a.user)).join(', ') || 'none yet'}</dd>
              </dl>
              {cr.description && <p>{cr.description}</p>}
              <h2>Changes</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Feature</th>
                    <th scope="col">Applies to</th>
                    <th scope="col">Enabled</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {cr.feature_states.map((fs, i) => (
                    <tr key={i}>
                      <td>{features.find((f) => f.id === fs.feature)?.name ?? `Feature ${fs.feature}`}</td>
                      <td>{fs.feature_segment ? `Segment override ${fs.feature_segment}` : 'Environment value'}</td>
                      <td>{fs.enabled === undefined ? 'unchanged' : fs.enabled ? 'on' : 'off'}</td>
                      <td><code>{fs.feature_state_value === undefined ? 'unchanged' : formatValue(fs.feature_state_value)}</code></td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <FormErrors error={act.error} />
              {!cr.is_committed && (
                <div class="actions">
                  {cr.user !== user.id && !approvedByMe && <button type="button" disabled={act.busy} onClick={() => void act.run('approve')}>Approve</button>}
                  <button type="button" disabled={act.busy || !cr.is_approved} onClick={() => void act.run('commit')}>
                    {cr.live_from && new Date(cr.live_from) > new Date() ? 'Commit (schedule)' : 'Commit'}
                  </button>
                  <button type="button" class="danger" disabled={act.busy} onClick={() => confirm('Delete this change request?') && void act.run('delete')}>Delete</button>
                  {!cr.is_approved && <p class="muted small">Committing needs {ws.env?.minimum_change_request_approvals ?? 'the required'} approval(s) from someone other than the author.</p>}
                </div>
              )}
              {cr.is_scheduled && (
                <div class="actions">
                  <button type="button" class="danger" disabled={act.busy} onClick={() => confirm('Cancel this scheduled change?') && void act.run('delete')}>Cancel scheduled change</button>
                </div>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

/**
 * Proposes a change to one flag as a change request, optionally going live later. Where the environment requires no
 * approvals, a scheduled change is committed at once (it then waits for its time).
 */
export function ProposeChange(props: {
  env: Environment;
  project: number;
  featureId: number;
  featureSegment?: number | null;
  change: { enabled?: boolean; feature_state_value?: FlagValue };
  defaultTitle: string;
  schedule: boolean;
  onDone: () => void;
}) {
  const [title, setTitle] = useState(props.defaultTitle);
  const [description, setDescription] = useState('');
  const [liveFrom, setLiveFrom] = useState('');
  const { error, busy, run } = useSubmit(async () => {
    const cr = await post<ChangeRequest>(`environments/${props.env.api_key}/create-change-request/`, {
      title,
      description: description || null,
      live_from: liveFrom ? new Date(liveFrom).toISOString() : null,
      feature_states: [{ feature: props.featureId, feature_segment: props.featureSegment ?? null, ...props.change }],
    });
    if (!requiresChangeRequests(props.env) && liveFrom) {
      await post(`features/workflows/change-requests/${cr.id}/commit/`);
      notify(`Scheduled for ${formatDate(cr.live_from)}.`);
    } else {
      notify('Change request created: it needs approval before it can be committed.');
    }
    props.onDone();
    navigate(`/projects/${props.project}/environments/${props.env.api_key}/change-requests/${cr.id}`);
  });
  return (
    <form class="card propose" aria-label={props.schedule ? 'Schedule a change' : 'Propose a change'} onSubmit={(e) => (e.preventDefault(), void run())}>
      <h3>{props.schedule ? 'Schedule this change' : 'This environment requires approval: propose the change'}</h3>
      <FormErrors error={error} shown={['title', 'description', 'live_from']} />
      <Field label="Title" name="title" error={error}>{(p) => <input {...p} required value={title} onInput={(e) => setTitle(valueOf(e))} />}</Field>
      <Field label="Description" name="description" error={error}>{(p) => <input {...p} value={description} onInput={(e) => setDescription(valueOf(e))} />}</Field>
      <Field label="Goes live at" name="live_from" error={error} hint={props.schedule ? 'Your local time.' : 'Optional: empty means when committed.'}>
        {(p) => <input {...p} type="datetime-local" required={props.schedule} value={liveFrom} onInput={(e) => setLiveFrom(valueOf(e))} />}
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy}>{props.schedule && !requiresChangeRequests(props.env) ? 'Schedule change' : 'Create change request'}</button>
        <button type="button" class="secondary" onClick={props.onDone}>Cancel</button>
      </div>
    </form>
  );
}
