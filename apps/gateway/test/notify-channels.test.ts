// Each channel's real payload format reaching a local receiver, the routing by severity, retries with backoff,
// the timeout, the debounce of critical alerts, and the leader-only rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '@bascule/contracts';
import { alertNotification, noGoNotification, Notifier, notifierFromConfig, replicaDownNotification, rollbackNotification, slackSink, testNotification, webhookSink, type Notification, type Route } from '../src/notify/index.ts';
import { httpReceiver, smtpReceiver, type HttpReceiver, type SmtpReceiver } from './notify/receivers.ts';
import { FakeClock, testConfig } from './helpers.ts';
import { Migrations, plansFromConfig } from '../src/migration/index.ts';
import { SqliteStore } from '../src/store/index.ts';

const AT = Date.UTC(2026, 11, 2, 10, 0, 0);
const rollback = rollbackNotification({
  component: 'stt',
  provider: 'faster-whisper',
  reason: 'automatic rollback after 3 consecutive critical evaluations: faster-whisper: error rate 40.0 % > 5.0 %',
  at: AT,
  from: { weight: 50, status: 'migrating', step: 1 },
  to: { weight: 0, status: 'rollback', step: 1 },
  eventId: '42',
});
const noGo = noGoNotification({
  component: 'stt',
  provider: 'faster-whisper',
  weight: 10,
  failed: [{ id: 'cost_ratio', label: 'Cost per request vs MVP', comparator: '<', target: 0.5, unit: 'ratio', minSamples: 200, measured: 1.62, samples: 400, verdict: 'FAIL' }],
  at: AT,
});

let slack: HttpReceiver;
let discord: HttpReceiver;
let teams: HttpReceiver;
let hook: HttpReceiver;
let smtp: SmtpReceiver;
const warnings: string[] = [];
const log = { warn: (obj: object, msg: string) => warnings.push(`${msg} ${JSON.stringify(obj)}`) };

beforeAll(async () => {
  [slack, discord, teams, hook] = await Promise.all([httpReceiver({ status: 200, body: 'ok' }), httpReceiver({ status: 204 }), httpReceiver({ status: 202 }), httpReceiver({ status: 200 })]);
  smtp = await smtpReceiver('bascule', 'smtp-secret');
});
afterAll(async () => {
  await Promise.all([slack.close(), discord.close(), teams.close(), hook.close(), smtp.close()]);
});

function fromConfig(channels: unknown[], extra: Record<string, unknown> = {}, now = () => AT) {
  const config = parseGatewayConfig({ ...testConfigInput(), notifications: { channels, retries: 2, backoffMs: 5, timeoutMs: 2000, ...extra } });
  const env = { SLACK_URL: `${slack.url}/services/T000/B000/XXXX`, DISCORD_URL: `${discord.url}/api/webhooks/1/abc`, TEAMS_URL: `${teams.url}/workflows/1`, SMTP_USER: 'bascule', SMTP_PASSWORD: 'smtp-secret' };
  return notifierFromConfig(config, { env, log, now });
}

function testConfigInput() {
  const { config } = testConfig();
  return { auth: config.auth, components: {}, vps: config.vps };
}

