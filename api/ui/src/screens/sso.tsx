// Instance administration of sign-in (loaded on demand: only instance admins open it, so it stays out of the main
// bundle): SAML configurations per organisation (IdP metadata pasted or uploaded, the SP entity ID and ACS URL to give
// the IdP, attribute mappings), OIDC/GitHub providers (the client secret is write-only: a "configured" badge and a
// field to replace it), and the LDAP settings, read-only, as the API masks them.
import { useState } from 'preact/hooks';
import { del, get, patch, post, type ApiError } from '../api';
import { CopyButton, Field, FieldMessages, FormErrors, Loaded, PageHeader, notify, notifyError, useAsync, useId, useSubmit, valueOf } from '../components/ui';
import { Link, navigate } from '../router';
import type { ScreenProps } from '../routes';
import { apiBase } from '../settings';
import type { Organisation, SettingLine } from '../types';

// ---- shapes (the API's) -------------------------------------------------------------------------------------------

interface SamlConfiguration {
  id: number;
  name: string;
  organisation: number;
  frontend_url: string;
  idp_metadata_xml: string | null;
  allow_idp_initiated: boolean;
  want_response_signed: boolean;
}

interface SamlMapping {
  id: number;
  saml_configuration: number;
  django_attribute_name: LocalField;
  idp_attribute_name: string;
}

interface SpMetadata {
  entity_id: string;
  response_url: string;
  metadata_xml: string;
}

interface OidcProvider {
  id: number;
  name: string;
  kind: 'oidc' | 'github';
  issuer: string;
  client_id: string;
  client_secret_configured: boolean;
  scopes: string[];
  email_claim: string;
  first_name_claim: string;
  last_name_claim: string;
  groups_claim: string | null;
  organisation: number | null;
  allow_signup: boolean;
  login_url: string;
  callback_path: string;
}

const LOCAL_FIELDS = ['email', 'first_name', 'last_name', 'groups'] as const;
type LocalField = (typeof LOCAL_FIELDS)[number];
const FIELD_LABELS: Record<LocalField, string> = { email: 'Email', first_name: 'First name', last_name: 'Last name', groups: 'Groups' };

const SSO = '/settings/sso';
const orgName = (orgs: Organisation[] | undefined, id: number | null) => (id === null ? '—' : orgs?.find((o) => o.id === id)?.name ?? `#${id}`);
/** An absolute URL on the API's origin for a path the API reports (callback paths, login URLs). */
const onApi = (path: string) => new URL(path, apiBase()).href;
const checked = (e: Event) => (e.currentTarget as HTMLInputElement).checked;

/** A checkbox with its label, hint and the API's messages for its field. */
function Check({ label, name, error, hint, value, onChange }: { label: string; name: string; error?: ApiError; hint?: string; value: boolean; onChange: (v: boolean) => void }) {
  const id = useId('c');
  const messages = error ? error.for(name) : [];
  const described = [hint ? `${id}-hint` : '', messages.length ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label class="check" for={id}>
        <input id={id} type="checkbox" checked={value} onChange={(e) => onChange(checked(e))} aria-describedby={described} aria-invalid={messages.length ? 'true' : undefined} />
        {label}
      </label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      <FieldMessages id={`${id}-err`} messages={messages} />
    </div>
  );
}

/** A value to hand to the identity provider, with a copy button. */
function CopyRow({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd class="key-row">
        <code data-testid={testId}>{value}</code>
        <CopyButton text={value} label={`Copy ${label}`} />
      </dd>
    </>
  );
}

// ---- overview -----------------------------------------------------------------------------------------------------

