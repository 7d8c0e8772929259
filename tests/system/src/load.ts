// Steady traffic through the load balancer: the lab's simulated class (startTraffic), every result kept
// with the time it completed, so each scenario counts what happened in its own window.
import { fetch } from 'undici';
import { createRng, startTraffic, type Activity, type Traffic, type TrafficResult } from '@bascule/lab';
import { ORIGIN } from './client.ts';
import { SECRETS } from './gateway-config.ts';

export interface TimedResult extends TrafficResult {
  at: number;
}

export interface Load {
  results: TimedResult[];
  stop(): Promise<void>;
}

export function startLoad(options: { students: number; ratePerSecond: number; seed: number; maxInFlight?: number }): Load {
  const results: TimedResult[] = [];
  const traffic: Traffic = startTraffic({
    gatewayUrl: ORIGIN,
    clientKey: SECRETS.BASCULE_CLIENT_KEY,
    students: options.students,
    ratePerSecond: options.ratePerSecond,
    rng: createRng(options.seed),
    timeoutMs: 10_000,
    maxInFlight: options.maxInFlight ?? 400,
    onResult: (result) => results.push({ ...result, at: Date.now() }),
  });
  return { results, stop: () => traffic.stop() };
}

/** A client-visible error: any answer but 2xx, or none at all (stop() aborting a request is not one). */
export const failed = (r: TrafficResult) => !r.aborted && !(r.status >= 200 && r.status < 300);

const ACTIVITY_COMPONENT: Record<Activity, string> = { reading: 'stt', listening: 'tts', writing: 'vision', chat: 'llm' };
export const componentOf = (activity: Activity) => ACTIVITY_COMPONENT[activity];

export interface WindowCounts {
  requests: number;
  ok: number;
  failed: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, number>;
  /** A sample of the errors seen, for the log. */
  errors: string[];
}

export function countWindow(results: readonly TimedResult[], from: number, to: number, filter: (r: TimedResult) => boolean = () => true): WindowCounts {
  const counts: WindowCounts = { requests: 0, ok: 0, failed: 0, byStatus: {}, byRoute: {}, errors: [] };
  for (const r of results) {
    if (r.at < from || r.at > to || r.aborted || !filter(r)) continue;
    counts.requests += 1;
    if (failed(r)) {
      counts.failed += 1;
      if (counts.errors.length < 10 && r.error) counts.errors.push(r.error.slice(0, 200));
    } else counts.ok += 1;
    counts.byStatus[r.status] = (counts.byStatus[r.status] ?? 0) + 1;
    if (r.route) counts.byRoute[r.route] = (counts.byRoute[r.route] ?? 0) + 1;
  }
  return counts;
}

export interface NoisyStudent {
  /** Answers by status (0: no answer). */
  byStatus: Record<string, number>;
  sent(): number;
  stop(): Promise<void>;
}

/**
 * One student outside the class asking for exercises as fast as `ratePerSecond`: a child tapping the button
 * again and again (or a script with a student's id). Each request has a timeout; stop() waits for them.
 */
export function startNoisyStudent(options: { studentId: string; ratePerSecond: number }): NoisyStudent {
  const byStatus: Record<string, number> = {};
  const pending = new Set<Promise<void>>();
  let sent = 0;
  const send = async () => {
    let status = 0;
    try {
      const response = await fetch(`${ORIGIN}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRETS.BASCULE_CLIENT_KEY}`, 'x-student-id': options.studentId, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Encore un texte de lecture, s’il te plaît !' }], max_tokens: 40 }),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 0;
    }
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  };
  const timer = setInterval(() => {
    sent += 1;
    const p = send().finally(() => pending.delete(p));
    pending.add(p);
  }, 1000 / options.ratePerSecond);
  return {
    byStatus,
    sent: () => sent,
    stop: async () => {
      clearInterval(timer);
      await Promise.allSettled([...pending]);
    },
  };
}
