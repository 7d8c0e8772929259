// The health check includes quality (the plan's "quality score > 0.8"): a production provider whose quality
// falls below the threshold raises a warning, sent to the notification channels, and its health drops.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '@bascule/contracts';
import { Migrations, plansFromConfig, type AttemptRecord } from '../src/migration/index.ts';
import { SqliteStore as Store } from '../src/store/index.ts';
import { Notifier as Channels, webhookSink } from '../src/notify/index.ts';
import { FakeClock, testConfig } from './helpers.ts';

const received: Record<string, unknown>[] = [];
let hook: Server;
let hookUrl: string;
beforeAll(async () => {
  hook = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => hook.close(resolve));
});

function attempts(m: Migrations, clock: FakeClock, n: number, o: Partial<AttemptRecord> = {}): void {
  for (let i = 0; i < n; i++) m.recordAttempt({ at: clock.now(), component: 'llm', provider: 'groq', route: 'production', latencyMs: 120, ok: true, costEur: 0, ...o });
}

async function migrating(clock: FakeClock): Promise<Migrations> {
  // A channel that takes every kind of notification, as a Slack channel with minSeverity `warning` would.
  const channels = new Channels({ routes: [{ sink: webhookSink('hook', hookUrl), minSeverity: 'info' }], timeoutMs: 1_000, retries: 0, backoffMs: 1, criticalDebounceMs: 0, log: { warn() {} } });
  const m = await Migrations.create({ store: new Store(':memory:'), plans: plansFromConfig(testConfig().config), clock, channels });
  await m.setWeight('llm', 10, 'canary', 'admin', { reason: 'test setup: exposure chosen by the test' });
  return m;
}

describe('quality in the health check', () => {
  it('warns below 0.8, sends it to the channels once, lowers the health, and rolls nothing back', async () => {
    received.length = 0;
    const clock = new FakeClock();
    const m = await migrating(clock);
    attempts(m, clock, 100);
    await m.recordQuality('llm', { benchmark: 'shadow:agreement', score: 0.7, samples: 60, provider: 'groq' });
    await m.tick(clock.advance(5_000));
    const summary = await m.summary('llm');
    expect(summary.alerts.filter((a) => a.metric === 'quality')).toMatchObject([{ severity: 'warning', provider: 'groq', value: 0.7, threshold: 0.8 }]);
    // Fast and error-free, but 0.7 is 20 points under halfway (0.9): 40 points off.
    expect(summary.health).toBe(60);
    await m.tick(clock.advance(5_000));
    await m.tick(clock.advance(5_000));
    await m.tick(clock.advance(5_000));
    expect(m.state('llm')).toMatchObject({ status: 'migrating', weight: 10 });
    await m.stop();
    const quality = received.filter((r) => r.type === 'bascule.quality-failure' && (r.facts as Record<string, string> | undefined)?.metric === 'quality');
    expect(quality).toHaveLength(1);
    expect(quality[0]).toMatchObject({ severity: 'warning', component: 'llm', provider: 'groq', facts: { value: '0.7', threshold: '0.8' } });
    // The criterion failed in the snapshot the recorded result took, before any evaluation: still told, once.
    expect(received.filter((r) => r.type === 'bascule.quality-failure' && (r.facts as Record<string, string> | undefined)?.criterion === 'quality')).toHaveLength(1);
    expect(received.filter((r) => r.type === 'bascule.no-go')).toHaveLength(1);
  });

  it('stays quiet and healthy at a good quality score', async () => {
    const clock = new FakeClock();
    const m = await migrating(clock);
    attempts(m, clock, 100);
    await m.recordQuality('llm', { benchmark: 'exercises-fr', score: 0.96, samples: 60, provider: 'groq' });
    await m.tick(clock.advance(5_000));
    const summary = await m.summary('llm');
    expect(summary.alerts.filter((a) => a.metric === 'quality')).toEqual([]);
    expect(summary.health).toBe(100);
    await m.stop();
  });

  it('takes its threshold from the config (plan.qualityWarning), and names the field when it is not a fraction', async () => {
    const base = testConfig().config;
    const strict = parseGatewayConfig({ ...base, components: { llm: { ...base.components.llm!, plan: { ...base.components.llm!.plan, qualityWarning: 0.9 } } } });
    expect(plansFromConfig(strict).get('llm')?.thresholds.qualityWarning).toBe(0.9);
    const clock = new FakeClock();
    const m = await Migrations.create({ store: new Store(':memory:'), plans: plansFromConfig(strict), clock });
    await m.recordQuality('llm', { benchmark: 'exercises-fr', score: 0.85, samples: 60, provider: 'groq' });
    expect((await m.summary('llm')).alerts.filter((a) => a.metric === 'quality')).toMatchObject([{ value: 0.85, threshold: 0.9 }]);
    await m.stop();
    expect(() => parseGatewayConfig({ ...base, components: { llm: { ...base.components.llm!, plan: { ...base.components.llm!.plan, qualityWarning: 80 } } } })).toThrow(/components\.llm\.plan\.qualityWarning.*fraction between 0 and 1/);
  });
});
