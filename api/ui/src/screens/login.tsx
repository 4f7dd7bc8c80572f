// Sign in: only the providers the API reports (password, LDAP, SSO buttons). A successful sign-in sets the session
// cookie; the CSRF token comes back in the body.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Field, FormErrors, useAsync, useSubmit, valueOf } from '../components/ui';
import { navigate } from '../router';
import { apiBase } from '../settings';
import type { LoginProvider, Providers, SessionView } from '../types';

/** Why an SSO sign-in came back to /login?error=<code> (the codes of the OIDC callback and the SAML ACS). */
const SSO_ERRORS: Record<string, string> = {
  login_locked: 'Sign-in is restricted to another method on this server.',
  unknown_provider: 'There is no such sign-in provider.',
  provider_unavailable: 'This sign-in provider is not usable right now; try again later.',
  invalid_state: 'This sign-in link has expired or was already used; sign in again.',
  browser_mismatch: 'This sign-in was started in another browser; sign in again from here.',
  provider_error: "The sign-in provider's profile could not be read.",
  token_rejected: "The sign-in provider's answer did not pass the security checks.",
  no_email: 'The sign-in provider did not give an email address.',
  email_unverified: 'The sign-in provider has not verified your email address.',
  no_account: 'There is no account for you here; ask an administrator to add you.',
  account_disabled: 'Your account is deactivated.',
  access_denied: 'The sign-in provider did not sign you in.',
  server_error: 'Sign-in failed; try again later.',
  saml_expired: 'The sign-in took too long, or the clocks of the identity provider and this server disagree; sign in again.',
  saml_in_response_to: 'This sign-in has expired or was already used; sign in again.',
  saml_replay: 'This sign-in was already used; sign in again.',
  saml_browser_mismatch: 'This sign-in was started in another browser; sign in again from here.',
  saml_idp_error: 'The identity provider did not sign you in.',
  saml_not_configured: 'This single sign-on configuration is not complete yet; ask an administrator.',
  saml_configuration_unknown: 'There is no such single sign-on configuration.',
  saml_forbidden: "This account cannot sign in through this organisation's single sign-on.",
  saml_unusable_identity: "The identity provider's answer did not name a usable user.",
};

/** The sentence for an SSO error code; SAML's security-check codes share one. */
function ssoErrorText(code: string): string {
  if (SSO_ERRORS[code]) return SSO_ERRORS[code]!;
  if (code.startsWith('saml_')) return "The identity provider's answer did not pass the security checks.";
  return `the provider answered "${code}".`;
}

/** Where to land after signing in: a safe `next`, else the page asked for (the start page for /login). */
function returnPath(): string {
  const next = new URLSearchParams(location.search).get('next');
  if (next && next.startsWith('/') && !next.startsWith('//')) return next;
  return location.pathname === '/login' ? '/' : location.pathname + location.search;
}

/** An SSO button's target on the API's origin, told where to come back to. */
function ssoHref(p: LoginProvider): string {
  const url = new URL(p.login_url ?? '', apiBase());
  url.searchParams.set('next', returnPath());
  return url.href;
}

