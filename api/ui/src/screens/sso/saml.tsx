// A SAML configuration: IdP metadata pasted or uploaded, the SP entity ID and ACS URL to give the IdP, attribute
// mappings.
import { useState } from 'preact/hooks';
import { del, get, patch, post } from '../../api';
import { Field, FieldMessages, FormErrors, Loaded, PageHeader, notify, notifyError, useAsync, useId, useSubmit, valueOf } from '../../components/ui';
import { Link, navigate } from '../../router';
import type { ScreenProps } from '../../routes';
import { apiBase } from '../../settings';
import type { Organisation } from '../../types';
import { type SamlConfiguration, type SamlMapping, type SpMetadata, LOCAL_FIELDS, type LocalField, FIELD_LABELS, SSO, orgName, Check, CopyRow } from './shared';

// ---- SAML ---------------------------------------------------------------------------------------------------------

export function SamlConfigurationScreen({ ws, params }: ScreenProps) {
  const name = params.name!;
  const isNew = name === 'new';
  const config = useAsync(() => (isNew ? Promise.resolve(null) : get<SamlConfiguration>(`auth/saml/configuration/${encodeURIComponent(name)}/`)), [name]);
  const remove = async (c: SamlConfiguration) => {
    if (!confirm(`Delete the SAML configuration ${c.name}? People of ${orgName(ws.orgs, c.organisation)} can no longer sign in through it.`)) return;
    try {
      await del(`auth/saml/configuration/${encodeURIComponent(c.name)}/`);
      notify(`SAML configuration ${c.name} deleted.`);
      navigate(SSO);
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <section>
      <p class="crumb small"><Link href={SSO}>Single sign-on</Link></p>
      <PageHeader title={isNew ? 'New SAML configuration' : `SAML · ${name}`}>
        {config.data && <button type="button" class="danger" onClick={() => void remove(config.data!)}>Delete configuration</button>}
      </PageHeader>
      <Loaded state={config}>
        {(c) => (
          <>
            {c && <SpDetails name={c.name} />}
            <SamlForm key={c?.id ?? 0} config={c} orgs={ws.orgs ?? []} onSaved={(saved) => (c ? config.setData(saved) : navigate(`${SSO}/saml/${encodeURIComponent(saved.name)}`))} />
            {c && <Mappings config={c} />}
          </>
        )}
      </Loaded>
    </section>
  );
}

function SpDetails({ name }: { name: string }) {
  const sp = useAsync(() => get<SpMetadata>(`auth/saml/${encodeURIComponent(name)}/metadata/?format=json`), [name]);
  const download = new URL(`auth/saml/${encodeURIComponent(name)}/metadata/?format=xml`, apiBase()).href;
  return (
    <section class="card" aria-labelledby="sp-heading">
      <h2 id="sp-heading">For your identity provider</h2>
      <p class="muted small">Register flagstack at the identity provider with these values, or give it the metadata file.</p>
      <Loaded state={sp}>
        {(d) => (
          <dl class="facts">
            <CopyRow label="Entity ID" value={d.entity_id} testId="sp-entity-id" />
            <CopyRow label="ACS URL" value={d.response_url} testId="sp-acs-url" />
            <dt>Metadata</dt>
            <dd>
              <a href={download} download={`flagstack-${name}-sp-metadata.xml`}>Download SP metadata</a>
            </dd>
          </dl>
        )}
      </Loaded>
    </section>
  );
}

function SamlForm({ config, orgs, onSaved }: { config: SamlConfiguration | null; orgs: Organisation[]; onSaved: (c: SamlConfiguration) => void }) {
  const [form, setForm] = useState({
    name: config?.name ?? '',
    organisation: String(config?.organisation ?? orgs[0]?.id ?? ''),
    frontend_url: config?.frontend_url ?? `${location.origin}/`,
    idp_metadata_xml: config?.idp_metadata_xml ?? '',
    allow_idp_initiated: config?.allow_idp_initiated ?? false,
    want_response_signed: config?.want_response_signed ?? false,
  });
  const [fileError, setFileError] = useState<string[]>([]);
  const save = useSubmit(async () => {
    const body = {
      frontend_url: form.frontend_url,
      idp_metadata_xml: form.idp_metadata_xml.trim() === '' ? null : form.idp_metadata_xml,
      allow_idp_initiated: form.allow_idp_initiated,
      want_response_signed: form.want_response_signed,
    };
    const saved = config
      ? await patch<SamlConfiguration>(`auth/saml/configuration/${encodeURIComponent(config.name)}/`, body)
      : await post<SamlConfiguration>('auth/saml/configuration/', { ...body, name: form.name, organisation: Number(form.organisation) });
    notify(`SAML configuration ${saved.name} saved.`);
    onSaved(saved);
  });
  const readFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    setFileError([]);
    if (!file) return;
    try {
      setForm({ ...form, idp_metadata_xml: await file.text() });
    } catch (err) {
      setFileError([`The file could not be read: ${(err as Error).message}`]);
    }
  };
  const fileId = useId('file');
  return (
    <form class="card" aria-label={config ? 'SAML settings' : 'New SAML configuration'} onSubmit={(e) => (e.preventDefault(), void save.run())}>
      {config && <h2>Settings</h2>}
      <FormErrors error={save.error} shown={['name', 'organisation', 'frontend_url', 'idp_metadata_xml', 'allow_idp_initiated', 'want_response_signed']} />
      {config ? (
        <dl class="facts">
          <dt>Name</dt>
          <dd>{config.name}</dd>
          <dt>Organisation</dt>
          <dd>{orgName(orgs, config.organisation)}</dd>
        </dl>
      ) : (
        <div class="grid2">
          <Field label="Name" name="name" error={save.error} hint="Letters, digits, - and _. It is part of the URLs the identity provider knows and cannot change.">
            {(p) => <input {...p} required pattern="[A-Za-z0-9_\-]+" maxLength={100} value={form.name} onInput={(e) => setForm({ ...form, name: valueOf(e) })} />}
          </Field>
          <Field label="Organisation" name="organisation" error={save.error} hint="People who sign in through it join this organisation.">
            {(p) => (
              <select {...p} required value={form.organisation} onChange={(e) => setForm({ ...form, organisation: valueOf(e) })}>
                {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
              </select>
            )}
          </Field>
        </div>
      )}
      <Field label="Front-end URL" name="frontend_url" error={save.error} hint="Where people land after signing in: this UI's address.">
        {(p) => <input {...p} type="url" required value={form.frontend_url} onInput={(e) => setForm({ ...form, frontend_url: valueOf(e) })} />}
      </Field>
      <Field label="IdP metadata XML" name="idp_metadata_xml" error={save.error} hint="Paste the identity provider's metadata, or load the file below. Without it nobody can sign in.">
        {(p) => <textarea {...p} class="mono" rows={8} spellcheck={false} value={form.idp_metadata_xml} onInput={(e) => setForm({ ...form, idp_metadata_xml: valueOf(e) })} />}
      </Field>
      <div class="field">
        <label for={fileId}>Load the metadata from a file</label>
        <input id={fileId} type="file" accept=".xml,application/xml,text/xml,application/samlmetadata+xml" onChange={(e) => void readFile(e)} aria-describedby={fileError.length ? `${fileId}-err` : undefined} />
        <FieldMessages id={`${fileId}-err`} messages={fileError} />
      </div>
      <Check
        label="Allow sign-in started at the identity provider (IdP-initiated)"
        name="allow_idp_initiated"
        error={save.error}
        value={form.allow_idp_initiated}
        onChange={(v) => setForm({ ...form, allow_idp_initiated: v })}
      />
      <Check
        label="Require the whole response to be signed"
        name="want_response_signed"
        error={save.error}
        hint="Assertions must be signed in any case."
        value={form.want_response_signed}
        onChange={(v) => setForm({ ...form, want_response_signed: v })}
      />
      <div class="actions">
        <button type="submit" disabled={save.busy}>{config ? 'Save settings' : 'Create SAML configuration'}</button>
      </div>
    </form>
  );
}

function Mappings({ config }: { config: SamlConfiguration }) {
  const mappings = useAsync(() => get<SamlMapping[]>(`auth/saml/attribute-mapping/?saml_configuration=${config.id}`), [config.id]);
  const used = new Set((mappings.data ?? []).map((m) => m.django_attribute_name));
  const free = LOCAL_FIELDS.filter((f) => !used.has(f));
  const [form, setForm] = useState<{ django_attribute_name: string; idp_attribute_name: string }>({ django_attribute_name: '', idp_attribute_name: '' });
  const add = useSubmit(async () => {
    const field = form.django_attribute_name || free[0];
    await post('auth/saml/attribute-mapping/', { saml_configuration: config.id, django_attribute_name: field, idp_attribute_name: form.idp_attribute_name });
    notify(`${FIELD_LABELS[field as LocalField] ?? field} now comes from ${form.idp_attribute_name}.`);
    setForm({ django_attribute_name: '', idp_attribute_name: '' });
    mappings.reload();
  });
  const remove = async (m: SamlMapping) => {
    if (!confirm(`Stop mapping ${FIELD_LABELS[m.django_attribute_name]} from ${m.idp_attribute_name}? The usual attribute names apply again.`)) return;
    try {
      await del(`auth/saml/attribute-mapping/${m.id}/`);
      mappings.reload();
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <section class="card" aria-labelledby="mappings-heading">
      <h2 id="mappings-heading">Attribute mappings</h2>
      <p class="muted small">Which SAML attribute fills each user field. Unmapped fields use the usual names (mail, givenName, sn, the claims URIs…).</p>
      <Loaded state={mappings}>
        {(list) =>
          list.length === 0 ? (
            <p>No mappings: the usual attribute names apply.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">User field</th>
                  <th scope="col">SAML attribute</th>
                  <th scope="col"><span class="visually-hidden">Remove</span></th>
                </tr>
              </thead>
              <tbody>
                {list.map((m) => (
                  <tr key={m.id}>
                    <td>{FIELD_LABELS[m.django_attribute_name] ?? m.django_attribute_name}</td>
                    <td class="break"><code>{m.idp_attribute_name}</code></td>
                    <td><button type="button" class="danger small" aria-label={`Remove the mapping of ${FIELD_LABELS[m.django_attribute_name]}`} onClick={() => void remove(m)}>Remove</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      {mappings.data && free.length > 0 && (
        <form class="inline-form" aria-label="Add an attribute mapping" onSubmit={(e) => (e.preventDefault(), void add.run())}>
          <FormErrors error={add.error} shown={['django_attribute_name', 'idp_attribute_name']} />
          <Field label="User field" name="django_attribute_name" error={add.error}>
            {(p) => (
              <select {...p} value={form.django_attribute_name || free[0]} onChange={(e) => setForm({ ...form, django_attribute_name: valueOf(e) })}>
                {free.map((f) => <option key={f} value={f}>{FIELD_LABELS[f]}</option>)}
              </select>
            )}
          </Field>
          <Field label="SAML attribute" name="idp_attribute_name" error={add.error}>
            {(p) => <input {...p} required maxLength={500} value={form.idp_attribute_name} onInput={(e) => setForm({ ...form, idp_attribute_name: valueOf(e) })} />}
          </Field>
          <button type="submit" disabled={add.busy}>Add mapping</button>
        </form>
      )}
    </section>
  );
}
