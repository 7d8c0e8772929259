// What a comparison yields: named scores, each a number 0..1 (never the answers themselves). The
// per-minute buffer keeps their sums and counts, bounded like the rollup buffer, until the flush writes them
// as `quality_results` rows (`benchmark` = `shadow:<measure>`, score = mean, samples = n).
import { minuteOf, type Component, type ProviderId } from '@bascule/routing';
import type { QualityRecord } from '../store/index.ts';
import { SHADOW_PREFIX } from '../migration/quality-measure.ts';

export interface ShadowScore {
  /** The measure's name, without the `shadow:` prefix: `agreement`, `wer`, `cer`, … */
  measure: string;
  /** 0..1 (clamped when stored). */
  value: number;
  /** Whose answer the score is about: the production provider's (default) or the MVP's (`matches-expected`). */
  of?: 'production' | 'mvp';
}

interface Sum {
  minute: number;
  component: Component;
  provider: ProviderId;
  measure: string;
  total: number;
  n: number;
}

export class ShadowScores {
  private pending = new Map<string, Sum>();
  /** Scores dropped past the bound (the store away for long) since start. */
  dropped = 0;

  constructor(readonly maxKeys = 10_000) {}

  get size(): number {
    return this.pending.size;
  }

  add(at: number, component: Component, provider: ProviderId, measure: string, value: number): void {
    if (!Number.isFinite(value)) return;
    const minute = minuteOf(at);
    const key = `${minute}|${component}|${provider}|${measure}`;
    let s = this.pending.get(key);
    if (!s) {
      if (this.pending.size >= this.maxKeys) {
        this.dropped += 1;
        return;
      }
      s = { minute, component, provider, measure, total: 0, n: 0 };
      this.pending.set(key, s);
    }
    s.total += Math.min(1, Math.max(0, value));
    s.n += 1;
  }

  /** The minutes that started before `before`, as rows, taken out of the buffer. */
  take(before: number): Omit<QualityRecord, 'id'>[] {
    const rows: Omit<QualityRecord, 'id'>[] = [];
    for (const [key, s] of this.pending) {
      if (s.minute >= before) continue;
      this.pending.delete(key);
      rows.push({ at: s.minute, component: s.component, provider: s.provider, benchmark: `${SHADOW_PREFIX}${s.measure}`, score: s.total / s.n, samples: s.n });
    }
    return rows;
  }

  /** A failed write's rows back in (merged with what came meanwhile), within the bound. */
  restore(rows: readonly Omit<QualityRecord, 'id'>[]): void {
    for (const r of rows) {
      const measure = r.benchmark.slice(SHADOW_PREFIX.length);
      const key = `${r.at}|${r.component}|${r.provider}|${measure}`;
      const s = this.pending.get(key);
      if (s) {
        s.total += r.score * r.samples;
        s.n += r.samples;
      } else if (this.pending.size < this.maxKeys) {
        this.pending.set(key, { minute: r.at, component: r.component, provider: r.provider, measure, total: r.score * r.samples, n: r.samples });
      } else {
        this.dropped += r.samples;
      }
    }
  }
}