export function SsoOverview({ ws }: ScreenProps) {
  const saml = useAsync(() => get<SamlConfiguration[]>('auth/saml/configuration/'), []);
  const oidc = useAsync(() => get<OidcProvider[]>('auth/oidc/providers/'), []);
  const ldap = useAsync(() => get<{ enabled: boolean }>('auth/ldap/settings/'), []);
  return (
    <section>
      <PageHeader title="Single sign-on" />
      <section class="card" aria-labelledby="saml-heading">
        <div class="page-header">
          <h2 id="saml-heading">SAML</h2>
          <Link class="button small" href={`${SSO}/saml/new`}>New SAML configuration</Link>
        </div>
        <p class="muted small">One configuration per identity provider; each signs people in to one organisation.</p>
        <Loaded state={saml}>
          {(list) =>
            list.length === 0 ? (
              <p>No SAML configurations yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Organisation</th>
                    <th scope="col">IdP metadata</th>
                    <th scope="col">IdP-initiated</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((c) => (
                    <tr key={c.id}>
                      <td><Link href={`${SSO}/saml/${encodeURIComponent(c.name)}`}>{c.name}</Link></td>
                      <td>{orgName(ws.orgs, c.organisation)}</td>
                      <td>{c.idp_metadata_xml ? 'set' : <span class="badge warn">missing</span>}</td>
                      <td>{c.allow_idp_initiated ? 'allowed' : 'no'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loaded>
      </section>
      <section class="card" aria-labelledby="oidc-heading">
        <div class="page-header">
          <h2 id="oidc-heading">OpenID Connect and GitHub</h2>
          <Link class="button small" href={`${SSO}/oidc/new`}>New OIDC provider</Link>
        </div>
        <p class="muted small">Providers added here; those set by OIDC_&lt;NAME&gt;_* variables are not listed and cannot be changed here.</p>
        <Loaded state={oidc}>
          {(list) =>
            list.length === 0 ? (
              <p>No providers added yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Issuer</th>
                    <th scope="col">Client secret</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={p.id} data-provider={p.name}>
                      <td><Link href={`${SSO}/oidc/${encodeURIComponent(p.name)}`}>{p.name}</Link></td>
                      <td>{p.kind === 'github' ? 'GitHub' : 'OIDC'}</td>
                      <td class="break">{p.issuer}</td>
                      <td><SecretBadge configured={p.client_secret_configured} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loaded>
      </section>
      <section class="card" aria-labelledby="ldap-heading">
        <h2 id="ldap-heading">LDAP</h2>
        <Loaded state={ldap}>
          {(d) => (
            <p>
              LDAP sign-in is <strong>{d.enabled ? 'on' : 'off'}</strong>. It is configured by environment variables:{' '}
              <Link href="/settings/ldap">see the LDAP settings</Link>.
            </p>
          )}
        </Loaded>
      </section>
    </section>
  );
}

function SecretBadge({ configured }: { configured: boolean }) {
  return configured ? <span class="badge ok" data-testid="secret-badge">configured</span> : <span class="badge" data-testid="secret-badge">not set</span>;
}

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

// ---- OIDC ---------------------------------------------------------------------------------------------------------

export function OidcProviderScreen({ ws, params }: ScreenProps) {
  const name = params.name!;
  const isNew = name === 'new';
  const provider = useAsync(() => (isNew ? Promise.resolve(null) : get<OidcProvider>(`auth/oidc/providers/${encodeURIComponent(name)}/`)), [name]);
  const remove = async (p: OidcProvider) => {
    if (!confirm(`Remove the provider ${p.name}? Its sign-in button goes, and accounts linked through it must link again.`)) return;
    try {
      await del(`auth/oidc/providers/${encodeURIComponent(p.name)}/`);
      notify(`Provider ${p.name} removed.`);
      navigate(SSO);
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <section>
      <p class="crumb small"><Link href={SSO}>Single sign-on</Link></p>
      <PageHeader title={isNew ? 'New OIDC provider' : `OIDC · ${name}`}>
        {provider.data && <button type="button" class="danger" onClick={() => void remove(provider.data!)}>Remove provider</button>}
      </PageHeader>
      <Loaded state={provider}>
        {(p) => (
          <>
            {p && (
              <section class="card" aria-labelledby="rp-heading">
                <h2 id="rp-heading">For your identity provider</h2>
                <dl class="facts">
                  <CopyRow label="Redirect URI" value={onApi(p.callback_path)} testId="oidc-redirect-uri" />
                  <dt>Sign-in URL</dt>
                  <dd class="break"><code>{onApi(p.login_url)}</code></dd>
                </dl>
              </section>
            )}
            <OidcForm key={p?.id ?? 0} provider={p} orgs={ws.orgs ?? []} onSaved={(saved) => (p ? provider.setData(saved) : navigate(`${SSO}/oidc/${encodeURIComponent(saved.name)}`))} />
          </>
        )}
      </Loaded>
    </section>
  );
}

const OIDC_FIELDS = ['name', 'kind', 'issuer', 'client_id', 'client_secret', 'scopes', 'email_claim', 'first_name_claim', 'last_name_claim', 'groups_claim', 'organisation', 'allow_signup'];

function OidcForm({ provider, orgs, onSaved }: { provider: OidcProvider | null; orgs: Organisation[]; onSaved: (p: OidcProvider) => void }) {
  const [form, setForm] = useState({
    name: provider?.name ?? '',
    kind: provider?.kind ?? 'oidc',
    issuer: provider?.issuer ?? '',
    client_id: provider?.client_id ?? '',
    scopes: provider?.scopes.join(' ') ?? '',
    email_claim: provider?.email_claim ?? '',
    first_name_claim: provider?.first_name_claim ?? '',
    last_name_claim: provider?.last_name_claim ?? '',
    groups_claim: provider?.groups_claim ?? '',
    organisation: provider?.organisation ? String(provider.organisation) : '',
    allow_signup: provider?.allow_signup ?? false,
  });
  // The secret lives only in this field until it is sent; the API never returns it.
  const [secret, setSecret] = useState('');
  const [removeSecret, setRemoveSecret] = useState(false);
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: valueOf(e) });
  const save = useSubmit(async () => {
    const body: Record<string, unknown> = {
      issuer: form.issuer.trim() || undefined,
      client_id: form.client_id,
      organisation: form.organisation ? Number(form.organisation) : null,
      allow_signup: form.allow_signup,
      groups_claim: form.groups_claim.trim() || null,
    };
    const scopes = form.scopes.split(/[\s,]+/).filter(Boolean);
    if (scopes.length > 0 || provider) body.scopes = scopes;
    for (const k of ['email_claim', 'first_name_claim', 'last_name_claim'] as const) if (form[k].trim()) body[k] = form[k].trim();
    if (secret) body.client_secret = secret;
    else if (removeSecret) body.client_secret = null;
    const saved = provider
      ? await patch<OidcProvider>(`auth/oidc/providers/${encodeURIComponent(provider.name)}/`, body)
      : await post<OidcProvider>('auth/oidc/providers/', { ...body, name: form.name, kind: form.kind });
    setSecret('');
    setRemoveSecret(false);
    notify(`Provider ${saved.name} saved.`);
    onSaved(saved);
  });
  const github = form.kind === 'github';
  return (
    <form class="card" aria-label={provider ? 'Provider settings' : 'New OIDC provider'} onSubmit={(e) => (e.preventDefault(), void save.run())}>
      {provider && <h2>Settings</h2>}
      <FormErrors error={save.error} shown={OIDC_FIELDS} />
      <div class="grid2">
        {provider ? (
          <dl class="facts span2">
            <dt>Name</dt>
            <dd>{provider.name}</dd>
            <dt>Kind</dt>
            <dd>{github ? 'GitHub (OAuth)' : 'OpenID Connect'}</dd>
            <dt>Client secret</dt>
            <dd>
              <SecretBadge configured={provider.client_secret_configured} />
            </dd>
          </dl>
        ) : (
          <>
            <Field label="Name" name="name" error={save.error} hint="Lower-case letters, digits, - and _; part of the redirect URI, so it cannot change.">
              {(p) => <input {...p} required pattern="[a-z0-9][a-z0-9_\-]*" maxLength={50} value={form.name} onInput={set('name')} />}
            </Field>
            <Field label="Kind" name="kind" error={save.error}>
              {(p) => (
                <select {...p} value={form.kind} onChange={set('kind')}>
                  <option value="oidc">OpenID Connect (Okta, Entra ID, AD FS, Google, Keycloak…)</option>
                  <option value="github">GitHub (OAuth)</option>
                </select>
              )}
            </Field>
          </>
        )}
        <Field label="Issuer" name="issuer" error={save.error} hint={github ? 'Leave empty for github.com; your GitHub Enterprise address otherwise.' : 'The issuer URL; its /.well-known/openid-configuration is read at sign-in.'}>
          {(p) => <input {...p} type="url" required={!github} placeholder={github ? 'https://github.com' : 'https://idp.example.com/realms/main'} value={form.issuer} onInput={set('issuer')} />}
        </Field>
        <Field label="Client ID" name="client_id" error={save.error}>
          {(p) => <input {...p} required autoComplete="off" value={form.client_id} onInput={set('client_id')} />}
        </Field>
        <div>
          <Field
            label={provider?.client_secret_configured ? 'Replace the client secret' : 'Client secret'}
            name="client_secret"
            error={save.error}
            hint={provider?.client_secret_configured ? 'Stored encrypted and never shown. Leave empty to keep the current one.' : 'Stored encrypted and never shown again.'}
          >
            {(p) => <input {...p} type="password" autoComplete="new-password" disabled={removeSecret} value={secret} onInput={(e) => setSecret(valueOf(e))} />}
          </Field>
          {provider?.client_secret_configured && <Check label="Remove the client secret (public client)" name="client_secret_remove" value={removeSecret} onChange={(v) => (setRemoveSecret(v), v && setSecret(''))} />}
        </div>
        <Field label="Scopes" name="scopes" error={save.error} hint={provider ? 'Separated by spaces.' : `Separated by spaces. Empty: ${github ? 'read:user user:email' : 'openid email profile'}.`}>
          {(p) => <input {...p} value={form.scopes} onInput={set('scopes')} />}
        </Field>
      </div>
      <fieldset>
        <legend>Claims</legend>
        <div class="grid2">
          <Field label="Email claim" name="email_claim" error={save.error}>{(p) => <input {...p} placeholder="email" value={form.email_claim} onInput={set('email_claim')} />}</Field>
          <Field label="Groups claim" name="groups_claim" error={save.error} hint="Empty: group memberships are not synchronised.">
            {(p) => <input {...p} value={form.groups_claim} onInput={set('groups_claim')} />}
          </Field>
          <Field label="First name claim" name="first_name_claim" error={save.error}>{(p) => <input {...p} placeholder="given_name" value={form.first_name_claim} onInput={set('first_name_claim')} />}</Field>
          <Field label="Last name claim" name="last_name_claim" error={save.error}>{(p) => <input {...p} placeholder="family_name" value={form.last_name_claim} onInput={set('last_name_claim')} />}</Field>
        </div>
      </fieldset>
      <div class="grid2">
        <Field label="Organisation" name="organisation" error={save.error} hint="New accounts join it as users.">
          {(p) => (
            <select {...p} value={form.organisation} onChange={set('organisation')}>
              <option value="">None</option>
              {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
          )}
        </Field>
        <Check
          label="Create accounts on first sign-in"
          name="allow_signup"
          error={save.error}
          hint="Off: only people who already have an account (matched by a verified email address) can sign in."
          value={form.allow_signup}
          onChange={(v) => setForm({ ...form, allow_signup: v })}
        />
      </div>
      <div class="actions">
        <button type="submit" disabled={save.busy}>{provider ? 'Save settings' : 'Add provider'}</button>
      </div>
    </form>
  );
}

// ---- LDAP (read-only) -----------------------------------------------------------------------------------------------

export function LdapSettings(_: ScreenProps) {
  const data = useAsync(() => get<{ enabled: boolean; settings: SettingLine[] }>('auth/ldap/settings/'), []);
  return (
    <section>
      <p class="crumb small"><Link href={SSO}>Single sign-on</Link></p>
      <PageHeader title="LDAP" />
      <p class="muted">LDAP is configured with environment variables (Flagsmith's LDAP_AUTH_* names) and is shown here read-only; secrets are masked.</p>
      <Loaded state={data}>
        {(d) => (
          <>
            <p>
              LDAP sign-in is <strong>{d.enabled ? 'on' : 'off'}</strong>
              {!d.enabled && ' (set LDAP_AUTH_URL to turn it on)'}.
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Setting</th>
                  <th scope="col">Value</th>
                  <th scope="col">Variable</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {d.settings.map((s) => (
                  <tr key={s.key}>
                    <td>{s.key}</td>
                    <td class="break"><code>{s.value}</code></td>
                    <td><code>{s.variables.join(', ')}</code></td>
                    <td>{s.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Loaded>
    </section>
  );
}
