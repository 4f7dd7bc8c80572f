// End to end: the sign-in and account screens of the admin UI in Debian's chromium (playwright-core) against the real
// API on SQLite. Your account: a password change with its field errors, then sign-in with the new password; signing
// out everywhere else with the counts shown. Instance admins: deactivate (the user's session ends at once) and
// reactivate an account, end someone's sessions. The login screen: a throttled sign-in (429) says how long to wait;
// locked to LDAP it shows the lock, the LDAP form posts {provider: "ldap", username}, and a password sign-in by a
// non-superuser is refused with the lock's words. Single sign-on: a SAML configuration from pasted metadata shows its
// ACS URL and entity ID (as the API's SP metadata has them) and takes an attribute mapping; an OIDC provider's client
// secret shows as "configured" and is never echoed. Screenshots at 1280 px and 390 px go to
// test-artifacts/screenshots/ (20-… onwards; ui.test.ts writes 01-13). The login screen lists the SSO providers; a
// SAML button starts at the IdP, and a failed OIDC sign-in comes back to it with its reason.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApi, type TestApi } from '../support/harness';
import { extendExpect, launchBrowser, newContext, poll, scrollWidth, shot, signIn, watchConsole } from '../support/browser';

jest.setTimeout(240_000);
extendExpect();

const ALICE = { email: 'alice@example.com', password: 'alice-first-password', next: 'alice-second-password' };
const BOB = { email: 'bob@example.com', password: 'bob-password-long-enough' };
const OIDC_SECRET = 'oidc-client-secret-Zq81-never-shown';

let api: TestApi;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let orgId = 0;
const consoleProblems: string[] = [];

/** Status of a request with a token (or none) against the listening API. */
async function statusWithToken(path: string, token: string): Promise<number> {
  return (await fetch(`${api.url}${path}`, { headers: { authorization: `Token ${token}` } })).status;
}

async function tokenFor(email: string, password: string): Promise<string> {
  const res = await fetch(`${api.url}/api/v1/auth/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { key: string }).key;
}

/** A context of its own, signed in through the UI. */
async function signedIn(email: string, password: string, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, width);
  const p = await context.newPage();
  watchConsole(p, consoleProblems);
  await p.goto(`${api.url}/`);
  await signIn(p, email, password);
  await p.getByRole('heading', { name: /^(Organisations|Projects)/ }).waitFor();
  return { context, page: p };
}

const nav = (p: Page) => p.getByRole('navigation', { name: 'Main' });

/** Accepts the next confirm() and checks its question. */
function acceptConfirm(p: Page, expected: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    p.once('dialog', (d) => {
      const message = d.message();
      void d.accept().then(() => (expected.test(message) ? resolve() : reject(new Error(`unexpected confirm: ${message}`))));
    });
  });
}

/** An IdP signing certificate (self-signed, by the openssl CLI) as metadata carries it: base64 DER. */
function certificateBody(): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-idp-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=e2e-idp', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    return readFileSync(join(dir, 'c.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function idpMetadata(entityId: string, ssoUrl: string, cert: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">\n` +
    `  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n` +
    `    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n` +
    `    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>\n` +
    `  </md:IDPSSODescriptor>\n` +
    `</md:EntityDescriptor>\n`
  );
}

/**
 * Whether an admin API is served (not 404). The SSO steps run against what has landed; a missing API fails the step
 * with that reason rather than skipping it.
 */
async function apiPresent(path: string): Promise<boolean> {
  return (await statusWithToken(path, api.adminToken)) !== 404;
}

