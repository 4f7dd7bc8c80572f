// Identities of an environment (paged, searchable) and one identity's traits and flag overrides.
import { useEffect, useState } from 'preact/hooks';
import { all, del, get, patch, post, qs, type Page } from '../api';
import { Disclosure, Field, FieldMessages, FormErrors, Loaded, PageHeader, Pager, Switch, formatDate, notify, notifyError, useAsync, useSubmit, valueOf } from '../components/ui';
import { Link, navigate, setQuery } from '../router';
import type { ScreenProps } from '../routes';
import type { Feature, FeatureState, Identity, Trait } from '../types';
import { formatValue, parseValue } from './features';

const PAGE_SIZE = 20;

export function IdentityList({ ws, params, query }: ScreenProps) {
  const envKey = params.env!;
  const project = Number(params.project);
  const page = Number(query.get('page') ?? '1') || 1;
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const identities = useAsync(() => get<Page<Identity>>(`environments/${envKey}/identities/${qs({ page, page_size: PAGE_SIZE, q })}`), [envKey, page, q]);
  useEffect(() => {
    const t = setTimeout(() => text !== q && setQuery({ q: text, page: null }), 250);
    return () => clearTimeout(t);
  }, [text]); // eslint-disable-line react-hooks/exhaustive-deps
  const [identifier, setIdentifier] = useState('');
  const create = useSubmit(async () => {
    const created = await post<Identity>(`environments/${envKey}/identities/`, { identifier });
    notify(`Identity ${created.identifier} created.`);
    navigate(`/projects/${project}/environments/${envKey}/identities/${created.id}`);
  });
  return (
    <section>
      <PageHeader title={`Identities${ws.env ? ` · ${ws.env.name}` : ''}`} />
      <Disclosure label="New identity">
        {() => (
          <form class="inline-form" onSubmit={(e) => (e.preventDefault(), void create.run())}>
            <FormErrors error={create.error} shown={['identifier']} />
            <Field label="Identifier" name="identifier" error={create.error} hint="Your user id, as the SDKs send it.">
              {(p) => <input {...p} required value={identifier} onInput={(e) => setIdentifier(valueOf(e))} />}
            </Field>
            <button type="submit" disabled={create.busy}>Create identity</button>
          </form>
        )}
      </Disclosure>
      <div class="filters" role="search">
        <Field label="Search identities" hint='Starts with; put the identifier in "quotes" for an exact match.'>
          {(p) => <input {...p} type="search" value={text} onInput={(e) => setText(valueOf(e))} />}
        </Field>
      </div>
      <Loaded state={identities}>
        {(list) => (
          <>
            {list.results.length === 0 ? (
              <p>{q ? 'No identity matches.' : 'No identities yet: they appear when SDKs identify users.'}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Identifier</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {list.results.map((i) => (
                    <tr key={i.id}>
                      <td><Link href={`/projects/${project}/environments/${envKey}/identities/${i.id}`}>{i.identifier}</Link></td>
                      <td>{formatDate(i.created_date)}</td>
                    </tr>
                  ))}
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

export function IdentityDetail({ params }: ScreenProps) {
  const envKey = params.env!;
  const project = Number(params.project);
  const id = Number(params.identity);
  const identity = useAsync(() => get<Identity>(`environments/${envKey}/identities/${id}/`), [envKey, id]);
  const remove = async () => {
    if (!confirm('Delete this identity with its traits and overrides?')) return;
    try {
      await del(`environments/${envKey}/identities/${id}/`);
      notify('Identity deleted.');
      navigate(`/projects/${project}/environments/${envKey}/identities`);
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <section>
      <p class="crumb"><Link href={`/projects/${project}/environments/${envKey}/identities`}>← Identities</Link></p>
      <PageHeader title={identity.data ? `Identity · ${identity.data.identifier}` : 'Identity'}>
        <button type="button" class="danger" onClick={() => void remove()}>Delete identity</button>
      </PageHeader>
      <Loaded state={identity}>
        {() => (
          <>
            <Traits envKey={envKey} id={id} />
            <Overrides envKey={envKey} id={id} project={project} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function Traits({ envKey, id }: { envKey: string; id: number }) {
  const traits = useAsync(() => get<Trait[]>(`environments/${envKey}/identities/${id}/traits/`), [envKey, id]);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const add = useSubmit(async () => {
    await post(`environments/${envKey}/identities/${id}/traits/`, { trait_key: key, trait_value: parseValue(value) ?? '' });
    setKey('');
    setValue('');
    notify(`Trait ${key} saved.`);
    traits.reload();
  });
  const remove = async (t: Trait) => {
    try {
      await del(`environments/${envKey}/identities/${id}/traits/${t.id}/`);
      traits.reload();
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <section class="card" aria-labelledby="traits">
      <h2 id="traits">Traits</h2>
      <Loaded state={traits}>
        {(list) =>
          list.length === 0 ? (
            <p class="muted">No traits.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Trait</th>
                  <th scope="col">Value</th>
                  <th scope="col"><span class="visually-hidden">Delete</span></th>
                </tr>
              </thead>
              <tbody>
                {list.map((t) => (
                  <tr key={t.id}>
                    <td>{t.trait_key}</td>
                    <td><code>{formatValue(t.trait_value)}</code></td>
                    <td><button type="button" class="danger small" aria-label={`Delete trait ${t.trait_key}`} onClick={() => void remove(t)}>Delete</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      <form class="inline-form" aria-label="Set a trait" onSubmit={(e) => (e.preventDefault(), void add.run())}>
        <FormErrors error={add.error} shown={['trait_key', 'trait_value']} />
        <Field label="Trait" name="trait_key" error={add.error}>{(p) => <input {...p} required value={key} onInput={(e) => setKey(valueOf(e))} />}</Field>
        <Field label="Value" name="trait_value" error={add.error} hint="42 and true keep their type.">{(p) => <input {...p} value={value} onInput={(e) => setValue(valueOf(e))} />}</Field>
        <button type="submit" disabled={add.busy}>Set trait</button>
      </form>
    </section>
  );
}

function Overrides({ envKey, id, project }: { envKey: string; id: number; project: number }) {
  const data = useAsync(async () => {
    const [overrides, features] = await Promise.all([
      get<FeatureState[]>(`environments/${envKey}/identities/${id}/featurestates/`),
      all<Feature>(`projects/${project}/features/`, 100),
    ]);
    return { overrides, features };
  }, [envKey, id, project]);
  const [feature, setFeature] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [value, setValue] = useState('');
  const add = useSubmit(async () => {
    await post(`environments/${envKey}/identities/${id}/featurestates/`, { feature: Number(feature), enabled, ...(value !== '' ? { feature_state_value: parseValue(value) } : {}) });
    setFeature('');
    setValue('');
    notify('Override added.');
    data.reload();
  });
  return (
    <section class="card" aria-labelledby="identity-overrides">
      <h2 id="identity-overrides">Flag overrides for this identity</h2>
      <Loaded state={data}>
        {({ overrides, features }) => (
          <>
            {overrides.length === 0 ? (
              <p class="muted">No overrides: this identity gets the environment's and its segments' values.</p>
            ) : (
              <ul class="overrides">
                {overrides.map((o) => (
                  <IdentityOverride key={o.id} state={o} name={features.find((f) => f.id === o.feature)?.name ?? `Feature ${o.feature}`} envKey={envKey} identity={id} onChange={data.reload} />
                ))}
              </ul>
            )}
            <form class="inline-form" aria-label="Add an identity override" onSubmit={(e) => (e.preventDefault(), void add.run())}>
              <FormErrors error={add.error} shown={['feature', 'feature_state_value', 'enabled']} />
              <Field label="Feature" name="feature" error={add.error}>
                {(p) => (
                  <select {...p} required value={feature} onChange={(e) => setFeature(valueOf(e))}>
                    <option value="">Choose a feature…</option>
                    {features.filter((f) => !overrides.some((o) => o.feature === f.id)).map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
                  </select>
                )}
              </Field>
              <Field label="Value" name="feature_state_value" error={add.error}>{(p) => <input {...p} value={value} onInput={(e) => setValue(valueOf(e))} />}</Field>
              <label class="check">
                <input type="checkbox" checked={enabled} onChange={(e) => setEnabled((e.currentTarget as HTMLInputElement).checked)} />
                Enabled
              </label>
              <button type="submit" disabled={add.busy}>Add override</button>
            </form>
          </>
        )}
      </Loaded>
    </section>
  );
}

function IdentityOverride({ state, name, envKey, identity, onChange }: { state: FeatureState; name: string; envKey: string; identity: number; onChange: () => void }) {
  const [text, setText] = useState<string | null>(null);
  const path = `environments/${envKey}/identities/${identity}/featurestates/${state.id}/`;
  const save = useSubmit(async (changes: Partial<FeatureState>) => {
    await patch(path, { ...changes, version: state.version });
    setText(null);
    notify(`Override of ${name} saved.`);
    onChange();
  });
  const remove = async () => {
    try {
      await del(path);
      notify(`Override of ${name} removed.`);
      onChange();
    } catch (e) {
      notifyError(e);
    }
  };
  const current = text ?? (state.feature_state_value === null ? '' : String(state.feature_state_value));
  const messages = save.error ? [...save.error.for('feature_state_value'), ...(save.error.fields.detail ?? [])] : [];
  return (
    <li class="override">
      <span class="grow">{name}</span>
      <Switch checked={state.enabled} label={`${name} enabled for this identity`} onChange={(on) => void save.run({ enabled: on })} />
      <span class="value-edit">
        <input aria-label={`Value of ${name} for this identity`} value={current} onInput={(e) => setText(valueOf(e))} />
        <button type="button" class="small" disabled={text === null || save.busy} onClick={() => void save.run({ feature_state_value: parseValue(current) })}>Save</button>
      </span>
      <button type="button" class="danger small" onClick={() => void remove()}>Remove</button>
      <FieldMessages id={`io${state.id}`} messages={messages} />
    </li>
  );
}