describe('notification channels', () => {
  it('post each channel in its own documented format', async () => {
    const notifier = fromConfig([
      { type: 'slack', urlEnv: 'SLACK_URL', name: 'ops-slack' },
      { type: 'discord', urlEnv: 'DISCORD_URL' },
      { type: 'teams', urlEnv: 'TEAMS_URL' },
      { type: 'webhook', url: `${hook.url}/bascule` },
      { type: 'email', smtp: { host: '127.0.0.1', port: smtp.port, userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASSWORD' }, from: 'bascule@example.org', to: ['ops@example.org', 'lead@example.org'] },
    ]);
    notifier.notify(rollback);
    await notifier.close();

    // Slack: text + Block Kit blocks (header, section, context), POSTed to the webhook's own path.
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]).toMatchObject({ path: '/services/T000/B000/XXXX', contentType: 'application/json' });
    const s = slack.received[0]!.body as { text: string; blocks: Array<{ type: string; text?: { type: string; text: string }; elements?: Array<{ type: string; text: string }> }> };
    expect(s.text).toBe('[CRITICAL] stt rolled back to the MVP');
    expect(s.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(s.blocks[0]!.text).toEqual({ type: 'plain_text', text: 'CRITICAL: stt rolled back to the MVP' });
    expect(s.blocks[1]!.text!.type).toBe('mrkdwn');
    expect(s.blocks[1]!.text!.text).toMatch(/error rate 40\.0 % &gt; 5\.0 %/); // mrkdwn escapes >
    expect(s.blocks[2]!.elements).toContainEqual({ type: 'mrkdwn', text: '*component:* stt' });

    // Discord: one embed with an integer colour, an ISO timestamp and inline fields.
    const d = discord.received[0]!.body as { username: string; embeds: Array<{ title: string; description: string; color: number; timestamp: string; fields: Array<{ name: string; value: string; inline: boolean }> }> };
    expect(d.username).toBe('Bascule');
    expect(d.embeds).toHaveLength(1);
    expect(d.embeds[0]).toMatchObject({ title: 'CRITICAL: stt rolled back to the MVP', color: 0xd32f2f, timestamp: '2026-12-02T10:00:00.000Z' });
    expect(d.embeds[0]!.fields).toContainEqual({ name: 'provider', value: 'faster-whisper', inline: true });

    // Teams: a message whose attachment is an Adaptive Card.
    const t = teams.received[0]!.body as { type: string; attachments: Array<{ contentType: string; content: { type: string; version: string; body: Array<{ type: string; text?: string; facts?: Array<{ title: string; value: string }> }> } }> };
    expect(t.type).toBe('message');
    expect(t.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(t.attachments[0]!.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(t.attachments[0]!.content.body.map((b) => b.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet']);
    expect(t.attachments[0]!.content.body[2]!.facts).toContainEqual({ title: 'weight', value: '50 % → 0 %' });

    // The generic webhook keeps the rollback's fields as they always were.
    expect(hook.received[0]!.body).toMatchObject({
      type: 'bascule.rollback',
      severity: 'critical',
      component: 'stt',
      provider: 'faster-whisper',
      reason: rollback.data!.reason,
      at: '2026-12-02T10:00:00.000Z',
      from: { weight: 50 },
      to: { weight: 0, status: 'rollback' },
      eventId: '42',
    });

    // E-mail: logged in, to every recipient, with the severity in the subject.
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ from: 'bascule@example.org', to: ['ops@example.org', 'lead@example.org'], user: 'bascule' });
    expect(smtp.mails[0]!.data).toMatch(/Subject: \[Bascule\] \[CRITICAL\] stt rolled back to the MVP/);
    expect(smtp.mails[0]!.data).toMatch(/component: stt/);
    expect(warnings).toEqual([]);
  });

  it('routes by severity and kind', async () => {
    const before = { slack: slack.received.length, hook: hook.received.length, discord: discord.received.length };
    const notifier = fromConfig([
      { type: 'slack', urlEnv: 'SLACK_URL', minSeverity: 'critical' },
      { type: 'webhook', url: `${hook.url}/warnings`, minSeverity: 'warning' },
      { type: 'discord', urlEnv: 'DISCORD_URL', minSeverity: 'info', events: ['rollback'] },
    ]);
    notifier.notify(noGo);
    await notifier.settled();
    expect(slack.received.length).toBe(before.slack); // a warning: not for the critical-only channel
    expect(discord.received.length).toBe(before.discord); // not a rollback
    expect(hook.received.slice(before.hook).map((r) => (r.body as { type: string }).type)).toEqual(['bascule.no-go']);
    expect((hook.received.at(-1)!.body as { message: string }).message).toMatch(/Cost per request vs MVP: 162 % \(target < 50 %\)/);
    await notifier.close();
  });

  it('retries a failing receiver with backoff, then gives up with one warning', async () => {
    const r = await httpReceiver();
    const route = (url: string): Route => ({ sink: webhookSink('flaky', url), minSeverity: 'info' });
    const notifier = new Notifier({ routes: [route(r.url)], timeoutMs: 1000, retries: 3, backoffMs: 5, criticalDebounceMs: 0, log });
    r.script.push(500, 503);
    notifier.notify(rollback);
    await notifier.settled();
    expect(r.received).toHaveLength(3); // two failures, then delivered

    warnings.length = 0;
    r.script.push(500, 500, 500, 500);
    notifier.notify(rollback);
    await notifier.settled();
    expect(r.received).toHaveLength(7); // the first try and 3 retries
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/webhook notification failed .*answered 500/);
    await r.close();
  });

  it('times out a receiver that never answers, without holding the caller', async () => {
    const r = await httpReceiver();
    r.script.push('hang');
    warnings.length = 0;
    const notifier = new Notifier({ routes: [{ sink: slackSink('slow', r.url), minSeverity: 'info' }], timeoutMs: 150, retries: 0, backoffMs: 5, criticalDebounceMs: 0, log });
    notifier.notify(rollback); // returns at once
    expect(warnings).toEqual([]);
    await notifier.settled();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/slack notification failed/);
    await r.close();
  });

  it('sends a critical alert once per debounce period, then says how many were held back', async () => {
    const r = await httpReceiver();
    let now = AT;
    const notifier = new Notifier({ routes: [{ sink: webhookSink('ops', r.url), minSeverity: 'warning' }], timeoutMs: 1000, retries: 0, backoffMs: 5, criticalDebounceMs: 600_000, log, now: () => now });
    const alert = alertNotification(
      { id: 'stt:faster-whisper:error_rate', severity: 'critical', metric: 'error_rate', message: 'faster-whisper: error rate 12.0 % > 5.0 % over 80 requests', component: 'stt', provider: 'faster-whisper', value: 0.12, threshold: 0.05, since: AT, evaluations: 1 },
      AT,
    );
    notifier.notify(alert);
    now += 60_000;
    notifier.notify(alert);
    notifier.notify(alert);
    await notifier.settled();
    expect(r.received).toHaveLength(1);
    now += 600_000;
    notifier.notify(alert);
    await notifier.settled();
    expect(r.received).toHaveLength(2);
    expect((r.received[1]!.body as { message: string }).message).toMatch(/2 more of the same held back/);
    await r.close();
  });

  it('calls an open breaker on a self-hosted provider the GPU host being down', () => {
    const n: Notification = alertNotification({ id: 'stt:faster-whisper:breaker_open', severity: 'critical', metric: 'breaker_open', message: 'faster-whisper: circuit breaker open', component: 'stt', provider: 'faster-whisper', value: 1, threshold: null, since: AT, evaluations: 1 }, AT);
    expect(n).toMatchObject({ kind: 'host-down', severity: 'critical' });
    const mvp = alertNotification({ id: 'stt:openai-whisper:breaker_open', severity: 'critical', metric: 'breaker_open', message: 'openai-whisper: circuit breaker open', component: 'stt', provider: 'openai-whisper', value: 1, threshold: null, since: AT, evaluations: 1 }, AT);
    expect(mvp.kind).toBe('critical-alert');
  });

  it('sends nothing from a replica that does not lead the analysis', async () => {
    const r = await httpReceiver();
    let leader = false;
    const notifier = new Notifier({ routes: [{ sink: webhookSink('ops', r.url), minSeverity: 'info' }], timeoutMs: 1000, retries: 0, backoffMs: 5, criticalDebounceMs: 0, log, isLeader: () => leader });
    notifier.notify(rollback);
    await notifier.settled();
    expect(r.received).toHaveLength(0);
    leader = true;
    notifier.notify(rollback);
    await notifier.settled();
    expect(r.received).toHaveLength(1);
    await r.close();
  });

  it('tests every channel and says how each went', async () => {
    const notifier = fromConfig([
      { type: 'slack', urlEnv: 'SLACK_URL', minSeverity: 'critical', name: 'ops-slack' },
      { type: 'webhook', url: 'http://127.0.0.1:9/nobody', name: 'dead' },
    ], { retries: 0 });
    const results = await notifier.test(testNotification(AT, 'a test'));
    expect(results).toEqual([
      { channel: 'ops-slack', type: 'slack', ok: true },
      { channel: 'dead', type: 'webhook', ok: false, error: expect.stringMatching(/ECONNREFUSED|connect/) },
    ]);
    expect((slack.received.at(-1)!.body as { text: string }).text).toBe('[INFO] test notification');
    await notifier.close();
  });

  it('keeps the older webhook key as a generic channel for rollbacks', async () => {
    const config = parseGatewayConfig({ ...testConfigInput(), webhook: { url: `${hook.url}/legacy` } });
    const notifier = notifierFromConfig(config, { env: {}, log });
    notifier.notify(noGo);
    notifier.notify(rollback);
    await notifier.close();
    expect(hook.received.filter((r) => r.path === '/legacy').map((r) => (r.body as { type: string }).type)).toEqual(['bascule.rollback']);
  });
});

describe('what each notification says', () => {
  it('a NO-GO names the failing criteria and the next step', () => {
    expect(noGo).toMatchObject({ kind: 'no-go', severity: 'warning', title: 'stt: NO-GO at 10 %', key: 'stt:no-go' });
    expect(noGo.message).toMatch(/bascule criteria stt/);
  });

  it('a replica down is critical, keyed by replica, and says where to look', () => {
    const n = replicaDownNotification({ replica: 'gw-2', lastSeen: AT - 30_000, at: AT });
    expect(n).toMatchObject({ kind: 'replica-down', severity: 'critical', title: 'gateway replica gw-2 is down', key: 'replica:gw-2' });
    expect(n.message).toMatch(/Last seen 2026-12-02T09:59:30\.000Z.*journalctl -u bascule-gateway/);
  });
});

describe('from the analysis loop', () => {
  it('tells a person of a critical alert, a NO-GO in migration and the automatic rollback, each once', async () => {
    const r = await httpReceiver();
    const clock = new FakeClock();
    const notifier = new Notifier({ routes: [{ sink: webhookSink('ops', r.url), minSeverity: 'warning' }], timeoutMs: 1000, retries: 0, backoffMs: 5, criticalDebounceMs: 600_000, log, now: clock.now });
    const m = await Migrations.create({ store: new SqliteStore(':memory:'), plans: plansFromConfig(testConfig().config), clock, channels: notifier });
    await m.setWeight('llm', 10, 'canary');
    const fail = () => m.recordAttempt({ at: clock.now(), component: 'llm', provider: 'groq', route: 'production', latencyMs: 100, ok: false, failure: 'status', status: 503, costEur: 0 });
    for (let i = 0; i < 60; i++) fail();
    for (let i = 0; i < 4; i++) await m.tick(clock.advance(5_000));
    await m.stop();
    const types = r.received.map((x) => (x.body as { type: string }).type);
    expect(types.filter((t) => t === 'bascule.rollback')).toHaveLength(1);
    expect(types.filter((t) => t === 'bascule.critical-alert').length).toBeGreaterThanOrEqual(1);
    expect(types.filter((t) => t === 'bascule.no-go')).toHaveLength(1); // the open breaker fails breaker_closed: once, not every tick
    await r.close();
  });

  it('tells an alert and a NO-GO that a page or an admin action saw first, on the next round, once', async () => {
    const r = await httpReceiver();
    const clock = new FakeClock();
    const notifier = new Notifier({ routes: [{ sink: webhookSink('ops', r.url), minSeverity: 'warning' }], timeoutMs: 1000, retries: 0, backoffMs: 5, criticalDebounceMs: 0, log, now: clock.now });
    const m = await Migrations.create({ store: new SqliteStore(':memory:'), plans: plansFromConfig(testConfig().config), clock, channels: notifier });
    await m.setWeight('llm', 10, 'canary');
    for (let i = 0; i < 60; i++) m.recordAttempt({ at: clock.now(), component: 'llm', provider: 'groq', route: 'production', latencyMs: 100, ok: false, failure: 'status', status: 503, costEur: 0 });
    // The admin page asks first: its snapshot sees the alert fire and the NO-GO (what the loop used to miss).
    const seen = await m.summary('llm', clock.advance(11_000)); // older than two intervals: a fresh snapshot
    expect(seen.alerts.some((a) => a.severity === 'critical')).toBe(true);
    await m.tick(clock.advance(1_000));
    await m.tick(clock.advance(1_000));
    await m.stop();
    const types = r.received.map((x) => (x.body as { type: string }).type);
    expect(types.filter((t) => t === 'bascule.critical-alert' || t === 'bascule.host-down').length).toBeGreaterThanOrEqual(1);
    expect(types.filter((t) => t === 'bascule.no-go')).toHaveLength(1);
    // Each alert once while it holds, whatever the number of rounds.
    const keys = r.received.filter((x) => (x.body as { type: string }).type === 'bascule.critical-alert').map((x) => (x.body as { title: string }).title);
    expect(new Set(keys).size).toBe(keys.length);
    await r.close();
  });
});