beforeAll(async () => {
  // The UI is built (when missing or stale) before the API starts: the API looks for dist/ui when it starts.
  browser = await launchBrowser();
  api = await startTestApi('sqlite', {
    listen: true,
    env: {
      // Two failures free, then 2 s, 4 s, 8 s…: the throttled step needs only a few attempts.
      LOGIN_FAILURES_PER_ACCOUNT: '2',
      LOGIN_FAILURES_PER_IP: '1000',
      // OIDC client secrets are stored sealed under this key.
      FLAGSTACK_ENCRYPTION_KEY: '5f'.repeat(32),
    },
  });
  const org = await api.admin('POST', '/api/v1/organisations/', { name: 'Acme' });
  orgId = org.id;
  for (const u of [ALICE, BOB]) await api.admin('POST', `/api/v1/organisations/${orgId}/users/`, { email: u.email, password: u.password, role: 'USER' });
  admin = await newContext(browser);
  page = await admin.newPage();
  watchConsole(page, consoleProblems);
  await page.goto(`${api.url}/`);
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.getByRole('heading', { name: /^(Organisations|Projects)/ }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

test('your account: a password change with its field errors ends your other sessions and tokens; the new password signs in', async () => {
  const alice = await signedIn(ALICE.email, ALICE.password);
  const elsewhere = await signedIn(ALICE.email, ALICE.password);
  const token = await tokenFor(ALICE.email, ALICE.password);
  const p = alice.page;
  await p.getByRole('link', { name: 'Account' }).click();
  await p.getByRole('heading', { name: 'Your account' }).waitFor();
  const form = p.getByRole('form', { name: 'Change password' });
  const current = form.getByLabel('Current password');
  const next = form.getByLabel('New password', { exact: true });
  const again = form.getByLabel('New password again');

  // Each error is shown under the field the API (or the form) names, and tied to it.
  await current.fill('not-my-password-at-all');
  await next.fill(ALICE.next);
  await again.fill(ALICE.next);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(current).toHaveAttr('aria-invalid', 'true');
  const currentError = (await current.getAttribute('aria-describedby'))!.split(' ').pop()!;
  await expect(p.locator(`[id="${currentError}"]`)).toHaveText('Incorrect password.');
  await current.fill(ALICE.password);
  await next.fill('short');
  await again.fill('short');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(next).toHaveAttr('aria-invalid', 'true');
  await form.getByText('Must be at least 12 characters.').waitFor();
  expect(await current.getAttribute('aria-invalid')).toBeNull();
  await next.fill(ALICE.next);
  await again.fill(`${ALICE.next}-typo`);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(again).toHaveAttr('aria-invalid', 'true');
  await form.getByText('The two new passwords differ.').waitFor();
  expect(await statusWithToken('/api/v1/auth/users/me/', token)).toBe(200);

  await again.fill(ALICE.next);
  await form.getByRole('button', { name: 'Change password' }).click();
  await form.getByRole('status').getByText('Password changed. Your other sessions and API tokens have ended.').waitFor();
  expect(await current.inputValue()).toBe('');
  await shot(p, '20-account');
  // The other browser and the token are signed out; this session stays.
  expect(await statusWithToken('/api/v1/auth/users/me/', token)).toBe(401);
  expect((await elsewhere.page.request.get(`${api.url}/api/v1/auth/session/`)).status()).toBe(401);
  expect((await p.request.get(`${api.url}/api/v1/auth/session/`)).status()).toBe(200);
  await elsewhere.context.close();

  // Sign out; the old password no longer works, the new one does.
  await p.getByRole('button', { name: 'Sign out', exact: true }).click();
  await p.getByRole('heading', { name: 'Sign in to flagstack' }).waitFor();
  await signIn(p, ALICE.email, ALICE.password);
  await p.getByRole('alert').filter({ hasText: 'Unable to log in with provided credentials.' }).waitFor();
  await signIn(p, ALICE.email, ALICE.next);
  await p.getByRole('heading', { name: /^(Organisations|Projects)/ }).waitFor();
  // Signed out again, so the next test counts only its own sessions.
  await p.getByRole('button', { name: 'Sign out', exact: true }).click();
  await p.getByRole('heading', { name: 'Sign in to flagstack' }).waitFor();
  await alice.context.close();
});

test('your account: signing out everywhere else shows how many sessions and tokens ended', async () => {
  const alice = await signedIn(ALICE.email, ALICE.next);
  const other = await signedIn(ALICE.email, ALICE.next);
  const tokens = [await tokenFor(ALICE.email, ALICE.next), await tokenFor(ALICE.email, ALICE.next)];
  const p = alice.page;
  await p.getByRole('link', { name: 'Account' }).click();
  const confirmed = acceptConfirm(p, /Sign out of every other browser/);
  await p.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await confirmed;
  await expect(p.getByTestId('revoked')).toHaveText('Signed out of 1 other session; 2 API tokens revoked.');
  for (const t of tokens) expect(await statusWithToken('/api/v1/auth/users/me/', t)).toBe(401);
  expect((await other.page.request.get(`${api.url}/api/v1/auth/session/`)).status()).toBe(401);
  expect((await p.request.get(`${api.url}/api/v1/auth/session/`)).status()).toBe(200);
  // Again: nothing else is left.
  const again = acceptConfirm(p, /Sign out of every other browser/);
  await p.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await again;
  await expect(p.getByTestId('revoked')).toHaveText('Signed out of 0 other sessions; 0 API tokens revoked.');
  await other.context.close();
  await alice.context.close();
});

test('an instance admin deactivates an account (its open session ends at once), reactivates it, and ends its sessions', async () => {
  const bob = await signedIn(BOB.email, BOB.password);
  await page.goto(`${api.url}/organisations/${orgId}/users`);
  const row = page.locator(`tr[data-member="${BOB.email}"]`);
  await row.waitFor();
  // The admin's own row has no account switches.
  await expect(page.locator(`tr[data-member="${ADMIN_EMAIL}"]`).getByRole('button', { name: 'Deactivate' })).toBeHidden();

  const confirmed = acceptConfirm(page, /Deactivate bob@example\.com\?/);
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await confirmed;
  await page.getByRole('status').filter({ hasText: `${BOB.email} deactivated.` }).waitFor();
  await row.locator('.badge', { hasText: 'deactivated' }).waitFor();
  await row.getByRole('button', { name: 'Activate' }).waitFor();
  await shot(page, '21-members-deactivated');
  // Bob's open page is sent to the sign-in screen at its next request, and he cannot sign in.
  await bob.page.getByRole('link', { name: 'Members' }).click();
  await bob.page.getByRole('heading', { name: 'Sign in to flagstack' }).waitFor();
  await signIn(bob.page, BOB.email, BOB.password);
  await bob.page.getByRole('alert').first().waitFor();
  expect((await bob.page.request.get(`${api.url}/api/v1/auth/session/`)).status()).toBe(401);

  const reactivated = acceptConfirm(page, /Activate bob@example\.com again\?/);
  await row.getByRole('button', { name: 'Activate' }).click();
  await reactivated;
  await row.getByRole('button', { name: 'Deactivate' }).waitFor();
  await expect(row.locator('.badge', { hasText: 'deactivated' })).toBeHidden();
  await signIn(bob.page, BOB.email, BOB.password);
  // Back where he was when the session ended.
  await bob.page.getByRole('heading', { name: 'Members · Acme' }).waitFor();

  // Ending Bob's sessions: the notice counts them, and his page is signed out.
  const token = await tokenFor(BOB.email, BOB.password);
  const ended = acceptConfirm(page, /Sign bob@example\.com out everywhere\?/);
  await row.getByRole('button', { name: 'Sign out everywhere' }).click();
  await ended;
  await page.getByRole('status').filter({ hasText: `${BOB.email}: 1 session(s) and 1 API token(s) ended.` }).waitFor();
  expect(await statusWithToken('/api/v1/auth/users/me/', token)).toBe(401);
  expect((await bob.page.request.get(`${api.url}/api/v1/auth/session/`)).status()).toBe(401);
  await bob.context.close();
});

test('the login screen: a throttled sign-in says how long to wait', async () => {
  const context = await newContext(browser, 390, 844);
  const p = await context.newPage();
  watchConsole(p, consoleProblems);
  await p.goto(`${api.url}/`);
  // Two failures are free; the third delays the account 2 s, so the next attempt, made at once, is refused (429).
  const statuses: number[] = [];
  for (let i = 0; i < 6 && !statuses.includes(429); i++) {
    const answered = p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/auth/session/');
    await signIn(p, 'mallory@example.com', `guess-number-${i}`);
    statuses.push((await answered).status());
  }
  expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
  expect(statuses.at(-1)).toBe(429);
  const alert = p.getByRole('alert').filter({ hasText: /^Too many attempts, try again in \d+ s\.$/ });
  await alert.waitFor();
  const seconds = Number(/in (\d+) s/.exec(await alert.innerText())![1]);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(4);
  // The button waits with it, then comes back.
  const waiting = p.getByRole('button', { name: /^Sign in \(wait \d+ s\)$/ });
  expect(await waiting.isDisabled()).toBe(true);
  expect(await scrollWidth(p)).toBeLessThanOrEqual(390);
  await shot(p, '22-login-throttled-phone');
  await p.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: (seconds + 2) * 1000 });
  expect(await p.getByRole('button', { name: 'Sign in', exact: true }).isEnabled()).toBe(true);
  await context.close();
});

test('the login screen locked to LDAP: the lock is shown, the LDAP form posts a username, a password sign-in is refused', async () => {
  // A second instance, locked to LDAP; its directory (nothing listens on port 9) is never reached for these steps
  // to pass: the form's request and the answers shown on it are what is checked.
  const locked = await startTestApi('sqlite', { listen: true, env: { LOCK_LOGIN_TO: 'ldap', LDAP_AUTH_URL: 'ldap://127.0.0.1:9', LDAP_AUTH_SEARCH_BASE: 'dc=example,dc=com' } });
  try {
    const org = await locked.admin('POST', '/api/v1/organisations/', { name: 'Locked' });
    await locked.admin('POST', `/api/v1/organisations/${org.id}/users/`, { email: BOB.email, password: BOB.password, role: 'USER' });
    // The unreachable directory answers 503, which the browser logs; anything else logged is a problem.
    const lockedProblems: string[] = [];
    for (const [width, name] of [[1280, '23-login-locked'], [390, '24-login-locked-phone']] as const) {
      const context = await newContext(browser, width, width === 390 ? 844 : 860);
      const p = await context.newPage();
      watchConsole(p, lockedProblems);
      await p.goto(`${locked.url}/`);
      await expect(p.getByTestId('login-lock')).toHaveText('Sign-in is restricted to LDAP directory on this server.');
      const ldapForm = p.getByRole('form', { name: 'LDAP directory' });
      await ldapForm.getByLabel('Username').fill('jdoe');
      await ldapForm.getByLabel('Password').fill('directory-password');
      const posted = p.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/auth/session/');
      await ldapForm.getByRole('button', { name: 'Sign in' }).click();
      expect((await posted).postDataJSON()).toEqual({ provider: 'ldap', username: 'jdoe', password: 'directory-password' });
      // The directory cannot be reached: the answer is shown on the form, not swallowed.
      await ldapForm.getByRole('alert').filter({ hasText: 'The LDAP directory is unavailable' }).waitFor();
      // Password sign-in only as the administrators' break-glass; anyone else gets the lock's words.
      await p.getByText('Administrator sign-in with a password').click();
      const glass = p.getByRole('form', { name: 'Email and password' });
      await glass.getByLabel('Email').fill(BOB.email);
      await glass.getByLabel('Password').fill(BOB.password);
      await glass.getByRole('button', { name: 'Sign in' }).click();
      await glass.getByRole('alert').filter({ hasText: 'Sign-in is restricted to ldap on this server.' }).waitFor();
      expect(await scrollWidth(p)).toBeLessThanOrEqual(width);
      await shot(p, name);
      await context.close();
    }
    consoleProblems.push(...lockedProblems.filter((t) => !/status of 503/.test(t)));
  } finally {
    await locked.close();
  }
});

test('single sign-on: a SAML configuration from pasted metadata shows the ACS URL and entity ID to give the IdP', async () => {
  if (!(await apiPresent('/api/v1/auth/saml/configuration/'))) throw new Error('PENDING: the SAML admin API (/api/v1/auth/saml/configuration/) is not served yet');
  await page.goto(`${api.url}/organisations/${orgId}/projects`);
  await nav(page).getByRole('link', { name: 'Single sign-on' }).click();
  await page.getByRole('heading', { name: 'Single sign-on' }).waitFor();
  await page.getByRole('link', { name: 'New SAML configuration' }).click();
  await page.getByRole('heading', { name: 'New SAML configuration' }).waitFor();
  const form = page.getByRole('form', { name: 'New SAML configuration' });
  await form.getByLabel('Name', { exact: true }).fill('acme-okta');
  await form.getByLabel('Organisation').selectOption({ label: 'Acme' });
  const xml = form.getByLabel('IdP metadata XML');
  // Not metadata: the API's reason is shown under the metadata box.
  await xml.fill('<html>not metadata</html>');
  await form.getByRole('button', { name: 'Create SAML configuration' }).click();
  await expect(xml).toHaveAttr('aria-invalid', 'true');
  const xmlError = (await xml.getAttribute('aria-describedby'))!.split(' ').pop()!;
  expect((await page.locator(`[id="${xmlError}"]`).innerText()).length).toBeGreaterThan(0);

  const metadata = idpMetadata('https://idp.example.com/acme', 'https://idp.example.com/sso/saml', certificateBody());
  await xml.fill(metadata);
  await form.getByLabel('Allow sign-in started at the identity provider (IdP-initiated)').check();
  await form.getByRole('button', { name: 'Create SAML configuration' }).click();
  await page.getByRole('heading', { name: 'SAML · acme-okta' }).waitFor();

  // What the page shows is what the SP metadata says, and the download link serves that metadata.
  const sp = (await (await fetch(`${api.url}/api/v1/auth/saml/acme-okta/metadata/?format=json`)).json()) as { entity_id: string; response_url: string };
  await expect(page.getByTestId('sp-acs-url')).toHaveText(sp.response_url);
  expect(sp.response_url).toBe(`${api.url}/api/v1/auth/saml/acme-okta/response/`);
  await expect(page.getByTestId('sp-entity-id')).toHaveText(sp.entity_id);
  const download = await page.getByRole('link', { name: 'Download SP metadata' }).getAttribute('href');
  const served = await fetch(new URL(download!, api.url));
  expect(served.status).toBe(200);
  expect(await served.text()).toContain(sp.response_url);

  const mapping = page.getByRole('form', { name: 'Add an attribute mapping' });
  await mapping.getByLabel('User field').selectOption('groups');
  await mapping.getByLabel('SAML attribute').fill('memberOf');
  await mapping.getByRole('button', { name: 'Add mapping' }).click();
  await page.getByRole('cell', { name: 'memberOf' }).waitFor();
  // A metadata file loads into the box (a new IdP certificate would come this way), saved like a pasted one.
  const settings = page.getByRole('form', { name: 'SAML settings' });
  const rotated = metadata.replace('https://idp.example.com/sso/saml', 'https://idp.example.com/sso/saml2');
  await settings.getByLabel('Load the metadata from a file').setInputFiles({ name: 'idp.xml', mimeType: 'application/xml', buffer: Buffer.from(rotated) });
  expect(await poll(async () => (await settings.getByLabel('IdP metadata XML').inputValue()) === rotated)).toBe(true);
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'SAML configuration acme-okta saved.' }).first().waitFor();
  expect(await poll(async () => (await api.admin('GET', '/api/v1/auth/saml/configuration/acme-okta/')).idp_metadata_xml === rotated)).toBe(true);
  const configs = await api.admin('GET', '/api/v1/auth/saml/configuration/');
  expect(configs).toEqual([expect.objectContaining({ name: 'acme-okta', organisation: orgId, allow_idp_initiated: true, want_response_signed: false })]);
  const mappings = await api.admin('GET', `/api/v1/auth/saml/attribute-mapping/?saml_configuration=${configs[0].id}`);
  expect(mappings).toEqual([expect.objectContaining({ django_attribute_name: 'groups', idp_attribute_name: 'memberOf' })]);
  await page.evaluate('window.scrollTo(0, 0)');
  await shot(page, '25-saml-configuration');
});

