// End to end, in a real headless Chromium: the built dashboard against the gateway and the lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
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
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

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
  // One context for the tabs of one browser (they share sessionStorage's origin and a BroadcastChannel).
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
  page = await context.newPage();
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

/** axe-core's serious and critical violations on the page as it is now (rule id and where). */
async function axeViolations(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** No serious or critical axe violation at the desktop and the phone size; tables fit the phone's width. */
async function expectAccessibleAtBothSizes(where: string): Promise<void> {
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    expect(await axeViolations(), `${where} at ${size.width}×${size.height}`).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${where}: page wider than the screen at ${size.width} px`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(DESKTOP);
}

/** Opens an action's dialog, gives a reason and reviews it. */
async function review(action: string, reason: string) {
  await page.getByTestId(`action-${action}`).click();
  const dialog = page.getByTestId('action-dialog');
  await dialog.getByLabel(/Reason/).fill(reason);
  await dialog.getByRole('button', { name: 'Review' }).click();
  return dialog;
}

const status = () => page.locator('.page-head [data-testid="status"]').textContent();

describe('dashboard in Chromium against the gateway', () => {
  it('is served by the gateway under /dashboard/, with its icon', async () => {
    const response = await fetch(`${stack.gatewayUrl}/dashboard/`, { signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<div id="root">');
    expect(html).toMatch(/<link rel="icon" type="image\/svg\+xml" href="favicon.svg"/);
    expect((await fetch(`${stack.gatewayUrl}/dashboard/favicon.svg`, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
  });

  it('asks for the admin token once (saying where the local one is), then shows the four components live', async () => {
    await page.goto(`${server.url}/dashboard/`);
    await expect.poll(() => page.getByTestId('token-local').textContent()).toContain('local-admin-token');
    await expectAccessibleAtBothSizes('token page');
    await page.getByRole('textbox', { name: 'Admin token' }).fill(stack.adminToken);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    for (const component of ['llm', 'stt', 'tts', 'vision']) {
      await expect.poll(() => card(component).getByTestId('p95').textContent(), { timeout: TIMEOUT }).toMatch(/\d+ m?s/);
      await expect.poll(() => card(component).getByTestId('status').textContent()).toBe('Paid API only');
      expect(await card(component).getByTestId('step').textContent()).toBe('not started · 0 %');
    }
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: TIMEOUT }).toContain('Live');
    await expect.poll(() => page.getByTestId('rps').textContent(), { timeout: TIMEOUT }).toMatch(/\d/);
    await expect.poll(() => page.getByTestId('students').textContent(), { timeout: TIMEOUT }).toMatch(/^[1-9]\d*$/);
    // Nothing migrated: the headline says so rather than a figure made of noise.
    expect(await page.getByTestId('cost-reduction').textContent()).toBe('nothing migrated yet');
    await expectAccessibleAtBothSizes('overview');
    // The token is kept for the tab (a reload goes straight in), and a new tab gets it from this one.
    await page.reload();
    await expect.poll(() => card('stt').getByTestId('weight').textContent()).toMatch(/%/);
    const second = await page.context().newPage();
    await second.goto(`${server.url}/dashboard/`);
    await expect.poll(() => second.getByTestId('card-stt').getByTestId('weight').textContent(), { timeout: TIMEOUT }).toMatch(/%/);
    await second.close();
  }, 120_000);

  it('says so when a component does not exist, instead of loading forever', async () => {
    await page.goto(`${server.url}/dashboard/#/components/nope`);
    await expect.poll(() => page.getByTestId('unknown-component').textContent(), { timeout: TIMEOUT }).toMatch(/no component named “nope”.*llm, stt, tts, vision/);
  });

  it('starts the rollout from the page: the plan, what changes, nothing blocks the first step', async () => {
    await page.goto(`${server.url}/dashboard/#/components/stt`);
    await expect.poll(() => page.getByTestId('plan').textContent(), { timeout: TIMEOUT }).toMatch(/10 % for at least 48 h.*50 % for at least 48 h.*100 % for at least 7 d/);
    let dialog = await review('weight', 'no');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // A reason too short is said in words for people, not as a validation message.
    await page.getByTestId('action-promote').click();
    dialog = page.getByTestId('action-dialog');
    await dialog.getByLabel(/Reason/).fill('ok');
    await dialog.getByRole('button', { name: 'Review' }).click();
    await expect.poll(() => dialog.textContent()).toContain('Say why in a few words (at least 3 characters).');
    await dialog.getByLabel(/Reason/).fill('step 1 of the plan: the benchmark passed');
    await dialog.getByRole('button', { name: 'Review' }).click();
    await expect.poll(() => dialog.getByTestId('planned-changes').textContent()).toMatch(/weight: 0 % → 10 %.*status: Paid API only → Migrating/);
    expect(await dialog.getByTestId('blockers').textContent()).toBe('Nothing blocks it.');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => stack.weight('stt'), { timeout: TIMEOUT }).toBe(10);
    await expect.poll(() => page.getByTestId('component-weight').textContent(), { timeout: TIMEOUT }).toBe('10 %');
    await expect.poll(() => page.getByTestId('component-step').textContent(), { timeout: TIMEOUT }).toMatch(/^step 1 of 3 · 10 % · \d+ s of 48 h$/);
    await expect.poll(() => page.getByTestId('failing-counter').textContent()).toBe('0 of 3 failing evaluations before an automatic rollback');
    await expect.poll(() => page.getByTestId('audit-log').textContent(), { timeout: TIMEOUT }).toContain('step 1 of the plan');
    // 400 new students at 10 %: within 6 points (binomial σ = 1.5 points).
    const share = await stack.productionShare('stt', 400);
    expect(share).toBeGreaterThan(0.04);
    expect(share).toBeLessThan(0.16);
    await expectChartsWithData();
    await expect.poll(() => page.getByTestId('chart-latency').getByRole('img').getAttribute('aria-label'), { timeout: TIMEOUT }).toMatch(/faster-whisper p95: \d/);
    // The simulated class rates what it uses: the tile shows the mean, the NPS and how many rated.
    await expect.poll(() => page.getByTestId('component-satisfaction').textContent(), { timeout: TIMEOUT }).toMatch(/^\d+(\.\d)?\/10 · NPS -?\d+ · \d+ ratings$/);
    await expect.poll(async () => Number(await page.getByTestId('chart-satisfaction').getAttribute('data-points')), { timeout: TIMEOUT }).toBeGreaterThan(0);
  }, 120_000);

  it('loads the 48 h and 7 day history from the gateway in coarser buckets', async () => {
    for (const range of ['48h', '7d', '1h']) {
      const history = page.getByTestId('history');
      await history.getByLabel(range).check();
      await expect.poll(() => history.getAttribute('data-range')).toBe(range);
      await expectChartsWithData();
    }
  }, 60_000);

  it('shows a fault as an alert whose figures agree with the provider table, then the automatic rollback, announced', async () => {
    // The alert may last only a few evaluations before the rollback: a DOM observer notes when each first
    // appears, and whether, at that instant, the alert and the provider table said the same error rate.
    await page.evaluate(() => {
      const seen: { alertAt?: number; rollbackAt?: number; agree?: boolean[]; announced?: string } = { agree: [] };
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      const check = (): void => {
        const now = performance.now();
        // The alert and the provider table, in the same instant: an error-rate alert says the table's rate, a
        // cut-off alert goes with a provider the table says is cut off.
        const row = document.querySelector('[data-testid="provider-production"]');
        const rate = row?.querySelector('[data-testid="provider-error-rate"]')?.textContent;
        const serving = row?.querySelector('[data-testid="provider-serving"]')?.textContent;
        const errorAlert = document.querySelector('[data-testid="alerts"] [data-metric="error_rate"]');
        const breakerAlert = document.querySelector('[data-testid="alerts"] [data-metric="breaker_open"]');
        if (errorAlert && rate) seen.agree!.push(errorAlert.textContent!.includes(`${rate} of requests fail`));
        if (breakerAlert && serving) seen.agree!.push(serving === 'cut off');
        if (!seen.alertAt && document.querySelector('[data-testid="alerts"]')?.textContent?.includes('Critical')) seen.alertAt = now;
        if (!seen.rollbackAt && document.querySelector('.page-head [data-testid="status"]')?.textContent === 'Rolled back') seen.rollbackAt = now;
        const live = document.querySelector('[data-testid="live-region"]')?.textContent ?? '';
        if (live.includes('rolled back')) seen.announced = live;
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
      check();
    });
    type Seen = { alertAt?: number; rollbackAt?: number; agree: boolean[]; announced?: string };
    const seen = () => page.evaluate(() => (window as unknown as { __seen: Seen }).__seen);
    await stack.injectFault('stt');
    await expect.poll(async () => (await seen()).alertAt, { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await seen()).rollbackAt, { timeout: 60_000 }).toBeGreaterThan(0);
    const { alertAt, rollbackAt, agree, announced } = await seen();
    expect(rollbackAt).toBeGreaterThanOrEqual(alertAt!);
    expect(agree.length).toBeGreaterThan(0);
    expect(agree.every(Boolean)).toBe(true);
    expect(announced).toMatch(/stt was rolled back: its students are on the paid API again/);
    await expect.poll(() => page.getByTestId('audit-log').textContent(), { timeout: TIMEOUT }).toMatch(/automatic analysis\s*rolled back/);
    expect(await page.getByTestId('component-step').textContent()).toBe('rolled back from step 1 of 3 · 0 %');
  }, 120_000);

  it('after the fix, a resume (which says it sets 10 %) does not roll back again', async () => {
    await stack.fixFault('stt');
    const dialog = await review('resume', 'faster-whisper fixed: the model server restarted');
    await expect.poll(() => dialog.getByTestId('planned-changes').textContent()).toMatch(/weight: 0 % → 10 %.*status: Rolled back → Migrating/);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => stack.weight('stt'), { timeout: TIMEOUT }).toBe(10);
    await expect.poll(() => page.getByTestId('failing-counter').textContent(), { timeout: TIMEOUT }).toBe('0 of 3 failing evaluations before an automatic rollback');
    // 25 evaluations (400 ms apart) over the fresh analysis: not one rollback, whatever the minute before held.
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(1_000);
      expect(await stack.weight('stt')).toBe(10);
    }
    expect(await status()).toBe('Migrating');
  }, 60_000);

  it('blocks a promotion the gates refuse, saying why, then records an override with its reason', async () => {
    const dialog = await review('promote', 'step 2 of the plan');
    await expect.poll(() => dialog.getByTestId('planned-changes').textContent()).toMatch(/weight: 10 % → 50 %/);
    await expect.poll(() => dialog.getByTestId('dialog-verdict').textContent()).toMatch(/HOLD|NO-GO/);
    await expect.poll(() => dialog.getByTestId('blockers').textContent()).toMatch(/GO \/ NO-GO is not GO.*the step has not been held its minimum time \(\d+ (s|min) of 48 h\)/);
    await page.screenshot({ path: join(screenshots, 'gated-promote.png') });
    await expectAccessibleAtBothSizes('the gated promotion dialog');
    // Confirmed without an override: the gateway refuses (409) and nothing changes.
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => dialog.getByTestId('action-error').textContent(), { timeout: TIMEOUT }).toContain('The gateway refused: the gates block this action.');
    expect(await stack.weight('stt')).toBe(10);
    await dialog.getByTestId('override-toggle').check();
    await dialog.getByLabel(/Why override the gates/).fill('the school trip starts Monday: we accept the risk');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => stack.weight('stt'), { timeout: TIMEOUT }).toBe(50);
    await expect.poll(() => page.locator('[data-testid="audit-log"] tr[data-override]').first().textContent(), { timeout: TIMEOUT }).toMatch(
      /promoted · override.*step 2 of the plan · OVERRIDE: the school trip starts Monday: we accept the risk \(despite: /,
    );
    await expect.poll(() => page.getByTestId('component-step').textContent(), { timeout: TIMEOUT }).toMatch(/^step 2 of 3 · 50 % · \d+ s of 48 h$/);
  }, 90_000);

  it('shows one snapshot on the page: the figures agree with the gateway’s evaluation they came from', async () => {
    await expect.poll(() => page.getByTestId('evaluated-at').textContent(), { timeout: TIMEOUT }).toMatch(/^Figures as of \d/);
    // In one instant of the page: its time, and the criteria, the counter and the gates of that snapshot.
    const view = await page.evaluate(() => ({
      at: document.querySelector('[data-testid="evaluated-at"]')!.getAttribute('data-at'),
      verdict: document.querySelector('[data-testid="go-verdict"]')?.textContent,
      availability: document.querySelector('[data-criterion="availability"] td')?.textContent,
    }));
    const res = await fetch(`${stack.gatewayUrl}/admin/v1/components/stt/criteria`, { headers: { authorization: `Bearer ${stack.adminToken}` }, signal: AbortSignal.timeout(5000) });
    const criteria = (await res.json()) as { history: { at: string; verdict: string }[] };
    const point = criteria.history.find((p) => p.at === view.at);
    // The gateway's history keeps a point when the verdict changes or a minute passed; when it kept this one, it agrees.
    if (point) expect(point.verdict).toBe(view.verdict);
    expect(view.availability).toMatch(/%|—/);
    await page.screenshot({ path: join(screenshots, 'component-stt.png'), fullPage: true });
    await expectAccessibleAtBothSizes('component page');
    await page.getByRole('link', { name: 'Overview' }).click();
    await expect.poll(() => card('stt').getByTestId('weight').textContent()).toBe('50 %');
    await expect.poll(() => card('stt').getByTestId('step').textContent()).toMatch(/^step 2 of 3 · 50 %/);
    await page.screenshot({ path: join(screenshots, 'overview.png'), fullPage: true });
    await page.getByRole('link', { name: 'stt' }).first().click();
  }, 90_000);

  it('shows "disconnected" and marks the figures stale when the gateway cannot be reached, and recovers by itself', async () => {
    const weightBefore = await stack.weight('stt');
    server.setOffline(true);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: TIMEOUT }).toContain('Disconnected');
    await expect.poll(() => page.getByTestId('stale').textContent()).toContain('not updating');
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
    await expect.poll(() => page.getByTestId('stale').count()).toBe(0);
  }, 90_000);

  it('shows quality: a listening test recorded from the tts page, its result and samples, and the shadow agreement charted', async () => {
    server.setOffline(false);
    await page.goto(`${server.url}/dashboard/#/components/tts`);
    const quality = page.getByTestId('quality');
    await expect.poll(() => quality.getByTestId('benchmarks-none').isVisible(), { timeout: TIMEOUT }).toBe(true);
    expect(await quality.getByTestId('agreement-none').isVisible()).toBe(true);
    const form = quality.getByTestId('listening-form');
    // A score out of range is said in words, next to the field, and nothing is posted.
    await form.getByLabel('Score (0 to 100 %)').fill('120');
    await form.getByRole('button', { name: 'Record the listening test' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('Give a score between 0 and 100.');
    expect(await form.getByLabel('Score (0 to 100 %)').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Score (0 to 100 %)').fill('92');
    await form.getByLabel('Words or sentences listened to').fill('12');
    await form.getByLabel(/^Note/).fill('Voix claire ; « grenouille » un peu lent.');
    await form.getByRole('button', { name: 'Record the listening test' }).click();
    await expect.poll(() => form.getByTestId('listening-saved').textContent(), { timeout: TIMEOUT }).toBe('Listening test recorded: 92% for coqui.');
    const row = quality.locator('[data-benchmark="listening-test"][data-provider="coqui"]');
    await expect.poll(() => row.textContent(), { timeout: TIMEOUT }).toMatch(/listening-test\s*coqui\s*92\s?%\s*12.*Voix claire ; « grenouille » un peu lent\./);
    // The voice-quality criterion counts it: its samples (12 of the 30 it needs), still inconclusive.
    await expect.poll(() => page.locator('[data-criterion="quality"]').textContent(), { timeout: TIMEOUT }).toMatch(/92\s?%.*12\s*\/\s*30/);
    await expectAccessibleAtBothSizes('tts page with the quality panel');

    // Shadow rows, as the gateway's comparison writes them (one per minute): the stt page charts them.
    const at = Date.now();
    for (const [ago, score] of [[120_000, 0.98], [60_000, 0.96]] as const) {
      const res = await fetch(`${stack.gatewayUrl}/admin/v1/components/stt/quality`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ benchmark: 'shadow:agreement', provider: 'faster-whisper', score, samples: 25, at: new Date(at - ago).toISOString() }),
        signal: AbortSignal.timeout(5000),
      });
      expect(res.status).toBe(201);
    }
    await page.goto(`${server.url}/dashboard/#/components/stt`);
    // The last hour, a point a minute (the 48 h default draws 10-minute points); the history's own range stays.
    await page.getByTestId('quality').getByLabel('1h').check();
    expect(await page.getByTestId('history').getByLabel('1h').isChecked()).toBe(true);
    const chart = page.getByTestId('chart-agreement');
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: TIMEOUT }).toBe('2');
    expect(await chart.getByRole('img').getAttribute('aria-label')).toMatch(/Agreement with the paid API \(shadow comparison\)\. faster-whisper: 96\s?%/);
    expect(await page.getByTestId('agreement-summary').textContent()).toMatch(/faster-whisper: 97\s?% over 50 samples/);
    // Left on the stt page, where the next test reads it.
    await expect.poll(() => page.locator('#page-title').textContent(), { timeout: TIMEOUT }).toBe('stt');
  }, 90_000);

  it('is fully French in French: criteria, answers, alerts, audit entries, dates and numbers', async () => {
    await page.getByRole('button', { name: /switch the page to French/ }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Vue d’ensemble' }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('criteria').textContent()).toMatch(/Répond-il à plus de 99,5\s% des requêtes\s\?/);
    expect(await page.getByTestId('component-step').textContent()).toMatch(/^étape 2 sur 3 · 50 % · \d+ (s|min) sur 48 h$/);
    const audit = (await page.getByTestId('audit-log').textContent()) ?? '';
    expect(audit).toContain('analyse automatique');
    expect(audit).toContain('retour arrière');
    expect(audit).toContain('passer outre');
    // Dates the French way (day first), in the audit log and on the charts' axes alike.
    expect(audit).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
    await expectAccessibleAtBothSizes('component page in French');
    await page.setViewportSize({ width: 800, height: 1100 });
    await page.getByRole('link', { name: 'Vue d’ensemble' }).click();
    await expect.poll(() => card('llm').isVisible()).toBe(true);
    expect(await card('llm').getByTestId('cost-efficiency').textContent()).toBe('rien de migré pour l’instant');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: 'Coûts' }).click();
    await expect.poll(() => page.getByTestId('break-even').textContent()).toBe('30 mois');
    await expect.poll(async () => Number((await page.getByTestId('month-requests').textContent())?.replace(/\D/g, '')), { timeout: TIMEOUT }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('month-to-date').textContent()).toMatch(/^\d[\d\s\u202f,]*\s?€$/);
    await expect.poll(() => page.getByTestId('projection').textContent()).toBe('—');
    await expect.poll(() => page.getByText('Pas de projection avant une heure').isVisible()).toBe(true);
  }, 90_000);
});
