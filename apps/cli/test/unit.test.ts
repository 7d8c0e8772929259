// The command line without a gateway: usage errors and their exit codes, colours that degrade off a terminal,
// the event-stream parser, the month's projection, and the report reproducing the plan's figures.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { costPlan, PLAN_PRICES, PLAN_VPS, type AuditEvent, type ComponentSummary, type CostsResponse, type CriteriaResponse } from '@bascule/contracts';
import { describe, expect, it } from 'vitest';
import { buildReport, EXIT, projectMonth, renderMarkdown } from '../src/index.ts';
import { createOutput } from '../src/output.ts';
import { readEvents } from '../src/sse.ts';
import { cli } from './support/run-cli.ts';

describe('usage', () => {
  it('prints help with every command and the exit codes, through the installed bin', () => {
    const bin = fileURLToPath(new URL('../bin/bascule.js', import.meta.url));
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    for (const command of ['preflight', 'status', 'rollout', 'promote', 'rollback', 'resume', 'events', 'criteria', 'report', 'notify']) expect(help).toContain(`  ${command}`);
    expect(help).toMatch(/5 {2}the action is blocked/);
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe('0.1.0');
  }, 30_000); // two starts of tsx on a busy machine

  it('exits 2 on bad usage, naming the option', async () => {
    expect((await cli(['frobnicate'])).code).toBe(EXIT.USAGE);
    const weight = await cli(['rollout', 'stt', '--to', '150', '--reason', 'x'], { env: { BASCULE_ADMIN_URL: 'http://127.0.0.1:9', BASCULE_ADMIN_TOKEN: 't' } });
    expect(weight).toMatchObject({ code: EXIT.USAGE });
    expect(weight.stderr).toMatch(/--to: expected a weight between 0 and 100, got "150"/);
    const missing = await cli(['rollout', 'stt', '--to', '50']);
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toMatch(/--reason/);
    expect((await cli(['criteria', 'ocr'], { env: { BASCULE_ADMIN_URL: 'http://127.0.0.1:9', BASCULE_ADMIN_TOKEN: 't' } })).stderr).toMatch(/unknown component "ocr": expected one of llm, stt, tts, vision/);
    expect((await cli(['report', '--month', '2026-13'], { env: { BASCULE_ADMIN_URL: 'http://127.0.0.1:9', BASCULE_ADMIN_TOKEN: 't' } })).stderr).toMatch(/--month: expected a month as YYYY-MM/);
  });

  it('needs a gateway URL (2) and a token (4), and says how to give them', async () => {
    const noUrl = await cli(['status']);
    expect(noUrl.code).toBe(EXIT.USAGE);
    expect(noUrl.stderr).toMatch(/BASCULE_ADMIN_URL/);
    const noToken = await cli(['status'], { env: { BASCULE_ADMIN_URL: 'http://127.0.0.1:9' } });
    expect(noToken.code).toBe(EXIT.AUTH);
    expect(noToken.stderr).toMatch(/BASCULE_ADMIN_TOKEN/);
  });

  it('exits 3 when the gateway cannot be reached, in JSON too', async () => {
    const r = await cli(['--json', 'status'], { env: { BASCULE_ADMIN_URL: 'http://127.0.0.1:9', BASCULE_ADMIN_TOKEN: 'secret-token-value' } });
    expect(r.code).toBe(EXIT.UNREACHABLE);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { exitCode: 3, message: expect.stringMatching(/cannot reach the admin API at http:\/\/127\.0\.0\.1:9/) } });
    expect(r.stdout + r.stderr).not.toContain('secret-token-value');
  });
});

