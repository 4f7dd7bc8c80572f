// End to end: the admin UI in Debian's chromium (driven by playwright-core) against the real API on SQLite.
// Sign in, create an organisation, project, environment and feature, toggle it and see the change through the SDK
// endpoint; a field error shown next to its field; a segment and an override (and their priority order) seen by an
// identity; a change request proposed, approved by a second user and committed, and one scheduled; the phone layout;
// sign out. Screenshots of the main screens go to test-artifacts/screenshots/ (UPDATE_DOCS_SCREENSHOTS=1 also
// refreshes docs/screenshots/feature-list.png for the README).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApi, type TestApi } from '../support/harness';
import { extendExpect, launchBrowser, newContext as contextOf, poll, ROOT, SHOTS, shot, signIn, watchConsole as watch } from '../support/browser';

jest.setTimeout(240_000);
extendExpect();

const REVIEWER = { email: 'reviewer@example.com', password: 'reviewer-password-1234' };

let api: TestApi;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
const consoleProblems: string[] = [];
let envKey = '';
let projectId = 0;

const newContext = (width = 1280, height = 860): Promise<BrowserContext> => contextOf(browser, width, height);
const watchConsole = (p: Page): void => watch(p, consoleProblems);

async function sdkFlags(key: string): Promise<Array<{ feature: { name: string }; enabled: boolean; feature_state_value: unknown }>> {
  const res = await fetch(`${api.url}/api/v1/flags/`, { headers: { 'X-Environment-Key': key } });
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

/** Polls the SDK endpoint until a flag looks as expected (the environment document is rebuilt after each write). */
async function expectFlag(key: string, name: string, expected: { enabled?: boolean; value?: unknown }): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 50; i++) {
    const flag = (await sdkFlags(key)).find((f) => f.feature.name === name);
    last = flag;
    if (flag && (expected.enabled === undefined || flag.enabled === expected.enabled) && (expected.value === undefined || flag.feature_state_value === expected.value)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`flag ${name} never became ${JSON.stringify(expected)}; last seen ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  // Builds the UI when dist/ui is missing or older than api/ui (about a second), then starts chromium.
  browser = await launchBrowser();
  api = await startTestApi('sqlite', { listen: true });
  admin = await newContext();
  page = await admin.newPage();
  watchConsole(page);
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

test('sign in, create an organisation, project, environment and feature, and toggle it: the SDK sees the change', async () => {
  await page.goto(`${api.url}/`);
  await page.getByRole('heading', { name: 'Sign in to flagstack' }).waitFor();
  await shot(page, '01-login');
  // A wrong password is reported on the form, not silently.
  await signIn(page, ADMIN_EMAIL, 'not the password at all');
  await page.getByRole('alert').filter({ hasText: 'Unable to log in with provided credentials.' }).waitFor();
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);

  await page.getByRole('heading', { name: 'Organisations' }).waitFor();
  await page.getByLabel('Organisation name').fill('Acme');
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await page.getByRole('heading', { name: 'Projects · Acme' }).waitFor();
  await page.getByLabel('Project name').fill('Web shop');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Environments · Web shop' }).waitFor();
  for (const name of ['Development', 'Production']) {
    await page.getByLabel('Environment name').fill(name);
    await page.getByRole('button', { name: 'Create environment' }).click();
    await page.getByRole('link', { name, exact: true }).waitFor();
  }
  await page.getByRole('link', { name: 'Production', exact: true }).click();
  await page.getByRole('heading', { name: 'Features · Production' }).waitFor();
  const match = /\/projects\/(\d+)\/environments\/([^/]+)\/features/.exec(new URL(page.url()).pathname)!;
  projectId = Number(match[1]);
  envKey = decodeURIComponent(match[2]!);

  await page.getByRole('button', { name: 'New tag' }).click();
  await page.getByLabel('Tag', { exact: true }).fill('checkout');
  await page.getByRole('button', { name: 'Create tag' }).click();
  await page.getByRole('button', { name: 'checkout' }).waitFor();

  await page.getByRole('button', { name: 'New feature' }).click();
  const form = page.getByRole('form', { name: 'New feature' });
  await form.getByLabel('Name', { exact: true }).fill('new_checkout');
  await form.getByLabel('Value', { exact: true }).fill('blue');
  await form.getByLabel('Description').fill('The redesigned checkout');
  await form.getByLabel('checkout').check();
  await form.getByRole('button', { name: 'Create feature' }).click();
  const row = page.locator('tr[data-feature="new_checkout"]');
  await row.waitFor();
  await expect(row.getByRole('switch')).toHaveAttr('aria-checked', 'false');
  await expectFlag(envKey, 'new_checkout', { enabled: false, value: 'blue' });

  // The same name again: the API's message is shown next to the Name field.
  await page.getByRole('button', { name: 'New feature' }).click();
  const again = page.getByRole('form', { name: 'New feature' });
  await again.getByLabel('Name', { exact: true }).fill('new_checkout');
  await again.getByRole('button', { name: 'Create feature' }).click();
  const nameInput = again.getByLabel('Name', { exact: true });
  await page.getByText('A feature named "new_checkout" already exists in this project.').waitFor();
  expect(await nameInput.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await nameInput.getAttribute('aria-describedby')) ?? '';
  expect(await page.locator(`[id="${describedBy.split(' ').pop()}"]`).innerText()).toContain('already exists');
  await page.getByRole('button', { name: 'Cancel' }).click();

  // More features, as a real project has them (and enough for a second page).
  const ui = await api.admin('POST', `/api/v1/projects/${projectId}/tags/`, { label: 'ui', color: '#7a3dd6' });
  const payments = await api.admin('POST', `/api/v1/projects/${projectId}/tags/`, { label: 'payments', color: '#157347' });
  const more: Array<[string, boolean, string | number | null, string | null, number[]]> = [
    ['dark_mode', true, null, 'Dark colour scheme for the storefront', [ui.id]],
    ['search_v2', false, null, 'New search backend (Elasticsearch)', []],
    ['promo_banner', true, 'Spring sale: 20% off', null, [ui.id]],
    ['max_cart_items', true, 25, 'Upper bound on items per order', []],
    ['payment_provider', true, 'stripe', null, [payments.id]],
    ['express_checkout', false, null, 'One-click checkout for returning customers', [payments.id]],
    ['maintenance_mode', false, 'We will be back at 06:00 UTC', null, []],
  ];
  for (const [name, on, value, description, tagIds] of more) {
    await api.admin('POST', `/api/v1/projects/${projectId}/features/`, { name, default_enabled: on, initial_value: value, description, tags: tagIds });
  }
  for (let i = 1; i <= 15; i++) {
    await api.admin('POST', `/api/v1/projects/${projectId}/features/`, { name: `experiment_${String(i).padStart(2, '0')}`, default_enabled: i % 3 === 0 });
  }
  // The list and the workspace (the environment's name, whether it needs change requests) load separately. Hold the
  // workspace's first request back: the switches are shown but stay disabled until it is there (a toggle clicked
  // before would have announced itself for "this environment" and skipped the change-request check).
  let releaseWorkspace = (): void => undefined;
  const workspaceHeld = new Promise<void>((resolve) => (releaseWorkspace = resolve));
  await page.route('**/api/v1/organisations/', async (route) => (await workspaceHeld, route.continue()), { times: 1 });
  await page.reload();
  await row.getByRole('switch').waitFor();
  expect(await row.getByRole('switch').isDisabled()).toBe(true);
  releaseWorkspace();
  await page.getByRole('heading', { name: 'Features · Production' }).waitFor();

  // The notice lives for 4 s: its wait starts in the browser before the click, and the PATCH's answer is awaited
  // too, so a slow machine can neither miss the notice nor make the test read the page before the answer.
  const announced = page.getByRole('status').filter({ hasText: 'new_checkout is now on in Production.' }).waitFor();
  const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && /\/featurestates\/\d+\/$/.test(new URL(r.url()).pathname));
  await row.getByRole('switch').click();
  expect((await saved).status()).toBe(200);
  await announced;
  await expect(row.getByRole('switch')).toHaveAttr('aria-checked', 'true');
  await expectFlag(envKey, 'new_checkout', { enabled: true, value: 'blue' });
  // The other environment is untouched.
  const dev = (await api.admin('GET', `/api/v1/environments/?project=${projectId}`)).find((e: { name: string }) => e.name === 'Development');
  await expectFlag(dev.api_key, 'new_checkout', { enabled: false });

  await page.getByRole('status').filter({ hasText: 'new_checkout is now on' }).waitFor({ state: 'detached', timeout: 8000 }).catch(() => undefined);
  await shot(page, '02-feature-list');
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
    copyFileSync(join(SHOTS, '02-feature-list.png'), join(ROOT, 'docs', 'screenshots', 'feature-list.png'));
  }

  // 23 features: two pages.
  await page.getByText('Page 1 of 2 · 23 items').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Page 2 of 2 · 23 items').waitFor();
  await page.locator('tr[data-feature="experiment_15"]').waitFor();
  await row.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Previous' }).click();
  await row.waitFor();

  // Search and tag filter narrow the list.
  await page.getByLabel('Search features').fill('dark');
  await page.locator('tr[data-feature="dark_mode"]').waitFor();
  await row.waitFor({ state: 'detached' });
  await page.getByLabel('Search features').fill('');
  await row.waitFor();
  await page.getByRole('button', { name: 'checkout', exact: true }).click();
  await page.locator('tr[data-feature="dark_mode"]').waitFor({ state: 'detached' });
  await expect(row.getByRole('switch')).toHaveAttr('aria-checked', 'true');
  await page.getByRole('button', { name: 'checkout', exact: true }).click();
});

test('a segment (with a field error first) and a segment override in priority order, seen by an identity', async () => {
  await page.getByRole('link', { name: 'Segments' }).click();
  await page.getByRole('link', { name: 'New segment' }).click();
  await page.getByRole('heading', { name: 'New segment' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill('beta_users');
  await page.getByLabel('Trait').fill('plan');
  await page.getByLabel('Operator').selectOption('MODULO');
  await page.getByText('divisor|remainder on a numeric trait').waitFor();
  await page.getByLabel('Value', { exact: true }).fill('beta');
  await page.getByRole('button', { name: 'Create segment' }).click();
  // The error names rules[0].rules[0].conditions[0].value: it is shown under that value box.
  await page.getByText('Expected "divisor|remainder", e.g. "2|0".').waitFor();
  expect(await page.getByLabel('Value', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  await page.getByLabel('Operator').selectOption('EQUAL');
  await page.getByRole('button', { name: 'Add condition' }).first().click();
  await page.getByLabel('Trait').nth(1).fill('country');
  await page.getByLabel('Operator').nth(1).selectOption('IN');
  await page.getByLabel('Value', { exact: true }).nth(1).fill('gb,fr');
  await page.getByRole('button', { name: 'Create segment' }).click();
  await page.getByRole('heading', { name: 'Segment · beta_users' }).waitFor();
  await shot(page, '03-segment-editor');

  const gamma = await api.admin('POST', `/api/v1/projects/${projectId}/segments/`, {
    name: 'gamma_testers',
    rules: [{ type: 'ALL', rules: [{ type: 'ANY', rules: [], conditions: [{ property: 'plan', operator: 'EQUAL', value: 'beta' }] }], conditions: [] }],
  });

  await page.getByRole('link', { name: 'Features' }).click();
  await page.getByRole('link', { name: 'new_checkout' }).click();
  await page.getByRole('heading', { name: 'new_checkout' }).waitFor();
  const add = page.getByRole('form', { name: 'Add a segment override' });
  await add.getByLabel('Segment', { exact: true }).selectOption({ label: 'beta_users' });
  await add.getByLabel('Value', { exact: true }).fill('green');
  await add.getByRole('button', { name: 'Add override' }).click();
  await page.locator('li.override[data-segment="beta_users"]').waitFor();
  await add.getByLabel('Segment', { exact: true }).selectOption({ label: 'gamma_testers' });
  await add.getByLabel('Value', { exact: true }).fill('purple');
  await add.getByRole('button', { name: 'Add override' }).click();
  await page.locator('li.override[data-segment="gamma_testers"]').waitFor();

  const order = () => page.locator('li.override').evaluateAll((items) => items.map((i) => i.getAttribute('data-segment')));
  expect(await order()).toEqual(['beta_users', 'gamma_testers']);
  const identify = async () => {
    const res = await fetch(`${api.url}/api/v1/identities/`, {
      method: 'POST',
      headers: { 'X-Environment-Key': envKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier: 'user-42', traits: [{ trait_key: 'plan', trait_value: 'beta' }, { trait_key: 'country', trait_value: 'gb' }] }),
    });
    const body = (await res.json()) as { flags: Array<{ feature: { name: string }; enabled: boolean; feature_state_value: unknown }> };
    return body.flags.find((f) => f.feature.name === 'new_checkout')!;
  };
  // Both were added enabled; switching one off and on again goes through the override's own state. The first
  // matching override wins.
  const betaSwitch = page.getByRole('switch', { name: 'Override for beta_users enabled' });
  await expect(betaSwitch).toHaveAttr('aria-checked', 'true');
  await betaSwitch.click();
  await page.getByRole('status').filter({ hasText: 'Override for beta_users saved.' }).first().waitFor();
  await expect(betaSwitch).toHaveAttr('aria-checked', 'false');
  expect(await identify()).toMatchObject({ enabled: false, feature_state_value: 'green' });
  await betaSwitch.click();
  await expect(betaSwitch).toHaveAttr('aria-checked', 'true');
  await expect(page.getByRole('switch', { name: 'Override for gamma_testers enabled' })).toHaveAttr('aria-checked', 'true');
  expect(await identify()).toMatchObject({ enabled: true, feature_state_value: 'green' });

  await page.getByRole('button', { name: 'Move gamma_testers up' }).click();
  await page.getByRole('status').filter({ hasText: 'gamma_testers moved up.' }).waitFor();
  expect(await poll(async () => JSON.stringify(await order()) === JSON.stringify(['gamma_testers', 'beta_users']))).toBe(true);
  const placements = await api.admin('GET', `/api/v1/features/feature-segments/?environment=${(await api.admin('GET', `/api/v1/environments/${envKey}/`)).id}`);
  expect(placements.find((p: { segment: number }) => p.segment === gamma.id).priority).toBe(0);
  expect(await identify()).toMatchObject({ enabled: true, feature_state_value: 'purple' });
  await shot(page, '04-feature-detail');

  // Variants: add two, weigh them in Production; the control keeps the rest.
  const variant = page.getByRole('form', { name: 'Add a variant' });
  await variant.getByLabel('Variant value').fill('red');
  await variant.getByLabel('Default weight (%)').fill('20');
  await variant.getByRole('button', { name: 'Add variant' }).click();
  await page.getByLabel('Weight of red').waitFor();
  await variant.getByLabel('Variant value').fill('yellow');
  await variant.getByRole('button', { name: 'Add variant' }).click();
  await page.getByLabel('Weight of yellow').fill('35');
  await page.getByLabel('Weight of red').fill('70');
  await page.getByText('The weights add up to 105%').waitFor();
  expect(await page.getByRole('button', { name: 'Save weights' }).isDisabled()).toBe(true);
  await page.getByLabel('Weight of red').fill('25');
  await expect(page.locator('output')).toHaveText('40');
  await page.getByRole('button', { name: 'Save weights' }).click();
  await page.getByText('Weights saved in Production.').waitFor();
  const feature = (await api.admin('GET', `/api/v1/projects/${projectId}/features/?page_size=100`)).results.find((f: { name: string }) => f.name === 'new_checkout');
  const [state] = (await api.admin('GET', `/api/v1/environments/${envKey}/featurestates/?feature=${feature.id}`)).results;
  const weights = Object.fromEntries(
    state.multivariate_feature_state_values.map((m: { multivariate_feature_option: number; percentage_allocation: number }) => [
      feature.multivariate_options.find((o: { id: number }) => o.id === m.multivariate_feature_option).string_value,
      m.percentage_allocation,
    ]),
  );
  expect(weights).toEqual({ red: 25, yellow: 35 });

  // The identity the SDK created, with its traits.
  await page.getByRole('link', { name: 'Identities' }).click();
  await page.getByRole('link', { name: 'user-42' }).click();
  await page.getByRole('heading', { name: 'Identity · user-42' }).waitFor();
  await page.getByRole('cell', { name: 'country', exact: true }).waitFor();
  const overrides = page.getByRole('form', { name: 'Add an identity override' });
  await overrides.getByLabel('Feature').selectOption({ label: 'dark_mode' });
  await overrides.getByLabel('Value').fill('high-contrast');
  await overrides.getByRole('button', { name: 'Add override' }).click();
  await page.getByText('Override added.').waitFor();
  await shot(page, '05-identity');
});

test('a change request: proposed, approved by a second user, committed; and a scheduled change', async () => {
  // A reviewer who may approve, and one approval required in Production.
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('button', { name: 'Add a member' }).click();
  await page.getByLabel('Email', { exact: true }).fill(REVIEWER.email);
  await page.getByLabel('Role', { exact: true }).selectOption('ADMIN');
  await page.getByLabel('Initial password').fill(REVIEWER.password);
  await page.getByRole('button', { name: 'Add member' }).click();
  await page.getByRole('cell', { name: REVIEWER.email }).waitFor();
  await shot(page, '06-members');

  await page.getByRole('link', { name: 'Environments' }).click();
  await page.getByLabel('Approvals required in Production').fill('1');
  await page.locator('tr', { hasText: 'Production' }).getByRole('button', { name: 'Save' }).click();
  await page.getByText('Production now requires 1 approval(s).').waitFor();

  await page.goto(`${api.url}/projects/${projectId}/environments/${envKey}/features`);
  await page.getByRole('link', { name: 'new_checkout' }).click();
  const production = page.locator('tr[data-env="Production"]');
  await production.getByRole('switch').click();
  const propose = page.getByRole('form', { name: 'Propose a change' });
  await propose.getByLabel('Title').fill('Turn the new checkout off');
  await propose.getByRole('button', { name: 'Create change request' }).click();
  await page.getByRole('heading', { name: 'Change request · Turn the new checkout off' }).waitFor();
  await expect(page.getByTestId('cr-status')).toHaveText('Waiting for approval');
  const crUrl = page.url();
  await expectFlag(envKey, 'new_checkout', { enabled: true });

  const reviewerContext = await newContext();
  const reviewer = await reviewerContext.newPage();
  watchConsole(reviewer);
  await reviewer.goto(crUrl);
  await signIn(reviewer, REVIEWER.email, REVIEWER.password);
  await reviewer.getByRole('heading', { name: 'Change request · Turn the new checkout off' }).waitFor();
  await reviewer.getByRole('button', { name: 'Approve' }).click();
  await expect(reviewer.getByTestId('cr-status')).toHaveText('Approved, ready to commit');
  await shot(reviewer, '07-change-request');
  await reviewer.getByRole('button', { name: 'Commit', exact: true }).click();
  await expect(reviewer.getByTestId('cr-status')).toHaveText('Published');
  await expectFlag(envKey, 'new_checkout', { enabled: false });

  // Scheduled: proposed with a time an hour ahead, approved, committed; it waits under Scheduled changes.
  await page.goto(`${api.url}/projects/${projectId}/environments/${envKey}/features`);
  await page.getByRole('link', { name: 'promo_banner' }).click();
  await page.locator('tr[data-env="Production"]').getByRole('button', { name: 'Schedule…' }).click();
  const schedule = page.getByRole('form', { name: 'Schedule a change' });
  await schedule.getByLabel('Title').fill('Promo banner off tonight');
  const later = new Date(Date.now() + 3_600_000);
  const local = new Date(later.getTime() - later.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await schedule.getByLabel('Goes live at').fill(local);
  await schedule.getByRole('button', { name: 'Create change request' }).click();
  await page.getByRole('heading', { name: 'Change request · Promo banner off tonight' }).waitFor();
  await reviewer.goto(page.url());
  await reviewer.getByRole('button', { name: 'Approve' }).click();
  await expect(reviewer.getByTestId('cr-status')).toHaveText('Approved, ready to commit');
  await reviewer.getByRole('button', { name: 'Commit (schedule)' }).click();
  await expect(reviewer.getByTestId('cr-status')).toHaveText(/^Scheduled for /);
  await page.getByRole('link', { name: 'Scheduled changes' }).click();
  await page.getByRole('link', { name: 'Promo banner off tonight' }).waitFor();
  await shot(page, '08-scheduled-changes');
  await reviewerContext.close();
});

test('groups and roles: a group with the reviewer, a role with environment permissions given to it', async () => {
  await page.getByRole('link', { name: 'Groups' }).click();
  await page.getByRole('button', { name: 'New group' }).click();
  await page.getByLabel('Group name').fill('Release managers');
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('heading', { name: 'Group · Release managers' }).waitFor();
  await page.getByLabel('Member', { exact: true }).selectOption({ label: REVIEWER.email });
  await page.getByRole('button', { name: 'Add to group' }).click();
  await page.getByRole('cell', { name: REVIEWER.email, exact: true }).waitFor();

  await page.getByRole('link', { name: 'Roles' }).click();
  await page.getByRole('button', { name: 'New role' }).click();
  await page.getByLabel('Role name').fill('Flag editor');
  await page.getByRole('button', { name: 'Create role' }).click();
  await page.getByRole('heading', { name: 'Role · Flag editor' }).waitFor();
  const envSection = page.getByRole('region', { name: 'Environment permissions' });
  await envSection.getByLabel('Environment', { exact: true }).selectOption({ label: 'Web shop / Production' });
  await envSection.getByRole('button', { name: 'Add' }).click();
  const grant = envSection.locator('fieldset.grant', { hasText: 'Web shop / Production' });
  await grant.getByLabel('VIEW_ENVIRONMENT').check();
  await grant.getByLabel('UPDATE_FEATURE_STATE').check();
  await grant.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Permissions on Web shop / Production saved.').waitFor();
  const groupsSection = page.getByRole('region', { name: 'Groups with this role' });
  await groupsSection.getByLabel('Group', { exact: true }).selectOption({ label: 'Release managers' });
  await groupsSection.getByRole('button', { name: 'Assign' }).click();
  await groupsSection.getByText('Release managers').first().waitFor();
  await page.evaluate('window.scrollTo(0, 0)');
  await shot(page, '13-role');

  const org = (await api.admin('GET', '/api/v1/organisations/'))[0];
  const role = (await api.admin('GET', `/api/v1/organisations/${org.id}/roles/`))[0];
  const grants = await api.admin('GET', `/api/v1/organisations/${org.id}/roles/${role.id}/environments-permissions/`);
  expect(grants).toHaveLength(1);
  expect([...grants[0].permissions].sort()).toEqual(['UPDATE_FEATURE_STATE', 'VIEW_ENVIRONMENT']);
  expect(await api.admin('GET', `/api/v1/organisations/${org.id}/roles/${role.id}/groups/`)).toHaveLength(1);
});

test('audit log, SDK keys and LDAP settings', async () => {
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log · Web shop' }).waitFor();
  await page.getByRole('cell', { name: /Segment override created/ }).first().waitFor();
  await shot(page, '09-audit-log');

  await page.getByRole('link', { name: 'SDK keys' }).click();
  await expect(page.getByTestId('client-key')).toHaveText(envKey);
  await page.getByLabel('Key name').fill('backend');
  await page.getByRole('button', { name: 'Create server-side key' }).click();
  const shown = page.locator('.new-key code');
  await shown.waitFor();
  const serverKey = await shown.innerText();
  expect(serverKey).toMatch(/^ser\./);
  const doc = await fetch(`${api.url}/api/v1/environment-document/`, { headers: { 'X-Environment-Key': serverKey } });
  expect(doc.status).toBe(200);
  await page.getByText("environmentID: '" + envKey + "'").waitFor();
  await shot(page, '10-sdk-keys');

  await page.getByRole('link', { name: 'LDAP' }).click();
  await page.getByRole('cell', { name: 'LDAP_AUTH_URL' }).waitFor();
  await shot(page, '11-ldap');
});

test('the phone layout (390 px) has no horizontal scrolling and a working menu', async () => {
  const phone = await newContext(390, 844);
  // Share the admin's session: same cookies.
  await phone.addCookies(await admin.cookies());
  const p = await phone.newPage();
  watchConsole(p);
  await p.goto(`${api.url}/projects/${projectId}/environments/${envKey}/features`);
  await p.locator('tr[data-feature="new_checkout"]').waitFor();
  expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await shot(p, '12-feature-list-phone');
  await expect(p.getByRole('link', { name: 'Segments' })).toBeHidden();
  await p.getByRole('button', { name: 'Menu' }).click();
  await p.getByRole('link', { name: 'Segments' }).click();
  await p.getByRole('heading', { name: 'Segments · Web shop' }).waitFor();
  expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await phone.close();
});

test('signing out ends the session; nothing on the pages broke the CSP or threw', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to flagstack' }).waitFor();
  const res = await page.request.get(`${api.url}/api/v1/auth/session/`);
  expect(res.status()).toBe(401);
  expect(consoleProblems).toEqual([]);
});