test('single sign-on: an OIDC provider\'s client secret is shown as configured, never echoed, and can be replaced or removed', async () => {
  if (!(await apiPresent('/api/v1/auth/oidc/providers/'))) throw new Error('PENDING: the OIDC provider admin API (/api/v1/auth/oidc/providers/) is not served yet');
  await nav(page).getByRole('link', { name: 'Single sign-on' }).click();
  await page.getByRole('link', { name: 'New OIDC provider' }).click();
  const form = page.getByRole('form', { name: 'New OIDC provider' });
  await form.getByLabel('Name', { exact: true }).fill('corp');
  await form.getByLabel('Issuer').fill('https://login.example.com/realms/corp');
  await form.getByLabel('Client ID').fill('flagstack-ui');
  await form.getByLabel('Client secret').fill(OIDC_SECRET);
  await form.getByLabel('Groups claim').fill('groups');
  await form.getByLabel('Organisation').selectOption({ label: 'Acme' });
  await form.getByRole('button', { name: 'Add provider' }).click();
  await page.getByRole('heading', { name: 'OIDC · corp' }).waitFor();
  const settings = page.getByRole('form', { name: 'Provider settings' });
  await expect(settings.getByTestId('secret-badge')).toHaveText('configured');
  await expect(page.getByTestId('oidc-redirect-uri')).toHaveText(`${api.url}/api/v1/auth/oidc/corp/callback/`);
  // Never echoed: not in the page, not in the field, not in the API's answer.
  const secretBox = settings.getByLabel('Replace the client secret');
  expect(await secretBox.inputValue()).toBe('');
  expect(await page.content()).not.toContain(OIDC_SECRET);
  const stored = await api.admin('GET', '/api/v1/auth/oidc/providers/corp/');
  expect(JSON.stringify(stored)).not.toContain(OIDC_SECRET);
  expect(stored).toMatchObject({ client_secret_configured: true, groups_claim: 'groups', organisation: orgId, client_id: 'flagstack-ui' });
  await page.evaluate('window.scrollTo(0, 0)');
  await shot(page, '26-oidc-provider');

  // Replaced: still configured, the field empties again.
  await secretBox.fill('a-new-secret-value-for-corp');
  const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === '/api/v1/auth/oidc/providers/corp/');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  const sent = await patched;
  expect(sent.status()).toBe(200);
  expect(sent.request().postDataJSON()).toMatchObject({ client_secret: 'a-new-secret-value-for-corp' });
  expect(await poll(async () => (await secretBox.inputValue()) === '')).toBe(true);
  await expect(settings.getByTestId('secret-badge')).toHaveText('configured');
  expect(await page.content()).not.toContain('a-new-secret-value-for-corp');
  // A bad issuer: the API's message under the Issuer field.
  const issuer = settings.getByLabel('Issuer');
  await issuer.fill('ftp://login.example.com');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(issuer).toHaveAttr('aria-invalid', 'true');
  await issuer.fill('https://login.example.com/realms/corp');
  // Removed: the badge says so.
  await settings.getByLabel('Remove the client secret (public client)').check();
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByTestId('secret-badge')).toHaveText('not set');
  expect((await api.admin('GET', '/api/v1/auth/oidc/providers/corp/')).client_secret_configured).toBe(false);

  // The overview lists both, and the LDAP settings stay read-only with secrets masked.
  await page.locator('main').getByRole('link', { name: 'Single sign-on' }).click();
  await page.getByRole('link', { name: 'acme-okta' }).waitFor();
  await expect(page.locator('tr[data-provider="corp"]').getByTestId('secret-badge')).toHaveText('not set');
  await shot(page, '27-sso-overview');
});

