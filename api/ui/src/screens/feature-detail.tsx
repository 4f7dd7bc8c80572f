// One feature: its settings, its value in every environment, its segment overrides in priority order (arrows
// reorder them through update-priorities) and its multivariate variants with their weights.
import { useState } from 'preact/hooks';
import { all, del, get, patch, post, type ApiError } from '../api';
import { Field, FieldMessages, FormErrors, Loaded, PageHeader, Switch, notify, notifyError, useAsync, useId, useSubmit, valueOf } from '../components/ui';
import { Link, navigate } from '../router';
import type { ScreenProps } from '../routes';
import type { Environment, Feature, FeatureSegment, FeatureState, FlagValue, MvOption, MvStateValue, Segment, Tag } from '../types';
import { TagChips, formatValue, parseValue } from './features';
import { ProposeChange, requiresChangeRequests } from './change-requests';

function valueText(v: FeatureState['feature_state_value']): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
}

export function FeatureDetail({ ws, params }: ScreenProps) {
  const project = Number(params.project);
  const envKey = params.env!;
  const featureId = Number(params.feature);
  const feature = useAsync(() => get<Feature>(`projects/${project}/features/${featureId}/`), [project, featureId]);
  const tags = useAsync(() => get<Tag[]>(`projects/${project}/tags/`), [project]);

  return (
    <section>
      <p class="crumb">
        <Link href={`/projects/${project}/environments/${envKey}/features`}>← Features</Link>
      </p>
      <PageHeader title={feature.data ? feature.data.name : 'Feature'} />
      <Loaded state={feature}>
        {(f) => (
          <>
            <p>
              {f.type === 'MULTIVARIATE' && <span class="badge">multivariate</span>}
              <TagChips ids={f.tags} tags={tags.data ?? []} />
            </p>
            <EnvironmentValues feature={f} envs={ws.envs ?? []} />
            {ws.env && <SegmentOverrides feature={f} env={ws.env} project={project} />}
            {ws.env && <Variants feature={f} env={ws.env} project={project} onChange={feature.reload} />}
            <FeatureSettings feature={f} tags={tags.data ?? []} onSaved={(nf) => feature.setData(nf)} envKey={envKey} />
          </>
        )}
      </Loaded>
    </section>
  );
}

// ---- values per environment -------------------------------------------------------------------------------------