describe('output', () => {
  const streams = (isTTY: boolean, env: Record<string, string> = {}) => {
    let text = '';
    return { s: { stdout: { write: (x: string) => (text += x), isTTY }, stderr: { write: () => true }, env }, text: () => text };
  };
  it('colours on a terminal, not in a pipe, not with NO_COLOR; FORCE_COLOR forces', () => {
    expect(createOutput(streams(true).s, false).color).toBe(true);
    expect(createOutput(streams(false).s, false).color).toBe(false);
    expect(createOutput(streams(true, { NO_COLOR: '1' }).s, false).color).toBe(false);
    expect(createOutput(streams(false, { FORCE_COLOR: '1' }).s, false).color).toBe(true);
    expect(createOutput(streams(true).s, true).color).toBe(false); // --json never colours
  });
  it('aligns table columns by their visible width, colour codes or not', () => {
    const { s, text } = streams(false, { FORCE_COLOR: '1' });
    const out = createOutput(s, false);
    out.table(['a', 'b', 'c'], [[out.paint('PASS', 'good'), 'x', 'end'], ['FAIL-LONG', 'yy', 'end']]);
    // eslint-disable-next-line no-control-regex
    const plain = text().replace(/\u001b\[[0-9;]*m/g, '').split('\n');
    expect(plain[1]!.indexOf('x')).toBe(plain[2]!.indexOf('yy'));
    expect(text()).toContain('\u001b[');
  });
});

describe('server-sent events', () => {
  it('parses events, multi-line data, comments and CRLF across chunk boundaries', async () => {
    async function* chunks() {
      yield 'retry: 3000\n\nevent: ev';
      yield 'ent\ndata: {"a":1}\n\n: heartbeat\r\n\r\n';
      yield 'data: line1\ndata: line2\n\n';
    }
    const seen = [];
    for await (const e of readEvents(chunks())) seen.push(e);
    expect(seen).toEqual([
      { event: 'event', data: '{"a":1}' },
      { event: 'message', data: 'line1\nline2' },
    ]);
  });
});

// ------------------------------------------------------------------------------------------ the report

const MONTH = '2026-12';
const plan = costPlan({ prices: { ...PLAN_PRICES }, vps: { ...PLAN_VPS } }, [
  { component: 'llm', mvp: 'huggingface', production: 'groq' },
  { component: 'stt', mvp: 'openai-whisper', production: 'faster-whisper' },
  { component: 'tts', mvp: 'web-speech', production: 'coqui' },
  { component: 'vision', mvp: 'easyocr', production: 'trocr' },
]);

function costs(at: string, since: string | null, costEur: number): CostsResponse {
  return {
    month: MONTH,
    monthStart: '2026-12-01T00:00:00.000Z',
    at,
    since,
    requests: 1000,
    costEur,
    components: [{ component: 'stt', requests: 1000, costEur, providers: [{ provider: 'openai-whisper', requests: 1000, costEur }] }],
    plan,
  };
}

describe('month projection', () => {
  it('scales the month so far to its length, waits for an hour of traffic, and keeps a past month as recorded', () => {
    expect(projectMonth(costs('2026-12-11T00:00:00.000Z', '2026-12-01T00:00:00.000Z', 60))).toBeCloseTo(186, 9); // 10 of 31 days
    expect(projectMonth(costs('2026-12-01T00:30:00.000Z', '2026-12-01T00:00:00.000Z', 1))).toBeNull();
    expect(projectMonth(costs('2027-01-02T00:00:00.000Z', '2026-12-01T00:00:00.000Z', 150))).toBe(150);
  });
});

describe('report', () => {
  const summary = (component: string, status: string, weight: number): ComponentSummary =>
    ({ component, status, weight, step: 1, plan: { version: 1, steps: [{ weight: 10 }, { weight: 50 }, { weight: 100 }], autoPromote: false }, alerts: [] }) as unknown as ComponentSummary;
  const verdict = (component: string, v: 'GO' | 'NO-GO'): CriteriaResponse =>
    ({ component, verdict: v, criteria: v === 'GO' ? [] : [{ id: 'cost_ratio', label: 'Cost per request vs MVP', verdict: 'FAIL' }] }) as unknown as CriteriaResponse;
  const event = (at: string, action: string): AuditEvent => ({ id: '1', at, component: 'stt', actor: 'admin', action, reason: 'canary', from: { weight: 10, status: 'migrating', step: 0 }, to: { weight: 50, status: 'migrating', step: 1 } }) as unknown as AuditEvent;

  const r = buildReport({
    month: MONTH,
    costs: costs('2026-12-11T00:00:00.000Z', '2026-12-01T00:00:00.000Z', 60),
    components: [summary('stt', 'migrating', 50), summary('llm', 'production', 100)],
    criteria: [verdict('stt', 'NO-GO'), verdict('llm', 'GO')],
    events: [event('2026-12-05T10:00:00.000Z', 'set-weight'), event('2026-11-20T10:00:00.000Z', 'promote')],
  });

  it("puts the measured month beside the plan's figures, from the plan's inputs", () => {
    expect(r.measured.projectedEur).toBeCloseTo(186, 9);
    expect(r.measured.versusBaseline).toBeCloseTo(186 / 280, 9);
    expect(r.measured.savedEur).toBeCloseTo(94, 9);
    expect(r.measured.breakEvenMonths).toBeCloseTo(3600 / 94, 9);
    expect(r.plan!.baseline.monthlyEur).toBeCloseTo(280, 9);
    expect(r.plan!.production.monthlyEur).toBeCloseTo(160, 9);
    expect(r.history.map((h) => h.action)).toEqual(['set-weight']); // November's event is not December's
    expect(r.migrations.find((m) => m.component === 'stt')).toMatchObject({ verdict: 'NO-GO', failing: ['Cost per request vs MVP'] });
  });

  it('renders Markdown for a stakeholder e-mail with every plan figure', () => {
    const md = renderMarkdown(r);
    expect(md).toMatch(/^# Bascule — December 2026 report/);
    expect(md).toContain('**Projected for the month:** 186 € — 66 % of the 280 € baseline (−34 %).');
    expect(md).toContain('| Monthly cost | 186 € projected | 160 € migrated | 160 € |');
    expect(md).toContain('| Break-even | 38.3 months | 30 months | 30 months |');
    expect(md).toContain('| 1 | −2 160 € | −2 160 € | 12 × 120 € − 3 600 € = −2 160 € | −2 160 € |');
    expect(md).toContain('| 3 | 1 440 € | 720 € | 12 × 120 € = 1 440 € | 720 € in all |');
    expect(md).toContain('| 10,000 | 2 800 € | 2 000 € | 800 € | 280 € × 10 000 / 1 000 = 2 800 €; 2 800 € − 2 000 € = 800 € | 800 € |');
    expect(md).toContain('| 50,000 | 14 000 € | 10 800 € | 3 200 € |');
    expect(md).toContain('- 2026-12-05 10:00 — **stt** set-weight 10 → 50 % by admin: canary');
    expect(md).toContain('- stt: at 50 %; held until its criteria say GO.');
  });
});
