// The whole-system failure test: the GPU host, the MVP host, two gateways on one PostgreSQL and HAProxy, each
// on its own network namespace, under steady traffic from a class of students on all four components at
// 50 %. Each scenario prints its figures; the run ends with a table of them all. Needs root (see README).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handwrittenPng } from '@bascule/lab';
import { backendServers, requestsOn } from '../src/haproxy.ts';
import { Figures } from '../src/figures.ts';
import { componentOf, countWindow, startLoad, startNoisyStudent, type Load } from '../src/load.ts';
import { sleep, waitFor } from '../src/shell.ts';
import { COMPONENTS, components, events, rollupTotals, routingState, setWeight } from '../src/state.ts';
import { startSystem, type System } from '../src/system.ts';
import { setLink } from '../src/topology.ts';
import type { Replica } from '../src/client.ts';

const env = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
/** The class: 500 students, 50 requests a second in all (one every 10 s each). */
const STUDENTS = env('BASCULE_SYSTEM_STUDENTS', 500);
const RATE = env('BASCULE_SYSTEM_RATE', 50);
/** How long the GPU host's link and PostgreSQL stay away. */
const OUTAGE_MS = env('BASCULE_SYSTEM_OUTAGE_S', 60) * 1_000;
const WEIGHT = 50;

const figures = new Figures();
let system: System | undefined;
let load: Load | undefined;
const log = (line: string) => console.log(`[system] ${line}`);

