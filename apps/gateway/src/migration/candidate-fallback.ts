// Outage episodes of an MVP provider during which the candidate served as its fallback. The first request
// of an episode records an audit event and raises an alert; the following ones only extend it, so an MVP
// outage at 100 req/s is one event, not one per request. The episode ends (and the alert resolves) after
// `quietMs` without such a request.
import type { AdminAlert } from './view-types.ts';
import type { Component, ProviderId } from '@bascule/routing';
import type { CandidateFallback } from './runtime.ts';

export interface Episode {
  component: Component;
  mvpProvider: ProviderId;
  candidate: ProviderId;
  since: number;
  last: number;
  /** Requests the candidate served in this episode. */
  served: number;
}

export const DEFAULT_EPISODE_QUIET_MS = 5 * 60_000;

export class CandidateFallbackEpisodes {
  private readonly episodes = new Map<Component, Episode>();

  constructor(private readonly quietMs = DEFAULT_EPISODE_QUIET_MS) {}

  /** Notes one request; returns the episode when this request opened it (record it then), null otherwise. */
  note(o: CandidateFallback, candidate: ProviderId): Episode | null {
    const current = this.episodes.get(o.component);
    if (current && o.at - current.last <= this.quietMs) {
      current.last = Math.max(current.last, o.at);
      current.served++;
      return null;
    }
    const episode: Episode = { component: o.component, mvpProvider: o.mvpProvider, candidate, since: o.at, last: o.at, served: 1 };
    this.episodes.set(o.component, episode);
    return episode;
  }

  /** The component's alert while its episode lasts. */
  alerts(component: Component, now: number): AdminAlert[] {
    const e = this.episodes.get(component);
    if (!e || now - e.last > this.quietMs) return [];
    return [
      {
        id: `${component}:${e.candidate}:candidate_fallback`,
        severity: 'warning',
        metric: 'candidate_fallback',
        message: `${e.mvpProvider} is failing: ${e.candidate} served ${e.served} request(s) of the MVP cohort as its fallback`,
        value: e.served,
        threshold: null,
        provider: e.candidate,
        since: new Date(e.since).toISOString(),
        evaluations: 1,
      },
    ];
  }
}

/** The audit event's reason. */
export function episodeReason(e: Episode, failure: string | undefined): string {
  return `${e.mvpProvider} failed (${failure ?? 'error'}); ${e.candidate} serves the MVP cohort as its fallback until it recovers`;
}
