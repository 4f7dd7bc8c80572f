// Segments: a paged, searchable list and the rule editor (nested ALL/ANY/NONE groups; every operator, each with
// a hint for the format of its value). Errors name the path of the rule or condition they concern.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, put, qs, type ApiError, type Page } from '../api';
import { Field, FieldMessages, FormErrors, Loaded, PageHeader, Pager, notify, notifyError, useAsync, useId, useSubmit, valueOf } from '../components/ui';
import { Link, navigate, setQuery } from '../router';
import type { ScreenProps } from '../routes';
import { RULE_TYPES, type Condition, type Rule, type RuleType, type Segment } from '../types';

const PAGE_SIZE = 20;

/** Every operator the engine knows, with what its value must look like. */
export const OPERATORS: Array<{ id: string; label: string; hint: string; noProperty?: boolean; noValue?: boolean }> = [
  { id: 'EQUAL', label: 'equals', hint: 'Exact match. Numbers and booleans compare as such: 42, 3.5, true; anything else as text.' },
  { id: 'NOT_EQUAL', label: 'does not equal', hint: 'Like "equals", negated.' },
  { id: 'GREATER_THAN', label: '>', hint: 'A number (10, 2.5), or a version with a :semver suffix (1.4.0:semver).' },
  { id: 'GREATER_THAN_INCLUSIVE', label: '≥', hint: 'A number, or a version with a :semver suffix (1.4.0:semver).' },
  { id: 'LESS_THAN', label: '<', hint: 'A number, or a version with a :semver suffix (2.0.0:semver).' },
  { id: 'LESS_THAN_INCLUSIVE', label: '≤', hint: 'A number, or a version with a :semver suffix (2.0.0:semver).' },
  { id: 'CONTAINS', label: 'contains', hint: 'Text the trait value must contain, e.g. @example.com.' },
  { id: 'NOT_CONTAINS', label: 'does not contain', hint: 'Text the trait value must not contain.' },
  { id: 'IN', label: 'is one of', hint: 'A comma-separated list, no spaces around commas: gb,fr,de.' },
  { id: 'REGEX', label: 'matches regex', hint: 'A Python regular expression matched at the start: ^.+@example\\.com$.' },
  { id: 'MODULO', label: 'modulo', hint: 'divisor|remainder on a numeric trait: 2|0 matches even numbers.' },
  { id: 'PERCENTAGE_SPLIT', label: 'percentage split', hint: 'A percentage 0–100 of identities, e.g. 25. Needs no trait.', noProperty: true },
  { id: 'IS_SET', label: 'is set', hint: 'The identity has this trait. Needs no value.', noValue: true },
  { id: 'IS_NOT_SET', label: 'is not set', hint: 'The identity does not have this trait. Needs no value.', noValue: true },
];

const RULE_LABELS: Record<RuleType, string> = { ALL: 'All of these match', ANY: 'Any of these matches', NONE: 'None of these matches' };

