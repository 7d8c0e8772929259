// End to end, in a real headless Chromium: the built dashboard against the gateway and the lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { serveDashboard, type DashboardServer } from './serveDashboard.ts';
import { startStack, type Stack } from './stack.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
// The README's screenshots are retaken only when asked (UPDATE_SCREENSHOTS=1): an ordinary test run takes
// them into a temporary folder, so it never leaves the working tree modified.
const screenshots = process.env.UPDATE_SCREENSHOTS === '1' ? resolve(root, '../../docs/screenshots') : join(tmpdir(), 'bascule-dashboard-screenshots');
const TIMEOUT = 30_000;

let stack: Stack;
let server: DashboardServer;
let browser: Browser;
let page: Page;

let dist: string;

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  // The production build, as `npm run build` makes it and the gateway serves it. Vite takes NODE_ENV from the
  // environment, where vitest has set "test": the build would then bundle React's development build and
  // test a page nobody deploys. Built apart from apps/dashboard/dist, which `npm start` serves as it finds it.
  dist = await mkdtemp(join(tmpdir(), 'bascule-dashboard-'));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true, sourcemap: false } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  stack = await startStack(dist);
  server = await serveDashboard(dist, stack.gatewayUrl);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' });
  page.setDefaultTimeout(TIMEOUT);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stack?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
});

const card = (component: string) => page.getByTestId(`card-${component}`);

/**
 * The component page's charts drew the gateway's rollups: each has points, and its description (the
 * latest value per series, for screen readers) carries measured numbers, not only "—".
 */
async function expectChartsWithData(): Promise<void> {
  for (const chart of ['chart-latency', 'chart-errors', 'chart-traffic', 'chart-cost']) {
    const figure = page.getByTestId(chart);
    await expect.poll(async () => Number(await figure.getAttribute('data-points')), { timeout: TIMEOUT }).toBeGreaterThan(0);
    await expect.poll(() => figure.getByRole('img').getAttribute('aria-label'), { timeout: TIMEOUT }).toMatch(/whisper[^:,]*: [^\s,]*\d/);
    expect(await figure.locator('canvas').count()).toBeGreaterThan(0);
  }
  await expect.poll(() => page.getByTestId('chart-latency').getByRole('img').getAttribute('aria-label')).toMatch(/p95: [\d.,]+ m?s/);
}

