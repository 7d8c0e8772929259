// A class of simulated students using the reading app through the gateway's public API: reading a sentence
// aloud (`/v1/reading/check` with a WAV that says what the child read), listening (`/v1/audio/speech`),
// writing a letter (`/v1/vision/handwriting` with a PNG of what the child wrote) and asking for an exercise
// (`/v1/chat/completions`, sometimes streamed); after some of them, the student rates the component
// (`/v1/satisfaction`, ratings.ts). Bounded (at most `maxInFlight` requests at once), every
// request has a timeout, and `stop()` aborts what is in flight.
import { fetch, FormData } from 'undici';
import { FRENCH_LETTERS, FRENCH_WORDS, LOOK_ALIKES, shortSentence } from './french.ts';
import { handwrittenPng, READING_SECONDS_PER_WORD, spokenWav } from './marker.ts';
import { pick, type Rng } from './rng.ts';
import { COMPONENT_OF, satisfactionScore } from './ratings.ts';

export const ACTIVITIES = ['reading', 'listening', 'writing', 'chat'] as const;
export type Activity = (typeof ACTIVITIES)[number];

export interface TrafficOptions {
  gatewayUrl: string;
  /** The client key the gateway accepts (`Authorization: Bearer`). */
  clientKey: string;
  /** Size of the class: student ids are `eleve-001` … (stable). */
  students: number;
  /** Requests started per second, across the class (default 2). */
  ratePerSecond?: number;
  rng: Rng;
  /** Per-request timeout in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Most requests in flight at once; a tick with no room is skipped (default 16). */
  maxInFlight?: number;
  /** Relative weights of the activities (default reading 4, listening 2, writing 2, chat 2). */
  mix?: Partial<Record<Activity, number>>;
  /** Chance (0..1) that a student rates the component after an activity (default 0.2; 0: never). */
  ratingChance?: number;
  /** Called after each request (for logs or tests). */
  onResult?(result: TrafficResult): void;
}

export interface TrafficResult {
  activity: Activity;
  studentId: string;
  /** HTTP status, or 0 when no response came (refused, timed out, aborted). */
  status: number;
  /** True when stop() cut the request short. */
  aborted?: boolean;
  /** The gateway's `X-Bascule-Provider` and `X-Bascule-Route`, when present. */
  provider?: string;
  route?: string;
  error?: string;
}

export interface TrafficStats {
  started: number;
  completed: number;
  /** 2xx answers. */
  ok: number;
  /** Answers with another status, by status. */
  byStatus: Record<string, number>;
  /** Requests that got no answer (refused, reset, timed out). */
  networkErrors: number;
  /** Requests cut short by stop(). */
  aborted: number;
  /** Ticks skipped because `maxInFlight` requests were pending. */
  skipped: number;
  byActivity: Record<Activity, number>;
  /** Ratings posted to `/v1/satisfaction`, and how many were accepted (202). */
  ratings: { sent: number; accepted: number };
  lastError?: string;
}

export interface Traffic {
  stats(): TrafficStats;
  /** Stops starting requests, aborts those in flight and waits for them to settle. */
  stop(): Promise<void>;
}

interface Student {
  id: string;
  /** Chance of reading or writing a word right, 0.6..0.98 (stable per student). */
  skill: number;
}

export function studentIds(count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `eleve-${String(i + 1).padStart(width, '0')}`);
}

/** What a child actually reads: each word right with probability `skill`, else misread or skipped. */
export function misread(rng: Rng, text: string, skill: number): string {
  return text
    .split(/\s+/)
    .flatMap((word) => {
      if (rng() < skill) return [word];
      return rng() < 0.3 ? [] : [pick(rng, FRENCH_WORDS)];
    })
    .join(' ');
}

function chooseActivity(rng: Rng, mix: Record<Activity, number>): Activity {
  const total = ACTIVITIES.reduce((sum, a) => sum + mix[a], 0);
  let draw = rng() * total;
  for (const activity of ACTIVITIES) {
    draw -= mix[activity];
    if (draw < 0) return activity;
  }
  return 'reading';
}

interface Call {
  path: string;
  body: FormData | string;
  json: boolean;
}