test('the login screen offers the SSO providers: the SAML button starts at the IdP; a failed OIDC sign-in comes back with its reason', async () => {
  const context = await newContext(browser);
  const p = await context.newPage();
  watchConsole(p, consoleProblems);
  await p.goto(`${api.url}/settings/sso`);
  await p.getByRole('heading', { name: 'Sign in to flagstack' }).waitFor();
  const saml = p.getByRole('link', { name: 'Continue with acme-okta' });
  await p.getByRole('link', { name: 'Continue with corp' }).waitFor();
  const href = new URL((await saml.getAttribute('href'))!);
  expect([href.origin, href.pathname, href.searchParams.get('next')]).toEqual([api.url, '/api/v1/auth/saml/acme-okta/request/', '/settings/sso']);
  await shot(p, '34-login-sso');
  // The IdP is not reachable from here: its page is answered in the browser, the request flagstack sent is checked.
  await p.route('https://idp.example.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'identity provider' }));
  await saml.click();
  await p.waitForURL((u) => u.origin === 'https://idp.example.com' && u.pathname === '/sso/saml2');
  expect(new URL(p.url()).searchParams.get('SAMLRequest')).toBeTruthy();

  // An OIDC callback this browser did not start: back on the login screen, which says why.
  await p.goto(`${api.url}/api/v1/auth/oidc/corp/callback/?code=forged-code&state=forged-state`);
  await p.getByRole('heading', { name: 'Sign in to flagstack' }).waitFor();
  expect(new URL(p.url()).pathname).toBe('/login');
  const reason = new URL(p.url()).searchParams.get('error');
  expect(reason).toMatch(/^(invalid_state|browser_mismatch)$/);
  await p.getByRole('alert').filter({ hasText: /^Single sign-on failed: This sign-in (link has expired or was already used|was started in another browser)/ }).waitFor();

  // A SAML response the browser posts without having started the flow: the ACS sends it back here too.
  await p.goto(`${api.url}/login`);
  // (A string, as the other page scripts here: the test code is type-checked without the DOM library.)
  await p.evaluate(`(() => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = '/api/v1/auth/saml/acme-okta/response/';
    const field = document.createElement('input');
    field.name = 'SAMLResponse';
    field.value = btoa('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>');
    form.append(field);
    document.body.append(form);
    form.submit();
  })()`);
  await p.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('error') !== null);
  expect(new URL(p.url()).searchParams.get('error')).toMatch(/^saml_/);
  await p.getByRole('alert').filter({ hasText: /^Single sign-on failed: / }).waitFor();
  expect(await p.getByRole('alert').filter({ hasText: /^Single sign-on failed: / }).textContent()).not.toMatch(/saml_/);
  await context.close();
});