export function SegmentList({ ws, params, query }: ScreenProps) {
  const project = Number(params.project);
  const page = Number(query.get('page') ?? '1') || 1;
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const segments = useAsync(() => get<Page<Segment>>(`projects/${project}/segments/${qs({ page, page_size: PAGE_SIZE, q })}`), [project, page, q]);
  useEffect(() => {
    const t = setTimeout(() => text !== q && setQuery({ q: text, page: null }), 250);
    return () => clearTimeout(t);
  }, [text]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <section>
      <PageHeader title={`Segments${ws.project ? ` · ${ws.project.name}` : ''}`}>
        <Link class="button" href={`/projects/${project}/segments/new`}>New segment</Link>
      </PageHeader>
      <div class="filters" role="search">
        <Field label="Search segments">{(p) => <input {...p} type="search" value={text} onInput={(e) => setText(valueOf(e))} />}</Field>
      </div>
      <Loaded state={segments}>
        {(list) => (
          <>
            {list.results.length === 0 ? (
              <p>{q ? 'No segment matches.' : 'No segments yet.'}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Segment</th>
                    <th scope="col">Description</th>
                    <th scope="col">Conditions</th>
                  </tr>
                </thead>
                <tbody>
                  {list.results.map((s) => (
                    <tr key={s.id}>
                      <td><Link href={`/projects/${project}/segments/${s.id}`}>{s.name}</Link></td>
                      <td>{s.description ?? ''}</td>
                      <td>{countConditions(s.rules)}</td>
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

function countConditions(rules: Rule[]): number {
  return rules.reduce((n, r) => n + r.conditions.length + countConditions(r.rules), 0);
}

const emptyCondition = (): Condition => ({ property: '', operator: 'EQUAL', value: '' });
const emptyRule = (type: RuleType = 'ANY'): Rule => ({ type, rules: [], conditions: [emptyCondition()] });

export function SegmentEditor({ params }: ScreenProps) {
  const project = Number(params.project);
  const isNew = params.segment === 'new';
  const segment = useAsync(
    () => (isNew ? Promise.resolve<Segment | null>(null) : get<Segment>(`projects/${project}/segments/${params.segment}/`)),
    [project, params.segment],
  );
  return (
    <section>
      <p class="crumb"><Link href={`/projects/${project}/segments`}>← Segments</Link></p>
      <PageHeader title={isNew ? 'New segment' : segment.data ? `Segment · ${segment.data.name}` : 'Segment'} />
      <Loaded state={segment}>
        {(s) => <SegmentForm key={s?.id ?? 'new'} project={project} segment={s} onSaved={(saved) => (isNew ? navigate(`/projects/${project}/segments/${saved.id}`, { replace: true }) : segment.setData(saved))} />}
      </Loaded>
    </section>
  );
}

function SegmentForm({ project, segment, onSaved }: { project: number; segment: Segment | null; onSaved: (s: Segment) => void }) {
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [rules, setRules] = useState<Rule[]>(segment?.rules.length ? segment.rules : [{ type: 'ALL', rules: [emptyRule('ANY')], conditions: [] }]);
  const { error, busy, run } = useSubmit(async () => {
    const body = { name, description: description || null, rules: clean(rules), ...(segment ? { version: segment.version } : {}) };
    const saved = segment ? await put<Segment>(`projects/${project}/segments/${segment.id}/`, body) : await post<Segment>(`projects/${project}/segments/`, body);
    notify(`Segment ${saved.name} saved.`);
    onSaved(saved);
  });
  const remove = async () => {
    if (!segment || !confirm(`Delete the segment ${segment.name} and its overrides?`)) return;
    try {
      await del(`projects/${project}/segments/${segment.id}/`);
      notify(`Segment ${segment.name} deleted.`);
      navigate(`/projects/${project}/segments`);
    } catch (e) {
      notifyError(e);
    }
  };
  const ruleFieldsShown = error ? Object.keys(error.fields).filter((k) => k.startsWith('rules')) : [];
  return (
    <form onSubmit={(e) => (e.preventDefault(), void run())} aria-label="Segment">
      <FormErrors error={error} shown={['name', 'description', ...ruleFieldsShown]} />
      <div class="grid2">
        <Field label="Name" name="name" error={error}>{(p) => <input {...p} required value={name} onInput={(e) => setName(valueOf(e))} />}</Field>
        <Field label="Description" name="description" error={error}>{(p) => <input {...p} value={description} onInput={(e) => setDescription(valueOf(e))} />}</Field>
      </div>
      <h2>Rules</h2>
      <p class="muted small">An identity is in the segment when every top-level group matches.</p>
      <FieldMessages id="rules-err" messages={error?.for('rules') ?? []} />
      {rules.map((rule, i) => (
        <RuleEditor
          key={i}
          rule={rule}
          path={`rules[${i}]`}
          error={error}
          depth={0}
          onChange={(r) => setRules(rules.map((x, j) => (j === i ? r : x)))}
          onRemove={rules.length > 1 ? () => setRules(rules.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => setRules([...rules, { type: 'ALL', rules: [emptyRule('ANY')], conditions: [] }])}>Add a top-level group</button>
        <button type="submit" disabled={busy}>{segment ? 'Save segment' : 'Create segment'}</button>
        {segment && <button type="button" class="danger" onClick={() => void remove()}>Delete segment</button>}
      </div>
    </form>
  );
}

/** Drops the UI-only empty strings: no property for percentage splits, no value for IS_SET / IS_NOT_SET. */
function clean(rules: Rule[]): Rule[] {
  return rules.map((r) => ({
    type: r.type,
    rules: clean(r.rules),
    conditions: r.conditions.map((c) => {
      const op = OPERATORS.find((o) => o.id === c.operator);
      return { operator: c.operator, property: op?.noProperty ? null : c.property, value: op?.noValue ? null : c.value };
    }),
  }));
}

function RuleEditor(props: { rule: Rule; path: string; error?: ApiError; depth: number; onChange: (r: Rule) => void; onRemove?: () => void }) {
  const { rule, path, error, depth } = props;
  const typeId = useId('rt');
  const set = (patch: Partial<Rule>) => props.onChange({ ...rule, ...patch });
  return (
    <fieldset class={`rule depth-${Math.min(depth, 3)}`}>
      <legend class="visually-hidden">Rule group {path}</legend>
      <div class="rule-head">
        <label for={typeId}>Group</label>
        <select id={typeId} value={rule.type} onChange={(e) => set({ type: valueOf(e) as RuleType })}>
          {RULE_TYPES.map((t) => <option key={t} value={t}>{RULE_LABELS[t]}</option>)}
        </select>
        {props.onRemove && <button type="button" class="danger small" onClick={props.onRemove}>Remove group</button>}
      </div>
      <FieldMessages id={`${path}-err`} messages={[...(error?.for(path) ?? []), ...(error?.for(`${path}.type`) ?? [])]} />
      {rule.conditions.map((c, i) => (
        <ConditionEditor
          key={i}
          condition={c}
          path={`${path}.conditions[${i}]`}
          error={error}
          onChange={(nc) => set({ conditions: rule.conditions.map((x, j) => (j === i ? nc : x)) })}
          onRemove={() => set({ conditions: rule.conditions.filter((_, j) => j !== i) })}
        />
      ))}
      {rule.rules.map((r, i) => (
        <RuleEditor
          key={i}
          rule={r}
          path={`${path}.rules[${i}]`}
          error={error}
          depth={depth + 1}
          onChange={(nr) => set({ rules: rule.rules.map((x, j) => (j === i ? nr : x)) })}
          onRemove={() => set({ rules: rule.rules.filter((_, j) => j !== i) })}
        />
      ))}
      <div class="actions">
        <button type="button" class="secondary small" onClick={() => set({ conditions: [...rule.conditions, emptyCondition()] })}>Add condition</button>
        {depth < 5 && <button type="button" class="secondary small" onClick={() => set({ rules: [...rule.rules, emptyRule('ANY')] })}>Add nested group</button>}
      </div>
    </fieldset>
  );
}

function ConditionEditor(props: { condition: Condition; path: string; error?: ApiError; onChange: (c: Condition) => void; onRemove: () => void }) {
  const { condition: c, path, error } = props;
  const op = OPERATORS.find((o) => o.id === c.operator) ?? OPERATORS[0]!;
  const set = (patch: Partial<Condition>) => props.onChange({ ...c, ...patch });
  const errs = (f: string) => error?.for(`${path}.${f}`) ?? [];
  return (
    <div class="condition" role="group" aria-label="Condition">
      <Field label="Trait" class="property" error={error} name={`${path}.property`}>
        {(p) => <input {...p} value={op.noProperty ? '' : c.property ?? ''} disabled={op.noProperty} placeholder={op.noProperty ? '(not used)' : 'e.g. plan'} onInput={(e) => set({ property: valueOf(e) })} />}
      </Field>
      <Field label="Operator" class="operator" error={error} name={`${path}.operator`}>
        {(p) => (
          <select {...p} value={c.operator} onChange={(e) => set({ operator: valueOf(e) })}>
            {OPERATORS.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
          </select>
        )}
      </Field>
      <Field label="Value" class="cond-value" error={error} name={`${path}.value`} hint={op.hint}>
        {(p) => <input {...p} value={op.noValue ? '' : c.value ?? ''} disabled={op.noValue} onInput={(e) => set({ value: valueOf(e) })} />}
      </Field>
      <button type="button" class="danger small remove" aria-label="Remove condition" onClick={props.onRemove}>×</button>
      <FieldMessages id={`${path}-other`} messages={[...errs('description'), ...(error?.for(path) ?? [])]} />
    </div>
  );
}
