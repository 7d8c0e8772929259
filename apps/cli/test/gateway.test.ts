// The admin commands against a real gateway in front of the lab, started here: status, a rollout and its
// gate (409 with what blocks it, then an override), rollback and resume, criteria, the audit log and the
// live stream, the month's report, and a test notification reaching a local receiver.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localConfig, startGateway } from '../../gateway/src/index.ts';
import { startLab } from '../../lab/src/index.ts';
import { EXIT } from '../src/index.ts';
import { cli } from './support/run-cli.ts';

let lab: Awaited<ReturnType<typeof startLab>>;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let receiver: Server;
const received: Array<{ path: string; body: { type?: string; text?: string } }> = [];
let env: Record<string, string>;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) as { type?: string } });
      res.writeHead(req.url === '/broken' ? 500 : 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hooks = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  lab = await startLab({ latencyScale: 0 });
  const loaded = localConfig({ labUpstreams: lab.upstreams, env: {} });
  loaded.config.notifications.channels.push({ type: 'webhook', url: `${hooks}/ops`, minSeverity: 'warning', name: 'ops-hook' }, { type: 'slack', urlEnv: 'SLACK_URL', minSeverity: 'critical', name: 'ops-slack' });
  loaded.secrets.notificationEnv.SLACK_URL = `${hooks}/slack`;
  loaded.config.notifications.retries = 0;
  gateway = await startGateway({ loaded, storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null });
  env = { BASCULE_ADMIN_URL: gateway.url, BASCULE_ADMIN_TOKEN: loaded.secrets.adminToken };
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await lab?.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('bascule against a gateway', () => {
  it('status: every component as a table, or JSON', async () => {
    const text = await cli(['status'], { env });
    expect(text.code).toBe(EXIT.OK);
    expect(text.stdout).toMatch(/^component +status +weight/m);
    expect(text.stdout).toMatch(/^stt +mvp +0 %/m);
    const json = await cli(['--json', 'status', 'stt'], { env });
    expect(JSON.parse(json.stdout).components).toEqual([expect.objectContaining({ component: 'stt', status: 'mvp', weight: 0 })]);
    // The gateway's replicas, by heartbeat (one here).
    expect(JSON.parse(json.stdout).replicas).toEqual([expect.objectContaining({ self: true, status: 'up' })]);
    expect(text.stdout).toMatch(/^replicas: \S+ \(this one\) http:\/\/127\.0\.0\.1:\d+ up, heartbeat \d+\.\d s ago$/m);
    expect(json.stdout + text.stdout + text.stderr).not.toContain(env.BASCULE_ADMIN_TOKEN);
  });

  it('rollout: the first step, then a raise blocked by the gates (exit 5) until overridden', async () => {
    const first = await cli(['rollout', 'stt', '--to', '10', '--reason', 'canary for the plan'], { env });
    expect(first).toMatchObject({ code: EXIT.OK });
    expect(first.stdout).toMatch(/done: rollout stt to 10 % — stt is migrating at 10 %/);

    const blocked = await cli(['rollout', 'stt', '--to', '50', '--reason', 'half the class'], { env });
    expect(blocked.code).toBe(EXIT.BLOCKED);
    expect(blocked.stderr).toMatch(/rollout stt to 50 % is blocked:\n {2}- GO\/NO-GO is HOLD .*\[verdict\]/);
    expect(blocked.stderr).toMatch(/--override "<why>"/);
    expect(gateway.gateway.runtime.state('stt').weight).toBe(10);

    const overridden = await cli(['--json', 'rollout', 'stt', '--to', '50', '--reason', 'half the class', '--override', 'the school trip starts Monday'], { env });
    expect(overridden.code).toBe(EXIT.OK);
    expect(JSON.parse(overridden.stdout)).toMatchObject({ component: 'stt', weight: 50 });
    const [event] = await gateway.gateway.runtime.events({ limit: 1 });
    expect(event!.reason).toMatch(/the school trip starts Monday/);

    // promote: gated like a raise, then past the gates with its own reason.
    const promoteBlocked = await cli(['promote', 'stt', '--reason', 'next step of the plan'], { env });
    expect(promoteBlocked.code).toBe(EXIT.BLOCKED);
    expect(promoteBlocked.stderr).toMatch(/promote stt is blocked:/);
    const promoted = await cli(['--json', 'promote', 'stt', '--reason', 'next step of the plan', '--override', 'the pilot class is ready'], { env });
    expect(promoted.code).toBe(EXIT.OK);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ component: 'stt', weight: 100 });
    expect(gateway.gateway.runtime.state('stt').weight).toBe(100);
  });

  it('rollback and resume, each with its reason; a refused action names the field (exit 6)', async () => {
    expect((await cli(['rollback', 'stt', '--reason', 'teachers report wrong verdicts'], { env })).code).toBe(EXIT.OK);
    expect(gateway.gateway.runtime.state('stt')).toMatchObject({ status: 'rollback', weight: 0 });
    expect((await cli(['resume', 'stt', '--reason', 'fixed the model image'], { env })).code).toBe(EXIT.OK);
    expect(gateway.gateway.runtime.state('stt').status).toBe('migrating');
    const bad = await cli(['rollback', 'stt', '--reason', ' '], { env });
    expect(bad.code).toBe(EXIT.REJECTED);
    expect(bad.stderr).toMatch(/reason/);
  });

  it('criteria: the GO/NO-GO table, exit 1 while not GO', async () => {
    const r = await cli(['criteria', 'stt'], { env });
    expect(r.code).toBe(EXIT.FAILED);
    expect(r.stdout).toMatch(/^stt \(faster-whisper\), step 1: HOLD/);
    expect(r.stdout).toMatch(/^Cost per request vs MVP +< 50\.0 %/m);
    // The capacity criterion says what it forecast (or that it has no sample yet).
    expect(r.stdout).toMatch(/^capacity: (forecast [\d.]+ % busy at \d+ %|no service-time sample yet|no load measured yet)/m);
    const json = JSON.parse((await cli(['--json', 'criteria', 'stt'], { env })).stdout);
    expect(json).toMatchObject({ component: 'stt', verdict: 'HOLD' });
  });

  it('events: the audit log, newest first; --follow streams the next one', async () => {
    const log = await cli(['events', '--component', 'stt', '--limit', '3'], { env });
    expect(log.stdout.split('\n')[1]).toMatch(/stt +admin +resume +0 → 10 % +fixed the model image/);

    const following = cli(['--json', 'events', '--follow', '--max', '1'], { env });
    await new Promise((r) => setTimeout(r, 300)); // the stream is open before the change
    await cli(['rollout', 'llm', '--to', '10', '--reason', 'llm canary'], { env });
    const streamed = await following;
    expect(streamed.code).toBe(EXIT.OK);
    const line = JSON.parse(streamed.stdout.trim().split('\n')[0]!);
    expect(line).toMatchObject({ type: 'event', data: { component: 'llm', action: 'set-weight', reason: 'llm canary' } });
  });

  it('refuses a wrong token with exit 4, never printing it', async () => {
    const r = await cli(['status'], { env: { ...env, BASCULE_ADMIN_TOKEN: 'not-the-token-1234' } });
    expect(r.code).toBe(EXIT.AUTH);
    expect(r.stderr).toMatch(/refused the token \(401\)/);
    expect(r.stderr).not.toContain('not-the-token-1234');
  });

  it("report: the month's costs against the plan, the return, the migrations and their history", async () => {
    const month = new Date().toISOString().slice(0, 7);
    const md = await cli(['report', '--month', month], { env });
    expect(md.code).toBe(EXIT.OK);
    expect(md.stdout).toMatch(/^# Bascule — \w+ \d{4} report/);
    expect(md.stdout).toContain('| Baseline (all on the paid APIs) | 280 € | 280 € | 280 € |');
    expect(md.stdout).toContain('| One-time cost | | 3 600 € | 3 600 € |');
    expect(md.stdout).toContain('**stt** rollback 100 → 0 % by admin: teachers report wrong verdicts');
    const json = JSON.parse((await cli(['--json', 'report', '--month', month], { env })).stdout);
    expect(json.plan.baseline.monthlyEur).toBeCloseTo(280, 9);
    expect(json.plan.production.monthlyEur).toBeCloseTo(160, 9);
    expect(json.migrations.find((m: { component: string }) => m.component === 'stt')).toMatchObject({ status: 'migrating', weight: 10 });
  });

  it('notify test: every channel receives a test message and says so', async () => {
    const r = await cli(['notify', 'test'], { env });
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toMatch(/ops-hook +webhook +delivered/);
    expect(r.stdout).toMatch(/ops-slack +slack +delivered/);
    expect(received.find((x) => x.path === '/ops')!.body).toMatchObject({ type: 'bascule.test', severity: 'info' });
    expect(received.find((x) => x.path === '/slack')!.body.text).toBe('[INFO] test notification');
  });
});
