// An OIDC/GitHub provider: the client secret is write-only (a "configured" badge and a field to replace it).
import { useState } from 'preact/hooks';
import { del, get, patch, post } from '../../api';
import { Field, FormErrors, Loaded, PageHeader, notify, notifyError, useAsync, useSubmit, valueOf } from '../../components/ui';
import { Link, navigate } from '../../router';
import type { ScreenProps } from '../../routes';
import type { Organisation } from '../../types';
import { type OidcProvider, SSO, onApi, Check, CopyRow, SecretBadge } from './shared';

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
