// The browser side of the UI end-to-end tests: Debian's chromium driven by playwright-core with the launch flags this
// machine needs, contexts at a given width, screenshots into test-artifacts/screenshots/, a console watcher, and
// polling matchers on locators (playwright-core ships no test runner), shared by both UI end-to-end files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = join(__dirname, '..', '..');
export const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The launch flags this machine needs (closed network, root, no GPU); playwright adds --headless and a fresh profile. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync', '--disable-dev-shm-usage'];

/** Builds the UI when dist/ui is missing or stale and launches chromium. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install chromium (npm test's pretest does it as root)`);
  mkdirSync(SHOTS, { recursive: true });
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensure-ui.js')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0 || !existsSync(join(ROOT, 'dist', 'ui', 'index.html'))) throw new Error(`UI build failed:\n${build.stdout}\n${build.stderr}`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export async function newContext(browser: Browser, width = 1280, height = 860): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(15_000);
  return context;
}

export async function shot(p: Page, name: string, fullPage = false): Promise<void> {
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** Collects console errors other than the 4xx answers a test provokes, and uncaught page errors. */
export function watchConsole(p: Page, problems: string[]): void {
  p.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(m.text());
  });
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}

/** Fills the email + password form (the first one on the page unless a scope is given) and submits it. */
export async function signIn(p: Page, email: string, password: string): Promise<void> {
  await p.getByLabel('Email', { exact: true }).fill(email);
  await p.getByLabel('Password', { exact: true }).fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

/** Page width exceeds the viewport: something forces horizontal scrolling. */
export async function scrollWidth(p: Page): Promise<number> {
  return p.evaluate<number>('document.documentElement.scrollWidth');
}

export async function poll(check: () => Promise<boolean>, timeout = 10_000): Promise<boolean> {
  const end = Date.now() + timeout;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toHaveAttr(name: string, value: string | null): Promise<R>;
      toHaveText(value: string | RegExp): Promise<R>;
      toBeHidden(): Promise<R>;
    }
  }
}

type LocatorLike = { getAttribute(n: string): Promise<string | null>; innerText(): Promise<string>; isHidden(): Promise<boolean> };

/** Registers the polling matchers (call once per test file). */
export function extendExpect(): void {
  expect.extend({
    async toHaveAttr(locator: LocatorLike, name: string, value: string | null) {
      const pass = await poll(async () => (await locator.getAttribute(name)) === value);
      const actual = await locator.getAttribute(name).catch(() => '(no element)');
      return { pass, message: () => `expected attribute ${name}=${JSON.stringify(value)}, got ${JSON.stringify(actual)}` };
    },
    async toHaveText(locator: LocatorLike, value: string | RegExp) {
      const ok = (t: string) => (typeof value === 'string' ? t.trim() === value : value.test(t.trim()));
      const pass = await poll(async () => ok(await locator.innerText()));
      const actual = await locator.innerText().catch(() => '(no element)');
      return { pass, message: () => `expected text ${String(value)}, got "${actual}"` };
    },
    async toBeHidden(locator: LocatorLike) {
      const pass = await poll(() => locator.isHidden());
      return { pass, message: () => 'expected the element to be hidden' };
    },
  });
}