/** Sets every component's weight through A; where B does not follow within 2 s, through B too. */
async function weightsEverywhere(sys: System, reason: string): Promise<string> {
  for (const c of COMPONENTS) {
    for (const replica of ['a', 'b'] as const) {
      const summary = (await components(sys.clients, replica)).find((s) => s.component === c)!;
      if (summary.status === 'rollback') await sys.clients.admin(replica, 'POST', `/components/${c}/resume`, { reason });
    }
    const answer = await setWeight(sys.clients, 'a', c, WEIGHT, reason);
    if (answer.status !== 200) throw new Error(`setting ${c} to ${WEIGHT} % through gateway a: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const expected = await routingState(sys.clients, 'a');
  try {
    await waitFor('gateway b to route as gateway a', async () => ((await routingState(sys.clients, 'b')) === expected ? true : undefined), 2_000, 100);
    return 'through gateway a';
  } catch {
    for (const c of COMPONENTS) await setWeight(sys.clients, 'b', c, WEIGHT, `${reason} (gateway b did not follow gateway a)`);
    return 'through gateway a, then b (b did not follow a)';
  }
}

/**
 * Each scenario starts with both gateways running: one that died in an earlier scenario (a figure there says
 * so) is started again, so one failure does not hide the next scenario's figures.
 */
async function bothGatewaysUp(sys: System): Promise<void> {
  const dead = (['a', 'b'] as const).filter((r) => !sys.alive(r));
  for (const replica of dead) {
    const gone = sys.gateways[replica];
    log(`gateway ${replica} had exited (${gone.child.exitCode ?? gone.child.signalCode}); starting it again. Its last lines:\n${gone.tail().split('\n').slice(-16).join('\n')}`);
    await sys.startGateway(replica);
  }
  await Promise.all(dead.map((r) => sys.waitForBalancer(r, 'UP', 60_000)));
}

function assertScenario(scenario: string): void {
  expect(figures.failures(scenario), `${scenario}: figures off target`).toEqual([]);
}

describe('Bascule survives the loss of any one machine', () => {
  beforeAll(async () => {
    system = await startSystem({ latencyScale: env('BASCULE_SYSTEM_LATENCY_SCALE', 0.2), log });
    const how = await weightsEverywhere(system, 'system test: every component at 50 %');
    log(`weights set ${how}: ${await routingState(system.clients, 'a')}`);
    load = startLoad({ students: STUDENTS, ratePerSecond: RATE, seed: 13 });
    const from = Date.now();
    await sleep(8_000);
    const warm = countWindow(load.results, from, Date.now());
    // The warm-up only shows the class runs (on a loaded machine its first requests may time out).
    figures.add('steady traffic', `warm-up: requests in 8 s (${STUDENTS} students, ${RATE}/s), failed`, `${warm.requests}, ${warm.failed}, routes ${JSON.stringify(warm.byRoute)}`, '> 0 requests', warm.requests > 0);
    if (warm.failed > 0) log(`warm-up errors: ${warm.errors.join(' | ')}`);
  });

  afterAll(async () => {
    await load?.stop().catch(() => undefined);
    await system?.close();
    console.log(`\nWhole-system failure test: figures\n\n${figures.table()}\n`);
  });

  it('a weight change through gateway A routes on gateway B within 2 s', async () => {
    const sys = system!;
    await bothGatewaysUp(sys);
    const scenario = 'weight change A → B';
    // Students of vision's production cohort: the same on every replica (a stable hash of the student id).
    // Each probe asks for the next one, so no student comes near the per-student limit.
    const cohort = [...new Set(load!.results.filter((r) => r.activity === 'writing' && r.route === 'production').map((r) => r.studentId))];
    expect(cohort.length, 'students of the vision production cohort seen in the warm-up').toBeGreaterThan(0);
    const png = handwrittenPng('a');
    let next = 0;
    const probeB = async () => (await sys.clients.handwriting('b', cohort[next++ % cohort.length]!, png, 'a')).route;
    const before = [await probeB(), await probeB(), await probeB()];
    expect(before, 'gateway b routes the cohort to production before the change').toEqual(['production', 'production', 'production']);

    /** Time from the change through A until three probes in a row on B take the new route. */
    const timeToRoute = async (weight: number, route: string): Promise<number | null> => {
      const answer = await setWeight(sys.clients, 'a', 'vision', weight, `system test: vision to ${weight} % through gateway a`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const t0 = Date.now();
      let streak = 0;
      let firstSeen = 0;
      while (Date.now() - t0 < 10_000) {
        if ((await probeB()) === route) {
          if (streak++ === 0) firstSeen = Date.now() - t0;
          if (streak === 3) return firstSeen;
        } else streak = 0;
        await sleep(100);
      }
      return null;
    };
    const down = await timeToRoute(0, 'mvp');
    figures.add(scenario, 'vision 50 → 0 % on A: B routes the cohort to mvp after', down === null ? 'not within 10 000 ms' : `${down} ms`, '≤ 2 000 ms', down !== null && down <= 2_000);
    const up = await timeToRoute(WEIGHT, 'production');
    // When B never left 50 %, the way back says nothing about B: not a measurement.
    const upMeasured = down === null ? 'not measured (B never followed the first change)' : up === null ? 'not within 10 000 ms' : `${up} ms`;
    figures.add(scenario, 'vision 0 → 50 % on A: B routes the cohort to production after', upMeasured, '≤ 2 000 ms', down !== null && up !== null && up <= 2_000);
    assertScenario(scenario);
  });

  it('one noisy student at 100× the normal rate: the others see no 429', async () => {
    const scenario = 'noisy student';
    await bothGatewaysUp(system!);
    const noisyRate = (RATE / STUDENTS) * 100;
    const from = Date.now();
    const noisy = startNoisyStudent({ studentId: 'eleve-bruyant', ratePerSecond: noisyRate });
    await sleep(20_000);
    await noisy.stop();
    const others = countWindow(load!.results, from, Date.now());
    const noisy429 = noisy.byStatus[429] ?? 0;
    figures.add(scenario, `noisy student (${noisyRate}/s for 20 s): requests, 429s`, `${noisy.sent()}, ${noisy429} ${JSON.stringify(noisy.byStatus)}`, '≥ 1 429 (limited)', noisy429 >= 1);
    figures.add(scenario, 'the class meanwhile: requests, 429s', `${others.requests}, ${others.byStatus[429] ?? 0}`, '0 429', (others.byStatus[429] ?? 0) === 0);
    figures.add(scenario, 'the class meanwhile: failed requests', `${others.failed} ${JSON.stringify(others.byStatus)}`, '0', others.failed === 0);
    if (others.failed > 0) log(`noisy student: the class's errors: ${others.errors.join(' | ')}`);
    assertScenario(scenario);
  });

  it('one gateway killed with kill -9: failed requests ≤ those in flight on it, the others and the state intact', async () => {
    const sys = system!;
    const scenario = 'kill -9 gateway B';
    await bothGatewaysUp(sys);
    const stateBefore = await routingState(sys.clients, 'a');
    const eventsBefore = (await Promise.all(COMPONENTS.map((c) => events(sys.clients, 'a', c)))).flat().length;
    // In flight on gateway b when it died: HAProxy's requests on b read just before the signal, plus those
    // HAProxy handed to b between that read and the process's end (a signal is delivered when the process is
    // next scheduled: on a busy machine b goes on accepting for a while). Its request counter for b, read on
    // both sides, gives the second part.
    const handedBefore = (await backendServers(sys.balancer.statsSocket)).b?.total ?? 0;
    const onB = await requestsOn(sys.balancer.statsSocket, 'b');
    const killedAt = Date.now();
    process.kill(sys.gateways.b.pid, 'SIGKILL');
    await sys.gateways.b.exited;
    const diedAfter = Date.now() - killedAt;
    const handedBetween = ((await backendServers(sys.balancer.statsSocket)).b?.total ?? 0) - handedBefore;
    const inFlight = onB + handedBetween;
    await sys.waitForBalancer('b', 'DOWN', 10_000);
    const downAfter = Date.now() - killedAt;
    await sleep(8_000);
    const window = countWindow(load!.results, killedAt, Date.now());
    figures.add(scenario, 'requests in flight on B at its end (HAProxy: on B before the signal + handed to B until B had exited)', `${inFlight} (${onB} + ${handedBetween}; exited ${diedAfter} ms after the signal)`, '—', true);
    figures.add(scenario, 'failed requests in the 8 s after', `${window.failed} of ${window.requests} ${JSON.stringify(window.byStatus)}`, `≤ ${inFlight}`, window.failed <= inFlight);
    figures.add(scenario, 'HAProxy marked B down after', `${downAfter} ms`, '—', true);
    const stateAfter = await routingState(sys.clients, 'a');
    const eventsAfter = (await Promise.all(COMPONENTS.map((c) => events(sys.clients, 'a', c)))).flat().length;
    figures.add(scenario, 'state on A before / after', stateBefore === stateAfter ? 'unchanged' : `${stateBefore} → ${stateAfter}`, 'unchanged', stateBefore === stateAfter);
    figures.add(scenario, 'audit events on A before / after', `${eventsBefore} / ${eventsAfter}`, 'equal', eventsBefore === eventsAfter);
    const restartedAt = Date.now();
    await sys.startGateway('b');
    await sys.waitForBalancer('b', 'UP', 60_000);
    const stateOnB = await routingState(sys.clients, 'b');
    figures.add(scenario, 'B restarted and back behind HAProxy after', `${Date.now() - restartedAt} ms`, '—', true);
    figures.add(scenario, 'state on restarted B', stateOnB === stateAfter ? 'same as A' : stateOnB, 'same as A', stateOnB === stateAfter);
    if (window.failed > 0) {
      const offsets = load!.results.filter((r) => r.at >= killedAt && !r.aborted && !(r.status >= 200 && r.status < 300)).map((r) => `+${r.at - killedAt} ms ${r.activity}`);
      log(`kill -9 failures (completed after the signal): ${offsets.join(', ')}; ${window.errors.join(' | ')}`);
    }
    assertScenario(scenario);
  });

  it('PostgreSQL stopped for 60 s: 0 failed requests, no rollup lost, admin writes 503 then fine', async () => {
    const sys = system!;
    const scenario = 'PostgreSQL stopped';
    await bothGatewaysUp(sys);
    // Quiet boundaries so every request of the scenario is counted: the class pauses while totals are read.
    await load!.stop();
    await sleep(2_500);
    const totalsBefore = await rollupTotals(sys.clients, 'a');
    load = startLoad({ students: STUDENTS, ratePerSecond: RATE, seed: 14 });
    const from = Date.now();
    await sleep(3_000);
    await sys.postgres.stop();
    const stoppedAt = Date.now();
    await sleep(5_000);
    const during = await setWeight(sys.clients, 'a', 'llm', WEIGHT, 'system test: admin write while the database is away');
    const health = await sys.clients.health('a').catch(() => ({ status: 0, body: 'no answer' }));
    const servers = await backendServers(sys.balancer.statsSocket);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    const aliveAfterOutage = (['a', 'b'] as const).filter((r) => sys.alive(r));
    await sys.postgres.start();
    const restartedAt = Date.now();
    let after = { status: 0, body: undefined as unknown };
    let firstOkAfter: number | null = null;
    while (Date.now() - restartedAt < 20_000) {
      after = await setWeight(sys.clients, 'a', 'llm', WEIGHT, 'system test: admin write once the database is back');
      if (after.status === 200) {
        firstOkAfter = Date.now() - restartedAt;
        break;
      }
      await sleep(500);
    }
    await sleep(3_000);
    await load!.stop();
    const to = Date.now();
    const window = countWindow(load!.results, from, to);
    await sleep(3_000); // two flush intervals and more
    const aliveAfter = (['a', 'b'] as const).filter((r) => sys.alive(r));
    // Read through a gateway still running (the rollups are the database's, whichever gateway reads them).
    const reader = aliveAfter[0];
    const totalsAfter = reader === undefined ? null : await rollupTotals(sys.clients, reader).catch(() => null);
    const recorded = totalsAfter === null ? null : COMPONENTS.reduce((sum, c) => sum + totalsAfter[c] - totalsBefore[c], 0);
    const answered = window.requests - (window.byStatus[0] ?? 0);
    // stop() cuts the requests still in flight short; a gateway may have finished and recorded them anyway.
    const cutShort = load!.results.filter((r) => r.aborted && r.at >= from).length;
    load = startLoad({ students: STUDENTS, ratePerSecond: RATE, seed: 15 });

    figures.add(scenario, `failed requests (${Math.round(OUTAGE_MS / 1000)} s outage, ${window.requests} requests)`, `${window.failed} ${JSON.stringify(window.byStatus)}`, '0', window.failed === 0);
    figures.add(scenario, 'requests in the rollups / answered by the gateways (+ cut short by the test)', `${recorded ?? 'not readable (no gateway running)'} / ${answered} (+ ${cutShort})`, 'answered ≤ rollups ≤ answered + cut short', recorded !== null && recorded >= answered && recorded <= answered + cutShort);
    figures.add(scenario, 'admin write while the database is away', `HTTP ${during.status}`, '503', during.status === 503);
    figures.add(scenario, 'admin write after the restart: first 200 after', firstOkAfter === null ? `none in 20 s (last HTTP ${after.status})` : `${firstOkAfter} ms`, '200', firstOkAfter !== null);
    figures.add(scenario, 'gateway processes running at the end of the outage', aliveAfterOutage.join(', ') || 'none', 'a, b', aliveAfterOutage.length === 2);
    figures.add(scenario, 'gateway processes running after the database came back', aliveAfter.join(', ') || 'none', 'a, b', aliveAfter.length === 2);
    figures.add(scenario, 'HAProxy view of the gateways while it was away', `a ${servers.a?.status}, b ${servers.b?.status}`, 'both UP', servers.a?.status === 'UP' && servers.b?.status === 'UP');
    figures.add(scenario, '/healthz on A while it was away', `HTTP ${health.status} ${JSON.stringify(health.body).slice(0, 120)}`, 'degraded', JSON.stringify(health.body).includes('degraded'));
    if (window.failed > 0) log(`PostgreSQL outage errors: ${window.errors.join(' | ')}`);
    assertScenario(scenario);
  });

  it('the GPU host cut off for 60 s: 0 client-visible errors, breakers open, one automatic rollback per component, audited once', async () => {
    const sys = system!;
    const scenario = 'GPU host cut off';
    await bothGatewaysUp(sys);
    const how = await weightsEverywhere(sys, 'system test: every component at 50 % before the GPU host is cut off');
    log(`weights before the cut ${how}: ${await routingState(sys.clients, 'a')}`);
    const cutAt = Date.now();
    await setLink('gpu', 'down');
    const breakersSeen: Record<string, Set<string>> = {};
    const rolledBackAfter: Record<string, number> = {};
    while (Date.now() - cutAt < OUTAGE_MS) {
      for (const replica of ['a', 'b'] as Replica[]) {
        for (const c of await components(sys.clients, replica).catch(() => [])) {
          (breakersSeen[`${replica}:${c.component}`] ??= new Set()).add(c.providers.production.breaker);
          if (c.status === 'rollback' && rolledBackAfter[`${replica}:${c.component}`] === undefined) rolledBackAfter[`${replica}:${c.component}`] = Date.now() - cutAt;
        }
      }
      await sleep(1_000);
    }
    await setLink('gpu', 'up');
    await sleep(5_000);
    const window = countWindow(load!.results, cutAt, Date.now());
    figures.add(scenario, `client-visible errors (${Math.round(OUTAGE_MS / 1000)} s cut, ${window.requests} requests)`, `${window.failed} ${JSON.stringify(window.byStatus)}`, '0', window.failed === 0);
    figures.add(scenario, 'routes during the cut', JSON.stringify(window.byRoute), '—', true);
    for (const c of COMPONENTS) {
      const ofComponent = countWindow(load!.results, cutAt, Date.now(), (r) => componentOf(r.activity) === c);
      figures.add(scenario, `${c}: client-visible errors`, `${ofComponent.failed} of ${ofComponent.requests} ${JSON.stringify(ofComponent.byStatus)}`, '0', ofComponent.failed === 0);
    }
    for (const c of COMPONENTS) {
      const opened = ['a', 'b'].filter((r) => breakersSeen[`${r}:${c}`]?.has('open'));
      // Each replica's breaker trips on its own calls: once the leader has rolled the component back, the
      // other replica makes no more production calls, and may not have needed to open its own by then.
      figures.add(scenario, `${c}: production breaker seen open on`, opened.length ? opened.join(', ') : 'neither', 'a or b (or both)', opened.length >= 1);
      const ids = new Set<string>();
      for (const replica of ['a', 'b'] as Replica[]) {
        for (const e of await events(sys.clients, replica, c)) {
          if (e.action === 'rollback' && e.actor === 'analysis' && Date.parse(e.at) >= cutAt - 1_000) ids.add(`${e.at}|${e.reason}`);
        }
      }
      const after = ['a', 'b'].map((r) => `${r} ${rolledBackAfter[`${r}:${c}`] ?? '—'} ms`).join(', ');
      figures.add(scenario, `${c}: automatic rollbacks in the audit log (distinct events over a and b; status seen after)`, `${ids.size} (${after})`, '1', ids.size === 1);
    }
    if (window.failed > 0) log(`GPU cut errors: ${window.errors.join(' | ')}`);
    assertScenario(scenario);
  });
});
