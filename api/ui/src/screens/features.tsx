// The feature list of an environment: on/off switches and values, search, tag filter, paging; create features
// and tags.
import { useEffect, useState } from 'preact/hooks';
import { all, get, patch, post, qs, type Page } from '../api';
import { Disclosure, Field, FormErrors, Loaded, PageHeader, Pager, Switch, notify, notifyError, useAsync, useSubmit, valueOf } from '../components/ui';
import { Link, navigate, setQuery } from '../router';
import type { ScreenProps } from '../routes';
import type { Feature, FeatureState, FlagValue, Tag } from '../types';
import { requiresChangeRequests } from './change-requests';

const PAGE_SIZE = 20;

export function formatValue(value: FlagValue): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Parses what a person typed in a value box: numbers and booleans keep their type, as the API and SDKs do. */
export function parseValue(text: string, type: 'string' | 'auto' = 'auto'): FlagValue {
  if (type === 'string') return text;
  const t = text.trim();
  if (t === '') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d{1,15}$/.test(t)) return Number(t);
  return text;
}

export function TagChips({ ids, tags }: { ids: number[]; tags: Tag[] }) {
  if (ids.length === 0) return null;
  return (
    <span class="tags">
      {ids.map((id) => {
        const tag = tags.find((t) => t.id === id);
        return tag ? (
          <span key={id} class="tag">
            <span class="dot" style={{ background: tag.color }} aria-hidden="true" />
            {tag.label}
          </span>
        ) : null;
      })}
    </span>
  );
}

