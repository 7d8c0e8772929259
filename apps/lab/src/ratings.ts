// Now and then a simulated student rates what they just used (`POST /v1/satisfaction`), as the app asks
// after an exercise: a happy child (one who reads well, served fast) gives 8 to 10, a failed or slow answer
// costs points. So `npm start` shows the satisfaction tile, its criterion and, under a fault, its alert.
import type { Activity } from './traffic.ts';
import type { Rng } from './rng.ts';

export const COMPONENT_OF: Readonly<Record<Activity, 'llm' | 'stt' | 'tts' | 'vision'>> = { reading: 'stt', listening: 'tts', writing: 'vision', chat: 'llm' };

/** 0..10: from the student's skill (6.6 to 10), minus 5 for a failed answer, minus 3 for one over 2 s, ± 1 of mood. */
export function satisfactionScore(rng: Rng, skill: number, ok: boolean, latencyMs: number): number {
  const mood = Math.floor(rng() * 3) - 1;
  const score = 1 + skill * 9 + mood - (ok ? 0 : 5) - (latencyMs > 2_000 ? 3 : 0);
  return Math.max(0, Math.min(10, Math.round(score)));
}