function buildCall(activity: Activity, student: Student, rng: Rng): Call {
  switch (activity) {
    case 'reading': {
      const expected = shortSentence(rng);
      const form = new FormData();
      form.append('audio', new Blob([spokenWav(misread(rng, expected, student.skill), READING_SECONDS_PER_WORD)], { type: 'audio/wav' }), 'lecture.wav');
      form.append('expected', expected);
      form.append('language', 'fr');
      return { path: '/v1/reading/check', body: form, json: false };
    }
    case 'writing': {
      const target = pick(rng, FRENCH_LETTERS);
      const wrote = rng() < student.skill ? target : (LOOK_ALIKES[target] ?? target);
      const form = new FormData();
      form.append('image', new Blob([handwrittenPng(wrote)], { type: 'image/png' }), 'lettre.png');
      form.append('target', target);
      return { path: '/v1/vision/handwriting', body: form, json: false };
    }
    case 'listening':
      return { path: '/v1/audio/speech', body: JSON.stringify({ input: pick(rng, FRENCH_WORDS), voice: 'default', response_format: 'wav' }), json: true };
    case 'chat':
      return {
        path: '/v1/chat/completions',
        json: true,
        body: JSON.stringify({
          messages: [
            { role: 'system', content: 'Tu es un maître de CP. Tu écris des textes de lecture courts et simples.' },
            { role: 'user', content: `Écris un petit texte de lecture sur le mot « ${pick(rng, FRENCH_WORDS)} », puis une question.` },
          ],
          max_tokens: 120,
          stream: rng() < 0.3,
        }),
      };
  }
}

export function startTraffic(options: TrafficOptions): Traffic {
  if (!Number.isInteger(options.students) || options.students < 1) throw new Error(`students: expected a whole number ≥ 1, got ${options.students}`);
  const rate = options.ratePerSecond ?? 2;
  if (!(rate > 0)) throw new Error(`ratePerSecond: expected a positive number, got ${rate}`);
  const { rng } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxInFlight = options.maxInFlight ?? 16;
  const ratingChance = options.ratingChance ?? 0.2;
  const mix: Record<Activity, number> = { reading: 4, listening: 2, writing: 2, chat: 2, ...options.mix };
  const base = options.gatewayUrl.replace(/\/+$/, '');
  const students: Student[] = studentIds(options.students).map((id) => ({ id, skill: 0.6 + rng() * 0.38 }));
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const stats: TrafficStats = { started: 0, completed: 0, ok: 0, byStatus: {}, networkErrors: 0, aborted: 0, skipped: 0, byActivity: { reading: 0, listening: 0, writing: 0, chat: 0 }, ratings: { sent: 0, accepted: 0 } };

  const record = (result: TrafficResult) => {
    stats.completed += 1;
    if (result.status >= 200 && result.status < 300) stats.ok += 1;
    else if (result.aborted) stats.aborted += 1;
    else if (result.status === 0) stats.networkErrors += 1;
    else stats.byStatus[result.status] = (stats.byStatus[result.status] ?? 0) + 1;
    if (result.error && !result.aborted) stats.lastError = result.error;
    options.onResult?.(result);
  };

  const send = async (activity: Activity, student: Student): Promise<void> => {
    const call = buildCall(activity, student, rng);
    const headers: Record<string, string> = { authorization: `Bearer ${options.clientKey}`, 'x-student-id': student.id };
    if (call.json) headers['content-type'] = 'application/json';
    const startedAt = performance.now();
    try {
      const response = await fetch(`${base}${call.path}`, {
        method: 'POST',
        headers,
        body: call.body,
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]),
      });
      const body = await response.text(); // read it all: a stream counts only when it ends
      const provider = response.headers.get('x-bascule-provider') ?? undefined;
      const route = response.headers.get('x-bascule-route') ?? undefined;
      const error = response.ok ? undefined : `${activity}: HTTP ${response.status} ${body.slice(0, 200)}`;
      record({ activity, studentId: student.id, status: response.status, provider, route, error });
      if (rng() < ratingChance) await postRating(activity, student, response.ok, performance.now() - startedAt);
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      const aborted = stopping.signal.aborted;
      record({ activity, studentId: student.id, status: 0, aborted, error: `${activity}: ${err instanceof Error ? err.message : String(err)}${cause}` });
    }
  };

  /** The student's rating of what they just used; a failure to post it is counted, never thrown. */
  const postRating = async (activity: Activity, student: Student, ok: boolean, latencyMs: number): Promise<void> => {
    stats.ratings.sent += 1;
    const response = await fetch(`${base}/v1/satisfaction`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.clientKey}`, 'x-student-id': student.id, 'content-type': 'application/json' },
      body: JSON.stringify({ component: COMPONENT_OF[activity], score: satisfactionScore(rng, student.skill, ok, latencyMs), rater: 'student' }),
      signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]),
    }).catch(() => null);
    await response?.text().catch(() => '');
    if (response?.status === 202) stats.ratings.accepted += 1;
  };

  const tick = () => {
    if (stopping.signal.aborted) return;
    if (inFlight.size >= maxInFlight) {
      stats.skipped += 1;
      return;
    }
    const activity = chooseActivity(rng, mix);
    const student = pick(rng, students);
    stats.started += 1;
    stats.byActivity[activity] += 1;
    const pending = send(activity, student).finally(() => inFlight.delete(pending));
    inFlight.add(pending);
  };

  const timer = setInterval(tick, 1000 / rate);
  timer.unref();
  return {
    stats: () => structuredClone(stats),
    stop: async () => {
      clearInterval(timer);
      stopping.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
