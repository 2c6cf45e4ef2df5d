// A small E2E harness: headless Debian Chromium through playwright-core (never a downloaded
// browser), helpers to talk to the API straight (test setup only) and to open isolated browsers.
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const EDGE = `http://127.0.0.1:${process.env.E2E_EDGE_PORT ?? 18400}`;
export const API = `http://127.0.0.1:${process.env.E2E_API_PORT ?? 18401}`;
export const GATEWAY = process.env.E2E_GATEWAY === 'present';
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? 'e2e-artifacts';
mkdirSync(ARTIFACTS, { recursive: true });

export async function launch() {
  // Playwright gives every launch a fresh temporary --user-data-dir of its own.
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A separate browser profile (cookies, storage, sockets), optionally already logged in. */
export async function openBrowser(browser, { session, mobile = false } = {}) {
  const context = await browser.newContext(mobile
    ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true }
    : { viewport: { width: 1200, height: 900 } });
  context.setDefaultTimeout(20_000);
  if (session) {
    await context.addInitScript((s) => {
      if (!localStorage.getItem('miaosha.session')) localStorage.setItem('miaosha.session', JSON.stringify(s));
    }, session);
  }
  const page = await context.newPage();
  openPages.push(page);
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.consoleErrors = consoleErrors;
  return page;
}

/** Every page opened, so a failed scenario can leave a screenshot of each behind. */
export const openPages = [];

export async function shotAll(prefix) {
  for (const [i, page] of openPages.entries()) {
    if (!page.isClosed()) await page.screenshot({ path: join(ARTIFACTS, `${prefix}-${i}.png`), fullPage: true }).catch(() => {});
  }
}

export async function shot(page, name, { fullPage = true } = {}) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** WCAG 2.1 A/AA violations of the page as axe-core finds them ([] when none), one line each. */
export async function accessibilityViolations(page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

/** Test setup talks to the API directly (not through nginx, whose log-in limit is per address). */
export async function api(path, { method = 'GET', body, token, headers = {} } = {}) {
  const response = await fetch(API + path, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return data;
}

let userCount = 0;
/**
 * A shopper signed up and logged in. Unless {@code verified} is false its email is confirmed first (in
 * the database: scenario 13 confirms one through the real email), so its pages show no "Confirm your
 * email" banner and the screens keep matching their screenshots.
 */
export async function newShopper(prefix = 'e2e', { verified = true } = {}) {
  const email = `${prefix}-${Date.now()}-${++userCount}@test.miaosha.dev`;
  const password = 'e2e-password';
  await api('/api/auth/signup', { method: 'POST', body: { email, password } });
  if (verified) confirmEmail(email);
  return api('/api/auth/login', { method: 'POST', body: { email, password } });
}

/** Marks an account's email confirmed in the stack's database (sessions issued after carry the claim). */
export function confirmEmail(email) {
  if (!/^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$/.test(email)) throw new Error(`not a test address: ${email}`);
  execFileSync('mariadb', ['-uroot', process.env.MIAOSHA_TEST_DB ?? 'miaosha_e2e', '-e',
    `UPDATE users SET email_verified_at = UTC_TIMESTAMP(3) WHERE email = '${email}'`]);
}

/**
 * The messages GreenMail (the stack's SMTP server, started by check 55) received for an address, as
 * its REST API gives them: subject and whole MIME text, quoted-printable undone as a mail reader would.
 */
export async function mailFor(address) {
  const port = process.env.E2E_MAIL_API_PORT;
  if (!port) throw new Error('no SMTP server in this stack (E2E_MAIL_API_PORT is not set): run it through scripts/checks/55-web.sh');
  const response = await fetch(`http://127.0.0.1:${port}/api/user/${address}/messages/`);
  if (!response.ok) return [];
  return (await response.json()).map((m) => ({
    subject: m.subject,
    text: m.mimeMessage.replace(/=\r?\n/g, '').replace(/=3D/g, '='),
  }));
}

export const logIn = (email, password) => api('/api/auth/login', { method: 'POST', body: { email, password } });

export async function createSale(adminToken, overrides = {}) {
  const product = await api('/api/admin/products', {
    method: 'POST', token: adminToken, body: { sku: `e2e-${Date.now()}-${++userCount}`, name: 'E2E sneaker', description: 'For browser tests', imageUrl: '/img/runner.svg' },
  });
  const now = Date.now();
  const sale = await api('/api/admin/sales', {
    method: 'POST', token: adminToken,
    body: {
      productId: product.id, title: 'E2E drop', priceMinor: 4900, currency: 'EUR', stock: 5,
      opensAt: new Date(now - 1000).toISOString(), closesAt: new Date(now + 3600_000).toISOString(),
      perUserLimit: 1, queueCapacity: 10, ...(GATEWAY ? { queueEnabled: true } : {}), ...overrides,
    },
  });
  // Arm it now, as the auto-armer would within ten seconds: the waiting room serves armed sales only.
  if (Date.parse(sale.opensAt) - now < 600_000) await api(`/api/admin/sales/${sale.id}/arm`, { method: 'POST', token: adminToken });
  return sale;
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Waits until fn() returns something truthy (polling), or fails with the message. */
export async function eventually(fn, message, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${message} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/** Waits until no CSS transition or animation is running (a bar still sliding to its value), however long that takes here. */
export async function settled(page) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity));
}