test('the new screens at 390 px: no horizontal scrolling; nothing broke the CSP or threw', async () => {
  const phone = await newContext(browser, 390, 844);
  await phone.addCookies(await admin.cookies());
  const p = await phone.newPage();
  watchConsole(p, consoleProblems);
  const screens: Array<[string, string, string]> = [
    ['/account', 'Your account', '28-account-phone'],
    [`/organisations/${orgId}/users`, 'Members · Acme', '29-members-phone'],
    ['/settings/sso', 'Single sign-on', '30-sso-overview-phone'],
    ['/settings/sso/saml/acme-okta', 'SAML · acme-okta', '31-saml-configuration-phone'],
    ['/settings/sso/oidc/corp', 'OIDC · corp', '32-oidc-provider-phone'],
    ['/settings/ldap', 'LDAP', '33-ldap-phone'],
  ];
  for (const [path, heading, name] of screens) {
    await p.goto(`${api.url}${path}`);
    await p.getByRole('heading', { name: heading, exact: true }).waitFor();
    await p.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' }).catch(() => undefined);
    const width = await scrollWidth(p);
    // On failure, say what sticks out.
    const wider = width > 390 ? await p.evaluate<string[]>(`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 390 && !e.closest('table')).slice(0, 6).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`) : [];
    expect({ path, width, wider }).toEqual({ path, width: 390, wider: [] });
    await shot(p, name);
  }
  // Keyboard: the heading of a screen reached through the menu has focus.
  await p.getByRole('button', { name: 'Menu' }).click();
  await nav(p).getByRole('link', { name: 'Single sign-on' }).click();
  await p.getByRole('heading', { name: 'Single sign-on' }).waitFor();
  // Focus moves in the frame after the (lazily loaded) screen renders: wait for it a moment, then check where it is.
  await p.waitForFunction("document.activeElement?.tagName === 'H1'", undefined, { timeout: 2000 }).catch(() => undefined);
  expect(await p.evaluate('document.activeElement?.tagName')).toBe('H1');
  await phone.close();
  expect(consoleProblems).toEqual([]);
});