export function FeatureList({ ws, params, query }: ScreenProps) {
  const project = Number(params.project);
  const envKey = params.env!;
  const page = Number(query.get('page') ?? '1') || 1;
  const search = query.get('search') ?? '';
  const tagFilter = (query.get('tags') ?? '').split(',').filter(Boolean).map(Number);
  const archived = query.get('archived') === '1';
  const [searchText, setSearchText] = useState(search);

  const tags = useAsync(() => get<Tag[]>(`projects/${project}/tags/`), [project]);
  const features = useAsync(
    () => get<Page<Feature>>(`projects/${project}/features/${qs({ page, page_size: PAGE_SIZE, search, tags: tagFilter.join(','), is_archived: archived })}`),
    [project, page, search, tagFilter.join(','), archived],
  );
  const states = useAsync(() => all<FeatureState>(`environments/${envKey}/featurestates/`), [envKey]);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (searchText !== search) setQuery({ search: searchText, page: null });
    }, 250);
    return () => clearTimeout(timer);
  }, [searchText]); // eslint-disable-line react-hooks/exhaustive-deps

  const stateOf = (featureId: number) => states.data?.find((s) => s.feature === featureId);
  // The workspace (this environment's name and whether it requires change requests) loads apart from the list and,
  // after a move between environments, still describes the previous one for a moment: the switches wait for it, so
  // that a toggle neither skips a required change request nor announces itself for the wrong environment.
  const envReady = ws.env?.api_key === envKey;

  const toggle = async (state: FeatureState, enabled: boolean, name: string) => {
    if (requiresChangeRequests(ws.env)) {
      if (!confirm(`${ws.env!.name} requires approval for changes. Create a change request to turn ${name} ${enabled ? 'on' : 'off'}?`)) return;
      try {
        const cr = await post<{ id: number }>(`environments/${envKey}/create-change-request/`, {
          title: `Turn ${name} ${enabled ? 'on' : 'off'} in ${ws.env!.name}`,
          feature_states: [{ feature: state.feature, enabled }],
        });
        notify('Change request created: it needs approval before it can be committed.');
        navigate(`/projects/${project}/environments/${envKey}/change-requests/${cr.id}`);
      } catch (e) {
        notifyError(e);
      }
      return;
    }
    states.setData((old) => (old ?? []).map((s) => (s.id === state.id ? { ...s, enabled } : s)));
    try {
      const saved = await patch<FeatureState>(`environments/${envKey}/featurestates/${state.id}/`, { enabled, version: state.version });
      states.setData((old) => (old ?? []).map((s) => (s.id === saved.id ? saved : s)));
      notify(`${name} is now ${enabled ? 'on' : 'off'} in ${ws.env?.name ?? 'this environment'}.`);
    } catch (e) {
      states.setData((old) => (old ?? []).map((s) => (s.id === state.id ? state : s)));
      notifyError(e);
      states.reload();
    }
  };

  const toggleTag = (id: number) => {
    const next = tagFilter.includes(id) ? tagFilter.filter((t) => t !== id) : [...tagFilter, id];
    setQuery({ tags: next.join(','), page: null });
  };

  return (
    <section>
      <PageHeader title={`Features${ws.env ? ` · ${ws.env.name}` : ''}`} />
      <div class="toolbar">
        <Disclosure label="New feature">
          {(close) => (
            <CreateFeature
              project={project}
              tags={tags.data ?? []}
              onCreated={(f) => {
                close();
                features.reload();
                states.reload();
                notify(`Feature ${f.name} created.`);
              }}
            />
          )}
        </Disclosure>
        <Disclosure label="New tag">
          {(close) => <CreateTag project={project} onCreated={() => (close(), tags.reload())} />}
        </Disclosure>
      </div>
      <div class="filters" role="search">
        <Field label="Search features">
          {(p) => <input {...p} type="search" value={searchText} placeholder="Name contains…" onInput={(e) => setSearchText(valueOf(e))} />}
        </Field>
        {(tags.data ?? []).length > 0 && (
          <fieldset class="tag-filter">
            <legend>Tags</legend>
            {(tags.data ?? []).map((t) => (
              <button key={t.id} type="button" class="tag-toggle" aria-pressed={tagFilter.includes(t.id)} onClick={() => toggleTag(t.id)}>
                <span class="dot" style={{ background: t.color }} aria-hidden="true" />
                {t.label}
              </button>
            ))}
          </fieldset>
        )}
        <label class="check">
          <input type="checkbox" checked={archived} onChange={(e) => setQuery({ archived: (e.currentTarget as HTMLInputElement).checked ? '1' : null, page: null })} />
          Archived only
        </label>
      </div>
      <Loaded state={features}>
        {(list) => (
          <>
            {list.results.length === 0 ? (
              <p>{search || tagFilter.length ? 'No feature matches these filters.' : 'No features yet: create the first one.'}</p>
            ) : (
              <table class="features">
                <caption class="visually-hidden">Features and their state in {ws.env?.name ?? 'this environment'}</caption>
                <thead>
                  <tr>
                    <th scope="col">Feature</th>
                    <th scope="col">Value</th>
                    <th scope="col">Enabled</th>
                  </tr>
                </thead>
                <tbody>
                  {list.results.map((f) => {
                    const s = stateOf(f.id);
                    return (
                      <tr key={f.id} data-feature={f.name}>
                        <td>
                          <Link href={`/projects/${project}/environments/${envKey}/features/${f.id}`} class="feature-name">{f.name}</Link>
                          {f.type === 'MULTIVARIATE' && <span class="badge">multivariate</span>}
                          <TagChips ids={f.tags} tags={tags.data ?? []} />
                          {f.description && <p class="muted small">{f.description}</p>}
                        </td>
                        <td class="value"><code>{s ? formatValue(s.feature_state_value) : '…'}</code></td>
                        <td>
                          {s ? (
                            <Switch checked={s.enabled} disabled={!envReady} label={`${f.name} enabled in ${ws.env?.name ?? 'this environment'}`} onChange={(on) => void toggle(s, on, f.name)} />
                          ) : states.error ? (
                            <span class="field-error">{states.error.message}</span>
                          ) : (
                            '…'
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            <Pager count={list.count} page={page} pageSize={PAGE_SIZE} onPage={(p) => setQuery({ page: p === 1 ? null : p })} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function CreateFeature({ project, tags, onCreated }: { project: number; tags: Tag[]; onCreated: (f: Feature) => void }) {
  const [form, setForm] = useState({ name: '', type: 'STANDARD', default_enabled: false, initial_value: '', description: '', tags: [] as number[], is_server_key_only: false });
  const set = (patchValue: Partial<typeof form>) => setForm({ ...form, ...patchValue });
  const { error, busy, run } = useSubmit(async () => {
    const body = {
      name: form.name,
      type: form.type,
      default_enabled: form.default_enabled,
      initial_value: form.initial_value === '' ? null : parseValue(form.initial_value),
      description: form.description || null,
      tags: form.tags,
      is_server_key_only: form.is_server_key_only,
    };
    onCreated(await post<Feature>(`projects/${project}/features/`, body));
  });
  const fields = ['name', 'type', 'default_enabled', 'initial_value', 'description', 'tags', 'is_server_key_only'];
  return (
    <form onSubmit={(e) => (e.preventDefault(), void run())} aria-label="New feature">
      <FormErrors error={error} shown={fields} />
      <div class="grid2">
        <Field label="Name" name="name" error={error} hint="Letters, digits and _ are safest: SDKs look flags up by this name.">
          {(p) => <input {...p} required value={form.name} onInput={(e) => set({ name: valueOf(e) })} />}
        </Field>
        <Field label="Type" name="type" error={error}>
          {(p) => (
            <select {...p} value={form.type} onChange={(e) => set({ type: valueOf(e) })}>
              <option value="STANDARD">Standard</option>
              <option value="MULTIVARIATE">Multivariate (variants with weights)</option>
            </select>
          )}
        </Field>
        <Field label="Value" name="initial_value" error={error} hint="Optional. 42 and true keep their type; anything else is text.">
          {(p) => <input {...p} value={form.initial_value} onInput={(e) => set({ initial_value: valueOf(e) })} />}
        </Field>
        <Field label="Description" name="description" error={error}>
          {(p) => <input {...p} value={form.description} onInput={(e) => set({ description: valueOf(e) })} />}
        </Field>
      </div>
      <label class="check">
        <input type="checkbox" checked={form.default_enabled} onChange={(e) => set({ default_enabled: (e.currentTarget as HTMLInputElement).checked })} />
        Enabled by default in every environment
      </label>
      <label class="check">
        <input type="checkbox" checked={form.is_server_key_only} onChange={(e) => set({ is_server_key_only: (e.currentTarget as HTMLInputElement).checked })} />
        Server-side only (hidden from client keys)
      </label>
      {tags.length > 0 && (
        <fieldset>
          <legend>Tags</legend>
          {tags.map((t) => (
            <label key={t.id} class="check inline">
              <input
                type="checkbox"
                checked={form.tags.includes(t.id)}
                onChange={(e) => set({ tags: (e.currentTarget as HTMLInputElement).checked ? [...form.tags, t.id] : form.tags.filter((x) => x !== t.id) })}
              />
              {t.label}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" disabled={busy}>Create feature</button>
    </form>
  );
}

function CreateTag({ project, onCreated }: { project: number; onCreated: () => void }) {
  const [label, setLabel] = useState('');
  const [color, setColor] = useState('#3d6bd6');
  const { error, busy, run } = useSubmit(async () => {
    await post(`projects/${project}/tags/`, { label, color });
    notify(`Tag ${label} created.`);
    onCreated();
  });
  return (
    <form onSubmit={(e) => (e.preventDefault(), void run())} class="inline-form" aria-label="New tag">
      <FormErrors error={error} shown={['label', 'color']} />
      <Field label="Tag" name="label" error={error}>
        {(p) => <input {...p} required value={label} onInput={(e) => setLabel(valueOf(e))} />}
      </Field>
      <Field label="Colour" name="color" error={error}>
        {(p) => <input {...p} type="color" value={color} onInput={(e) => setColor(valueOf(e))} />}
      </Field>
      <button type="submit" disabled={busy}>Create tag</button>
    </form>
  );
}

export function goToFeature(project: number, env: string, id: number): void {
  navigate(`/projects/${project}/environments/${env}/features/${id}`);
}