function EnvironmentValues({ feature, envs }: { feature: Feature; envs: Environment[] }) {
  return (
    <section class="card" aria-labelledby="env-values">
      <h2 id="env-values">Value in each environment</h2>
      {envs.length === 0 ? (
        <p>This project has no environments.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Environment</th>
              <th scope="col">Enabled</th>
              <th scope="col">Value</th>
              <th scope="col"><span class="visually-hidden">Save</span></th>
            </tr>
          </thead>
          <tbody>
            {envs.map((e) => <EnvironmentValueRow key={e.id} feature={feature} env={e} project={feature.project} />)}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EnvironmentValueRow({ feature, env, project }: { feature: Feature; env: Environment; project: number }) {
  const state = useAsync(async () => (await all<FeatureState>(`environments/${env.api_key}/featurestates/?feature=${feature.id}`))[0], [env.api_key, feature.id]);
  const [text, setText] = useState<string | null>(null);
  const [proposal, setProposal] = useState<{ change: { enabled?: boolean; feature_state_value?: FlagValue }; schedule: boolean } | null>(null);
  const inputId = useId('v');
  const gated = requiresChangeRequests(env);
  const change = (changes: { enabled?: boolean; feature_state_value?: FlagValue }) => (gated ? setProposal({ change: changes, schedule: false }) : void save.run(changes));
  const save = useSubmit(async (changes: Partial<FeatureState>) => {
    const s = state.data!;
    const saved = await patch<FeatureState>(`environments/${env.api_key}/featurestates/${s.id}/`, { ...changes, version: s.version });
    state.setData(saved);
    setText(null);
    notify(`${feature.name} saved in ${env.name}.`);
  });
  if (state.error) return <tr><th scope="row">{env.name}</th><td colSpan={3} class="field-error">{state.error.message}</td></tr>;
  const s = state.data;
  const current = text ?? (s ? valueText(s.feature_state_value) : '');
  const messages = save.error ? [...save.error.for('feature_state_value'), ...save.error.for('enabled'), ...(save.error.fields.detail ?? []), ...save.error.for('non_field_errors')] : [];
  return (
    <>
    <tr data-env={env.name}>
      <th scope="row">
        {env.name}
        {gated && <span class="badge">approval</span>}
      </th>
      <td>{s ? <Switch checked={s.enabled} label={`Enabled in ${env.name}`} disabled={save.busy} onChange={(on) => change({ enabled: on })} /> : '…'}</td>
      <td>
        <label class="visually-hidden" for={inputId}>Value in {env.name}</label>
        <input
          id={inputId}
          value={current}
          aria-invalid={messages.length ? 'true' : undefined}
          aria-describedby={messages.length ? `${inputId}-err` : undefined}
          onInput={(e) => setText(valueOf(e))}
        />
        <FieldMessages id={`${inputId}-err`} messages={messages} />
      </td>
      <td>
        <span class="row-buttons">
          <button type="button" class="small" disabled={!s || text === null || save.busy} onClick={() => change({ feature_state_value: parseValue(current) })}>
            {gated ? 'Propose' : 'Save'}
          </button>
          <button
            type="button"
            class="secondary small"
            disabled={!s}
            onClick={() => setProposal({ change: { enabled: s!.enabled, feature_state_value: parseValue(current) }, schedule: true })}
          >
            Schedule…
          </button>
        </span>
      </td>
    </tr>
    {proposal && (
      <tr>
        <td colSpan={4}>
          <ProposeChange
            env={env}
            project={project}
            featureId={feature.id}
            change={proposal.change}
            schedule={proposal.schedule}
            defaultTitle={`${feature.name} in ${env.name}: ${proposal.change.enabled === undefined ? '' : proposal.change.enabled ? 'on' : 'off'}${proposal.change.feature_state_value !== undefined ? ` ${formatValue(proposal.change.feature_state_value)}` : ''}`.trim()}
            onDone={() => setProposal(null)}
          />
        </td>
      </tr>
    )}
    </>
  );
}

// ---- segment overrides ------------------------------------------------------------------------------------------

interface OverrideRow {
  fs: FeatureSegment;
  state: FeatureState | undefined;
  segment: Segment | undefined;
}

function SegmentOverrides({ feature, env, project }: { feature: Feature; env: Environment; project: number }) {
  const data = useAsync(async () => {
    const [segmentsList, placements, states] = await Promise.all([
      all<Segment>(`projects/${project}/segments/`, 100),
      get<FeatureSegment[]>(`features/feature-segments/?environment=${env.id}&feature=${feature.id}`),
      all<FeatureState>(`features/featurestates/?environment=${env.id}&feature=${feature.id}`),
    ]);
    const rows: OverrideRow[] = [...placements]
      .sort((a, b) => a.priority - b.priority)
      .map((fs) => ({ fs, state: states.find((s) => s.feature_segment === fs.id), segment: segmentsList.find((s) => s.id === fs.segment) }));
    return { rows, segments: segmentsList };
  }, [env.id, feature.id, project]);

  const move = async (rows: OverrideRow[], index: number, delta: number) => {
    const target = index + delta;
    if (target < 0 || target >= rows.length) return;
    try {
      await post('features/feature-segments/update-priorities/', [{ id: rows[index]!.fs.id, priority: target }]);
      notify(`${rows[index]!.segment?.name ?? 'Override'} moved ${delta < 0 ? 'up' : 'down'}.`);
      data.reload();
    } catch (e) {
      notifyError(e);
    }
  };

  const remove = async (row: OverrideRow) => {
    if (!confirm(`Remove the override for segment ${row.segment?.name ?? row.fs.segment}?`)) return;
    try {
      await del(`features/feature-segments/${row.fs.id}/`);
      notify('Override removed.');
      data.reload();
    } catch (e) {
      notifyError(e);
    }
  };

  return (
    <section class="card" aria-labelledby="overrides">
      <h2 id="overrides">Segment overrides in {env.name}</h2>
      <p class="muted small">The first matching segment wins. Use the arrows to change the order.</p>
      <Loaded state={data}>
        {({ rows, segments }) => (
          <>
            {rows.length === 0 ? (
              <p>No segment overrides.</p>
            ) : (
              <ol class="overrides">
                {rows.map((row, i) => (
                  <OverrideItem
                    key={row.fs.id}
                    row={row}
                    index={i}
                    count={rows.length}
                    project={project}
                    onMove={(d) => void move(rows, i, d)}
                    onRemove={() => void remove(row)}
                    onSaved={data.reload}
                  />
                ))}
              </ol>
            )}
            <AddOverride feature={feature} env={env} segments={segments.filter((s) => !rows.some((r) => r.fs.segment === s.id))} onAdded={data.reload} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function OverrideItem(props: { row: OverrideRow; index: number; count: number; project: number; onMove: (delta: number) => void; onRemove: () => void; onSaved: () => void }) {
  const { row, index, count } = props;
  const [text, setText] = useState<string | null>(null);
  const inputId = useId('o');
  const name = row.segment?.name ?? `Segment ${row.fs.segment}`;
  const save = useSubmit(async (changes: Partial<FeatureState>) => {
    await patch(`features/featurestates/${row.state!.id}/`, { ...changes, version: row.state!.version });
    setText(null);
    notify(`Override for ${name} saved.`);
    props.onSaved();
  });
  const current = text ?? (row.state ? valueText(row.state.feature_state_value) : '');
  const messages = save.error ? [...save.error.for('feature_state_value'), ...(save.error.fields.detail ?? []), ...save.error.for('non_field_errors')] : [];
  return (
    <li class="override" data-segment={name}>
      <span class="priority" aria-label={`Priority ${index + 1}`}>{index + 1}</span>
      <Link href={`/projects/${props.project}/segments/${row.fs.segment}`} class="grow">{name}</Link>
      {row.state && <Switch checked={row.state.enabled} label={`Override for ${name} enabled`} onChange={(on) => void save.run({ enabled: on })} />}
      <span class="value-edit">
        <label class="visually-hidden" for={inputId}>Value for {name}</label>
        <input id={inputId} value={current} onInput={(e) => setText(valueOf(e))} aria-invalid={messages.length ? 'true' : undefined} aria-describedby={messages.length ? `${inputId}-err` : undefined} />
        <button type="button" class="small" disabled={text === null || save.busy} onClick={() => void save.run({ feature_state_value: parseValue(current) })}>Save</button>
      </span>
      <span class="order">
        <button type="button" class="secondary small" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => props.onMove(-1)}>↑</button>
        <button type="button" class="secondary small" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => props.onMove(1)}>↓</button>
        <button type="button" class="danger small" aria-label={`Remove override for ${name}`} onClick={props.onRemove}>Remove</button>
      </span>
      <FieldMessages id={`${inputId}-err`} messages={messages} />
    </li>
  );
}

function AddOverride({ feature, env, segments, onAdded }: { feature: Feature; env: Environment; segments: Segment[]; onAdded: () => void }) {
  const [segment, setSegment] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [value, setValue] = useState('');
  const { error, busy, run } = useSubmit(async () => {
    await post(`environments/${env.api_key}/features/${feature.id}/create-segment-override/`, {
      segment: Number(segment),
      enabled,
      ...(value !== '' ? { feature_state_value: parseValue(value) } : {}),
    });
    setSegment('');
    setValue('');
    notify('Segment override added.');
    onAdded();
  });
  return (
    <form class="inline-form" aria-label="Add a segment override" onSubmit={(e) => (e.preventDefault(), void run())}>
      <h3>Add an override</h3>
      <FormErrors error={error} shown={['segment', 'feature_state_value', 'enabled']} />
      <Field label="Segment" name="segment" error={error}>
        {(p) => (
          <select {...p} required value={segment} onChange={(e) => setSegment(valueOf(e))}>
            <option value="">Choose a segment…</option>
            {segments.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        )}
      </Field>
      <Field label="Value" name="feature_state_value" error={error} hint="Empty keeps the environment's value.">
        {(p) => <input {...p} value={value} onInput={(e) => setValue(valueOf(e))} />}
      </Field>
      <label class="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled((e.currentTarget as HTMLInputElement).checked)} />
        Enabled for this segment
      </label>
      <button type="submit" disabled={busy || segments.length === 0}>Add override</button>
      {segments.length === 0 && <p class="muted small">Every segment of this project already has an override here, or there are none yet.</p>}
    </form>
  );
}

// ---- multivariate -----------------------------------------------------------------------------------------------

function optionLabel(o: MvOption): string {
  return o.type === 'int' ? String(o.integer_value) : o.type === 'bool' ? String(o.boolean_value) : o.string_value ?? '';
}

function Variants({ feature, env, project, onChange }: { feature: Feature; env: Environment; project: number; onChange: () => void }) {
  const options = feature.multivariate_options;
  const state = useAsync(async () => (await all<FeatureState>(`environments/${env.api_key}/featurestates/?feature=${feature.id}`))[0], [env.api_key, feature.id, options.length]);
  const [weights, setWeights] = useState<Record<number, string>>({});
  const save = useSubmit(async () => {
    const s = state.data!;
    const values: MvStateValue[] = options.map((o) => ({
      multivariate_feature_option: o.id,
      percentage_allocation: Number(weights[o.id] ?? weightOf(s, o)),
    }));
    const saved = await patch<FeatureState>(`environments/${env.api_key}/featurestates/${s.id}/`, { multivariate_feature_state_values: values, version: s.version });
    state.setData(saved);
    setWeights({});
    notify(`Weights saved in ${env.name}.`);
  });
  const weightOf = (s: FeatureState | undefined, o: MvOption) =>
    s?.multivariate_feature_state_values.find((m) => m.multivariate_feature_option === o.id)?.percentage_allocation ?? o.default_percentage_allocation;
  const total = options.reduce((sum, o) => sum + Number(weights[o.id] ?? weightOf(state.data, o)), 0);

  const removeOption = async (o: MvOption) => {
    if (!confirm(`Delete the variant ${optionLabel(o)}?`)) return;
    try {
      await del(`projects/${project}/features/${feature.id}/mv-options/${o.id}/`);
      onChange();
    } catch (e) {
      notifyError(e);
    }
  };

  return (
    <section class="card" aria-labelledby="variants">
      <h2 id="variants">Variants and weights in {env.name}</h2>
      {options.length === 0 ? (
        <p class="muted">No variants: every identity gets the value above. Add variants to split identities between values.</p>
      ) : (
        <form onSubmit={(e) => (e.preventDefault(), void save.run())} aria-label="Variant weights">
          <FormErrors error={save.error} shown={[]} />
          <table>
            <thead>
              <tr>
                <th scope="col">Variant value</th>
                <th scope="col">Weight in {env.name} (%)</th>
                <th scope="col"><span class="visually-hidden">Delete</span></th>
              </tr>
            </thead>
            <tbody>
              {options.map((o, i) => (
                <tr key={o.id}>
                  <td><code>{formatValue(optionLabel(o))}</code></td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      max={100}
                      step="any"
                      aria-label={`Weight of ${optionLabel(o)}`}
                      value={weights[o.id] ?? String(weightOf(state.data, o))}
                      onInput={(e) => setWeights({ ...weights, [o.id]: valueOf(e) })}
                    />
                    <FieldMessages id={`w${o.id}`} messages={save.error?.for(`multivariate_feature_state_values[${i}].percentage_allocation`) ?? []} />
                  </td>
                  <td><button type="button" class="danger small" onClick={() => void removeOption(o)}>Delete</button></td>
                </tr>
              ))}
              <tr>
                <td>Control (the environment value)</td>
                <td><output aria-live="polite">{Math.round((100 - total) * 100) / 100}</output></td>
                <td />
              </tr>
            </tbody>
          </table>
          {total > 100 && <p class="field-error" role="alert">The weights add up to {total}%: at most 100% is possible.</p>}
          <button type="submit" disabled={save.busy || !state.data || total > 100}>Save weights</button>
        </form>
      )}
      <AddVariant feature={feature} project={project} onAdded={onChange} />
    </section>
  );
}

function AddVariant({ feature, project, onAdded }: { feature: Feature; project: number; onAdded: () => void }) {
  const [value, setValue] = useState('');
  const [weight, setWeight] = useState('0');
  const { error, busy, run } = useSubmit(async () => {
    const v = parseValue(value);
    const body =
      typeof v === 'number'
        ? { type: 'int', integer_value: v }
        : typeof v === 'boolean'
          ? { type: 'bool', boolean_value: v }
          : { type: 'unicode', string_value: value };
    await post(`projects/${project}/features/${feature.id}/mv-options/`, { ...body, default_percentage_allocation: Number(weight) });
    setValue('');
    notify('Variant added.');
    onAdded();
  });
  const shown = ['string_value', 'integer_value', 'boolean_value', 'type', 'default_percentage_allocation'];
  const valueErrors = error ? ({ for: (n: string) => (n === 'value' ? [...error.for('string_value'), ...error.for('integer_value'), ...error.for('boolean_value')] : error.for(n)) } as unknown as ApiError) : undefined;
  return (
    <form class="inline-form" aria-label="Add a variant" onSubmit={(e) => (e.preventDefault(), void run())}>
      <h3>Add a variant</h3>
      <FormErrors error={error} shown={shown} />
      <Field label="Variant value" name="value" error={valueErrors}>
        {(p) => <input {...p} required value={value} onInput={(e) => setValue(valueOf(e))} />}
      </Field>
      <Field label="Default weight (%)" name="default_percentage_allocation" error={error}>
        {(p) => <input {...p} type="number" min={0} max={100} step="any" value={weight} onInput={(e) => setWeight(valueOf(e))} />}
      </Field>
      <button type="submit" disabled={busy}>Add variant</button>
    </form>
  );
}

// ---- settings ---------------------------------------------------------------------------------------------------

function FeatureSettings({ feature, tags, onSaved, envKey }: { feature: Feature; tags: Tag[]; onSaved: (f: Feature) => void; envKey: string }) {
  const [form, setForm] = useState({ description: feature.description ?? '', tags: feature.tags, is_server_key_only: feature.is_server_key_only, is_archived: feature.is_archived });
  const { error, busy, run } = useSubmit(async () => {
    onSaved(await patch<Feature>(`projects/${feature.project}/features/${feature.id}/`, { ...form, description: form.description || null }));
    notify('Feature settings saved.');
  });
  const remove = async () => {
    if (!confirm(`Delete ${feature.name} from every environment? SDKs will stop seeing it.`)) return;
    try {
      await del(`projects/${feature.project}/features/${feature.id}/`);
      notify(`${feature.name} deleted.`);
      navigate(`/projects/${feature.project}/environments/${envKey}/features`);
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <section class="card" aria-labelledby="settings">
      <h2 id="settings">Settings</h2>
      <form onSubmit={(e) => (e.preventDefault(), void run())}>
        <FormErrors error={error} shown={['description', 'tags', 'is_server_key_only', 'is_archived']} />
        <Field label="Description" name="description" error={error}>
          {(p) => <textarea {...p} rows={2} value={form.description} onInput={(e) => setForm({ ...form, description: valueOf(e) })} />}
        </Field>
        {tags.length > 0 && (
          <fieldset>
            <legend>Tags</legend>
            {tags.map((t) => (
              <label key={t.id} class="check inline">
                <input
                  type="checkbox"
                  checked={form.tags.includes(t.id)}
                  onChange={(e) => setForm({ ...form, tags: (e.currentTarget as HTMLInputElement).checked ? [...form.tags, t.id] : form.tags.filter((x) => x !== t.id) })}
                />
                {t.label}
              </label>
            ))}
            <FieldMessages id="tags-err" messages={error?.for('tags') ?? []} />
          </fieldset>
        )}
        <label class="check">
          <input type="checkbox" checked={form.is_server_key_only} onChange={(e) => setForm({ ...form, is_server_key_only: (e.currentTarget as HTMLInputElement).checked })} />
          Server-side only
        </label>
        <label class="check">
          <input type="checkbox" checked={form.is_archived} onChange={(e) => setForm({ ...form, is_archived: (e.currentTarget as HTMLInputElement).checked })} />
          Archived
        </label>
        <div class="actions">
          <button type="submit" disabled={busy}>Save settings</button>
          <button type="button" class="danger" onClick={() => void remove()}>Delete feature</button>
        </div>
      </form>
    </section>
  );
}