describe('dashboard in Chromium against the gateway', () => {
  it('is served by the gateway under /dashboard/', async () => {
    const response = await fetch(`${stack.gatewayUrl}/dashboard/`, { signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });

  it('asks for the admin token once, then shows the four components with live numbers', async () => {
    await page.goto(`${server.url}/dashboard/`);
    await page.getByRole('textbox', { name: 'Admin token' }).fill(stack.adminToken);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    for (const component of ['llm', 'stt', 'tts', 'vision']) {
      await expect.poll(() => card(component).getByTestId('p95').textContent(), { timeout: TIMEOUT }).toMatch(/\d+ m?s/);
      await expect.poll(() => card(component).getByTestId('status').textContent()).toMatch(/MVP|Migrating|Production/);
    }
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: TIMEOUT }).toContain('Live');
    await expect.poll(() => page.getByTestId('rps').textContent(), { timeout: TIMEOUT }).toMatch(/\d/);
    // The simulated class is counted by the gateway (distinct keyed hashes over 5 minutes).
    await expect.poll(() => page.getByTestId('students').textContent(), { timeout: TIMEOUT }).toMatch(/^[1-9]\d*$/);
    // The token is kept for the tab: a reload goes straight to the dashboard.
    await page.reload();
    await expect.poll(() => card('stt').getByTestId('weight').textContent()).toMatch(/%/);
  }, 90_000);

  it('sets a weight from the page: reason, from → to, confirmation; the gateway routes students by it', async () => {
    await page.getByRole('link', { name: 'stt' }).first().click();
    await page.getByTestId('action-weight').click();
    const dialog = page.getByTestId('action-dialog');
    await dialog.getByLabel('New weight (%)').fill('50');
    await dialog.getByRole('button', { name: 'Review' }).click();
    await expect.poll(() => dialog.textContent()).toMatch(/reason: expected at least 3 characters/);
    await dialog.getByLabel(/Reason/).fill('step 2 of the plan: GO on every criterion');
    await dialog.getByRole('button', { name: 'Review' }).click();
    await expect.poll(() => dialog.getByTestId('planned-changes').textContent()).toMatch(/weight: 0 % → 50 %/);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => stack.weight('stt'), { timeout: TIMEOUT }).toBe(50);
    await expect.poll(() => page.getByTestId('component-weight').textContent(), { timeout: TIMEOUT }).toBe('50 %');
    await expect.poll(() => page.getByTestId('audit-log').textContent(), { timeout: TIMEOUT }).toContain('step 2 of the plan');
    // 400 students at 50 %: within 8 points (binomial σ = 2.5 points; the gateway's own tests check
    // the shares precisely over 2 000 students).
    const share = await stack.productionShare('stt', 400);
    expect(share).toBeGreaterThan(0.42);
    expect(share).toBeLessThan(0.58);
    await expectChartsWithData();
    // The charts poll every 15 s: the production provider's first minutes show up by the next poll.
    await expect.poll(() => page.getByTestId('chart-latency').getByRole('img').getAttribute('aria-label'), { timeout: TIMEOUT }).toMatch(/faster-whisper p95: \d/);
    await page.screenshot({ path: join(screenshots, 'component-stt.png'), fullPage: true });
    await page.getByRole('link', { name: 'Overview' }).click();
    await expect.poll(() => card('stt').getByTestId('weight').textContent()).toBe('50 %');
    // Set by hand from the MVP: the engine keeps step -1; the card says so in words.
    expect(await card('stt').getByTestId('step').textContent()).toBe('manual — near 2 / 3 (50 %)');
    await page.screenshot({ path: join(screenshots, 'overview.png'), fullPage: true });
    await page.getByRole('link', { name: 'stt' }).first().click();
  }, 90_000);

  it('loads the 48 h and 7 day history from the gateway in coarser buckets', async () => {
    for (const range of ['48h', '7d', '1h']) {
      const history = page.getByTestId('history');
      await history.getByLabel(range).check();
      await expect.poll(() => history.getAttribute('data-range')).toBe(range);
      await expectChartsWithData();
    }
  }, 60_000);

  it('shows a fault in the lab as an alert, then as an automatic rollback, without reloading', async () => {
    // The alert may last only a few evaluations before the rollback: a DOM observer in the page notes when
    // each first appears, so the order is checked however briefly the alert was on screen.
    await page.evaluate(() => {
      const seen: { alertAt?: number; rollbackAt?: number } = {};
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      const check = (): void => {
        const now = performance.now();
        if (!seen.alertAt && document.querySelector('[data-testid="alerts"]')?.textContent?.includes('CRITICAL')) seen.alertAt = now;
        if (!seen.rollbackAt && document.querySelector('[data-testid="status"]')?.textContent === 'Rolled back') seen.rollbackAt = now;
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
      check();
    });
    const seen = () => page.evaluate(() => (window as unknown as { __seen: { alertAt?: number; rollbackAt?: number } }).__seen);
    await stack.injectFault('stt');
    await expect.poll(async () => (await seen()).alertAt, { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await seen()).rollbackAt, { timeout: 60_000 }).toBeGreaterThan(0);
    const { alertAt, rollbackAt } = await seen();
    expect(rollbackAt).toBeGreaterThanOrEqual(alertAt!);
    await expect.poll(() => page.getByTestId('audit-log').textContent(), { timeout: TIMEOUT }).toMatch(/analysis\s*rollback/i);
    // Same document all along (the observer's record survived): no reload happened.
    expect(await seen()).toBeTruthy();
  }, 120_000);

  it('shows "disconnected" when the gateway cannot be reached, and recovers by itself', async () => {
    const weightBefore = await stack.weight('stt');
    server.setOffline(true);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: TIMEOUT }).toContain('Disconnected');
    // An action that cannot reach the gateway says so, and changes nothing.
    await page.getByTestId('action-weight').click();
    const dialog = page.getByTestId('action-dialog');
    await dialog.getByLabel('New weight (%)').fill('20');
    await dialog.getByLabel(/Reason/).fill('try while offline');
    await dialog.getByRole('button', { name: 'Review' }).click();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => dialog.getByTestId('action-error').textContent(), { timeout: TIMEOUT }).toMatch(/Error: .*(503|unreachable|offline)/i);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('action-dialog').count()).toBe(0);
    expect(await stack.weight('stt')).toBe(weightBefore);
    server.setOffline(false);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: TIMEOUT }).toContain('Live');
  }, 90_000);

  it('switches to French and stays readable at tablet width', async () => {
    await page.getByRole('button', { name: 'Switch the page to French' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Vue d’ensemble' }).count()).toBe(1);
    await page.setViewportSize({ width: 800, height: 1100 });
    await page.getByRole('link', { name: 'Vue d’ensemble' }).click();
    await expect.poll(() => card('llm').isVisible()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: 'Coûts' }).click();
    await expect.poll(() => page.getByTestId('break-even').textContent()).toBe('30 mois');
    // Measured beside the plan: the gateway's totals of the month, and their projection.
    await expect.poll(async () => Number((await page.getByTestId('month-requests').textContent())?.replace(/\D/g, '')), { timeout: TIMEOUT }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('month-to-date').textContent()).toMatch(/^\d[\d\s\u202f,]*\s?€$/);
    // A fresh gateway has minutes of traffic, not the hour a projection needs: the page says so.
    await expect.poll(() => page.getByTestId('projection').textContent()).toBe('—');
    await expect.poll(() => page.getByText('Pas de projection avant une heure').isVisible()).toBe(true);
  }, 60_000);
});

