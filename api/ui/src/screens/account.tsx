// Your own account: who you are, change your password (every other session and token of yours ends), and sign out
// everywhere else (the counts of what ended are shown).
import { useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { Field, FormErrors, PageHeader, useSubmit, valueOf } from '../components/ui';
import type { ScreenProps } from '../routes';
import { useSession } from '../session';

const METHODS: Record<string, string> = { EMAIL: 'Email and password', LDAP: 'LDAP directory', SAML: 'SAML single sign-on', OIDC: 'OpenID Connect', GITHUB: 'GitHub' };

export function Account(_: ScreenProps) {
  const { user } = useSession();
  return (
    <section>
      <PageHeader title="Your account" />
      <dl class="facts">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        {(user.first_name || user.last_name) && (
          <>
            <dt>Name</dt>
            <dd>{`${user.first_name} ${user.last_name}`.trim()}</dd>
          </>
        )}
        <dt>Signs in with</dt>
        <dd>{METHODS[user.auth_type] ?? user.auth_type}</dd>
        <dt>Instance administrator</dt>
        <dd>{user.is_superuser ? 'yes' : 'no'}</dd>
      </dl>
      <ChangePassword email={user.email} />
      <SignOutElsewhere />
    </section>
  );
}

const EMPTY = { current_password: '', new_password: '', confirm: '' };

function ChangePassword({ email }: { email: string }) {
  const [form, setForm] = useState(EMPTY);
  const [done, setDone] = useState(false);
  const submit = useSubmit(async () => {
    setDone(false);
    // Checked here so the mismatch is named next to its field; everything else is the API's to judge.
    if (form.new_password !== form.confirm) throw new ApiError(400, { confirm: ['The two new passwords differ.'] }, 'The two new passwords differ.');
    await post('auth/users/set_password/', { current_password: form.current_password, new_password: form.new_password });
    setForm(EMPTY);
    setDone(true);
  });
  const set = (key: keyof typeof EMPTY) => (e: Event) => setForm({ ...form, [key]: valueOf(e) });
  return (
    <section class="card" aria-labelledby="change-password">
      <h2 id="change-password">Change password</h2>
      <p class="muted small">Changing it signs you out of every other browser and revokes your API tokens; this session stays.</p>
      <form aria-labelledby="change-password" onSubmit={(e) => (e.preventDefault(), void submit.run())}>
        {/* The user name field lets password managers file the new password under the right account. */}
        <input type="email" autoComplete="username" value={email} hidden readOnly />
        <FormErrors error={submit.error} shown={['current_password', 'new_password', 'confirm']} />
        <div class="grid2">
          <Field label="Current password" name="current_password" error={submit.error}>
            {(p) => <input {...p} type="password" autoComplete="current-password" required value={form.current_password} onInput={set('current_password')} />}
          </Field>
          <span />
          <Field label="New password" name="new_password" error={submit.error} hint="12 characters or more, not your email address.">
            {(p) => <input {...p} type="password" autoComplete="new-password" required value={form.new_password} onInput={set('new_password')} />}
          </Field>
          <Field label="New password again" name="confirm" error={submit.error}>
            {(p) => <input {...p} type="password" autoComplete="new-password" required value={form.confirm} onInput={set('confirm')} />}
          </Field>
        </div>
        <div class="actions">
          <button type="submit" disabled={submit.busy}>{submit.busy ? 'Changing…' : 'Change password'}</button>
        </div>
        <div role="status">{done && <p class="ok-text">Password changed. Your other sessions and API tokens have ended.</p>}</div>
      </form>
    </section>
  );
}

function SignOutElsewhere() {
  const [result, setResult] = useState<{ revoked_sessions: number; revoked_tokens: number } | null>(null);
  const submit = useSubmit(async () => {
    setResult(null);
    setResult(await post<{ revoked_sessions: number; revoked_tokens: number }>('auth/users/me/revoke-sessions/'));
  });
  return (
    <section class="card" aria-labelledby="sign-out-elsewhere">
      <h2 id="sign-out-elsewhere">Other sessions</h2>
      <p class="muted small">Signs you out of every other browser and revokes every API token of yours; this session stays.</p>
      <FormErrors error={submit.error} />
      <div class="actions">
        <button
          type="button"
          class="danger"
          disabled={submit.busy}
          onClick={() => confirm('Sign out of every other browser and revoke your API tokens?') && void submit.run()}
        >
          Sign out everywhere else
        </button>
      </div>
      <div role="status">
        {result && (
          <p class="ok-text" data-testid="revoked">
            Signed out of {result.revoked_sessions} other {result.revoked_sessions === 1 ? 'session' : 'sessions'}; {result.revoked_tokens} API{' '}
            {result.revoked_tokens === 1 ? 'token' : 'tokens'} revoked.
          </p>
        )}
      </div>
    </section>
  );
}
