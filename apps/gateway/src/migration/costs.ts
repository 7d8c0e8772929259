// What the gateway recorded this month (or another): requests and cost per component and provider, from
// the store's monthly totals plus the minutes not flushed yet, for the dashboard's measured costs.
import type { CostsResponse } from '@bascule/contracts';
import type { Component, MinuteRollup, ProviderId } from '@bascule/routing';
import { monthOf, type MonthlyCost } from '../store/index.ts';
import { iso } from './views.ts';

/** Start of a UTC month `YYYY-MM`, ms since epoch. */
export function monthStart(month: string): number {
  return Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
}

/** Stored totals and unflushed rollups of `month` → the costs response, every configured component listed. */
export function costsView(month: string, components: readonly Component[], stored: readonly MonthlyCost[], unflushed: Iterable<MinuteRollup>, now: number): CostsResponse {
  const lines = new Map<string, MonthlyCost>();
  const add = (line: MonthlyCost) => {
    const key = `${line.component}|${line.provider}`;
    const seen = lines.get(key);
    lines.set(key, seen ? { ...seen, requests: seen.requests + line.requests, costEur: seen.costEur + line.costEur, firstMinute: Math.min(seen.firstMinute, line.firstMinute) } : { ...line });
  };
  stored.forEach(add);
  for (const r of unflushed) {
    if (monthOf(r.minute) === month) add({ month, component: r.component, provider: r.provider, requests: r.count, costEur: r.costEur, firstMinute: r.minute });
  }
  const all = [...lines.values()];
  const first = all.length === 0 ? null : Math.min(...all.map((l) => l.firstMinute));
  const sum = (list: readonly MonthlyCost[]) => ({ requests: list.reduce((n, l) => n + l.requests, 0), costEur: list.reduce((n, l) => n + l.costEur, 0) });
  return {
    month,
    monthStart: iso(monthStart(month)),
    at: iso(now),
    since: first === null ? null : iso(first),
    ...sum(all),
    components: components.map((component) => {
      const mine = all.filter((l) => l.component === component).sort((a, b) => a.provider.localeCompare(b.provider));
      return { component, ...sum(mine), providers: mine.map((l) => ({ provider: l.provider as ProviderId, requests: l.requests, costEur: l.costEur })) };
    }),
  };
}
