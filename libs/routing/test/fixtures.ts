// Shared test doubles: a clock the test moves by hand, and window statistics built from parts.
import { minuteOfRating, summarizeSatisfaction, type Clock, type SatisfactionStats, type WindowStats } from '../src/index.ts';

export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 0, 5, 8, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function stats(parts: Partial<WindowStats> = {}): WindowStats {
  const requests = parts.requests ?? 1000;
  const errors = parts.errors ?? 0;
  return {
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    availability: requests === 0 ? 1 : 1 - errors / requests,
    avgMs: 300,
    p50Ms: 250,
    p95Ms: 600,
    p99Ms: 900,
    costPerRequestEur: 0.0001,
    ...parts,
  };
}

/** The MVP's window for llm criteria: five times the production's cost per request (Hugging Face against Groq). */
export const LLM_MVP: WindowStats = stats({ costPerRequestEur: 0.0005 });

/** The candidate's students rate it 8/10, 40 times: enough for the satisfaction criterion to pass. */
export const SATISFIED: SatisfactionStats = summarizeSatisfaction(
  Array.from({ length: 40 }, () => minuteOfRating({ at: 0, component: 'llm', provider: 'groq', route: 'production', rater: 'student', score: 8 })),
);