export function Login({ onSignedIn }: { onSignedIn: (s: SessionView) => void }) {
  const providers = useAsync(() => api<Providers>('GET', 'auth/providers/', undefined, { quiet401: true }), []);
  useEffect(() => {
    document.title = 'Sign in · flagstack';
    document.querySelector<HTMLElement>('.login h1')?.focus();
  }, []);
  const done = (s: SessionView) => {
    onSignedIn(s);
    navigate(returnPath(), { replace: true });
  };
  const ssoError = location.pathname === '/login' ? new URLSearchParams(location.search).get('error') : null;
  const list = providers.data?.providers ?? [];
  const password = list.find((p) => p.type === 'password');
  const ldap = list.find((p) => p.type === 'ldap');
  const sso = list.filter((p) => p.type === 'oidc' || p.type === 'saml');
  return (
    <main class="login" id="main">
      <h1 tabIndex={-1}>Sign in to flagstack</h1>
      {providers.error && (
        <div class="error-box" role="alert">
          <p>{providers.error.message}</p>
          <button type="button" class="secondary" onClick={providers.reload}>Try again</button>
        </div>
      )}
      {ssoError && (
        <div class="error-box" role="alert">
          <p>Single sign-on failed: {ssoErrorText(ssoError)}</p>
        </div>
      )}
      {providers.loading && !providers.data && <p class="muted" aria-busy="true">Loading…</p>}
      {providers.data?.locked_to && (
        <p class="muted" data-testid="login-lock">
          Sign-in is restricted to {list.find((p) => p.id === providers.data!.locked_to || p.type === providers.data!.locked_to)?.label ?? providers.data.locked_to} on this server.
        </p>
      )}
      {sso.length > 0 && (
        <div class="sso" aria-label="Single sign-on">
          {sso.map((p) => (
            <a key={p.id} class="button secondary" href={ssoHref(p)}>
              Continue with {p.label}
            </a>
          ))}
        </div>
      )}
      {ldap && <CredentialsForm provider={ldap} onDone={done} titled />}
      {password && <CredentialsForm provider={password} onDone={done} titled={!!ldap} />}
      {!password && providers.data?.break_glass_password && (
        <details class="break-glass">
          <summary>Administrator sign-in with a password</summary>
          <CredentialsForm provider={{ id: 'password', type: 'password', label: 'Email and password' }} onDone={done} />
        </details>
      )}
    </main>
  );
}

/** Seconds left until a throttled sign-in may be tried again (counts down once a second; 0 when not throttled). */
function useCountdown(): [number, (seconds: number) => void] {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= now) return;
    const t = setTimeout(() => setNow(Date.now()), Math.min(1000, until - now));
    return () => clearTimeout(t);
  }, [until, now]);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  return [left, (seconds) => (setNow(Date.now()), setUntil(Date.now() + seconds * 1000))];
}

function CredentialsForm({ provider, onDone, titled = false }: { provider: LoginProvider; onDone: (s: SessionView) => void; titled?: boolean }) {
  const isLdap = provider.type === 'ldap';
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [wait, startWait] = useCountdown();
  const { error, busy, run } = useSubmit(async () => {
    const body = isLdap ? { provider: 'ldap', username: login, password } : { email: login, password };
    try {
      onDone(await api<SessionView>('POST', 'auth/session/', body, { quiet401: true }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) startWait(e.retryAfter ?? 60);
      throw e;
    }
  });
  const loginField = isLdap ? 'username' : 'email';
  // 429: the API's own wording is generic; say how long, from its retry_after (the number stays as first answered,
  // so screen readers hear it once; the button counts down).
  const throttled = error?.status === 429;
  return (
    <form
      class="card"
      aria-label={provider.label}
      onSubmit={(e) => {
        e.preventDefault();
        if (wait === 0) void run();
      }}
    >
      {titled && <h2>{provider.label}</h2>}
      {throttled ? (
        <div class="error-box" role="alert">
          <p>Too many attempts, try again in {error.retryAfter ?? 60} s.</p>
        </div>
      ) : (
        <FormErrors error={error} shown={[loginField, 'password', 'provider']} />
      )}
      {error && error.for('provider').length > 0 && (
        <div class="error-box" role="alert">
          {error.for('provider').map((m) => <p key={m}>{m}</p>)}
        </div>
      )}
      <Field label={isLdap ? 'Username' : 'Email'} name={loginField} error={error}>
        {(p) =>
          isLdap ? (
            <input {...p} type="text" autoComplete="username" required value={login} onInput={(e) => setLogin(valueOf(e))} />
          ) : (
            <input {...p} type="email" autoComplete="username" required value={login} onInput={(e) => setLogin(valueOf(e))} />
          )
        }
      </Field>
      <Field label="Password" name="password" error={error}>
        {(p) => <input {...p} type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(valueOf(e))} />}
      </Field>
      <button type="submit" disabled={busy || wait > 0}>{busy ? 'Signing in…' : wait > 0 ? `Sign in (wait ${wait} s)` : 'Sign in'}</button>
    </form>
  );
}
