// What the single sign-on screens share: the API's shapes, small form parts and helpers.
import type { ApiError } from '../../api';
import { CopyButton, FieldMessages, useId } from '../../components/ui';
import { apiBase } from '../../settings';
import type { Organisation } from '../../types';

// ---- shapes (the API's) -------------------------------------------------------------------------------------------

export interface SamlConfiguration {
  id: number;
  name: string;
  organisation: number;
  frontend_url: string;
  idp_metadata_xml: string | null;
  allow_idp_initiated: boolean;
  want_response_signed: boolean;
}

export interface SamlMapping {
  id: number;
  saml_configuration: number;
  django_attribute_name: LocalField;
  idp_attribute_name: string;
}

export interface SpMetadata {
  entity_id: string;
  response_url: string;
  metadata_xml: string;
}

export interface OidcProvider {
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

export const LOCAL_FIELDS = ['email', 'first_name', 'last_name', 'groups'] as const;
export type LocalField = (typeof LOCAL_FIELDS)[number];
export const FIELD_LABELS: Record<LocalField, string> = { email: 'Email', first_name: 'First name', last_name: 'Last name', groups: 'Groups' };

export const SSO = '/settings/sso';
export const orgName = (orgs: Organisation[] | undefined, id: number | null) => (id === null ? '—' : orgs?.find((o) => o.id === id)?.name ?? `#${id}`);
/** An absolute URL on the API's origin for a path the API reports (callback paths, login URLs). */
export const onApi = (path: string) => new URL(path, apiBase()).href;
export const checked = (e: Event) => (e.currentTarget as HTMLInputElement).checked;

/** A checkbox with its label, hint and the API's messages for its field. */
export function Check({ label, name, error, hint, value, onChange }: { label: string; name: string; error?: ApiError; hint?: string; value: boolean; onChange: (v: boolean) => void }) {
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
export function CopyRow({ label, value, testId }: { label: string; value: string; testId?: string }) {
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

export function SecretBadge({ configured }: { configured: boolean }) {
  return configured ? <span class="badge ok" data-testid="secret-badge">configured</span> : <span class="badge" data-testid="secret-badge">not set</span>;
}
