// Capacity forecast of a self-hosted provider: how busy its GPU hosts are now, how busy they will be at the
// next step's weight and at 100 %, and how many students one host can serve. Pure: the gateway measures the
// service time (the model's own compute time per request, reported by the image) and the request rates, and
// this module does the arithmetic. See docs/capacity.md and docs/decisions/0016-capacity-forecast.md.
//
// utilisation(w) = component requests/s × w/100 × service time / (hosts × parallel slots)
//
// It is a utilisation law (Little/the utilisation law of queueing theory): it ignores queueing delay below
// saturation and any gain from batching several requests into one model call (a batching service reports a
// per-request busy time that already includes the gain it got at the load it saw, not at the forecast one).
import type { RolloutPlan, RolloutState } from './plan.ts';

export interface CapacityInput {
  /** Requests a second the whole component receives (every provider and route) at the rate forecast from. */
  componentRatePerSec: number;
  /** Requests a second the production provider serves now (its measured share of the load). */
  productionRatePerSec: number;
  /** The model's mean compute time per request (ms), null without a sample. */
  serviceMs: number | null;
  /** Service-time samples behind `serviceMs`. */
  samples: number;
  /** GPU hosts serving the provider. */
  hosts: number;
  /** Requests one host computes at once without slowing each other (1 for one model instance per GPU). */
  slotsPerHost: number;
  /** The weight of the next step of the plan; null when there is none (already at 100 %). */
  nextWeight: number | null;
  /** Distinct students active now on the component, and the request rate they make (for students per host). */
  activeStudents: number;
  studentRatePerSec: number;
  /** Utilisation that the criterion accepts at most (0..1). */
  threshold: number;
}

export interface CapacityForecast {
  serviceMs: number | null;
  samples: number;
  hosts: number;
  slotsPerHost: number;
  threshold: number;
  /** The component's request rate the forecast scales (requests a second, every route). */
  componentRatePerSec: number;
  /** Share (0..1) of the component's requests the production provider carries now; null without requests. */
  share: number | null;
  /** Busy share of the hosts now (0..1, may exceed 1 when overloaded); null without a service time. */
  utilisationNow: number | null;
  nextWeight: number | null;
  /** At the next step's weight; null without a next step or a service time. */
  atNextStep: number | null;
  /** At 100 %. */
  atFull: number | null;
  /** Requests a second one active student makes; null without students. */
  requestsPerStudentPerSec: number | null;
  /** Students one host can serve under the threshold; null when not measurable yet. */
  studentsPerHost: number | null;
}

/** Busy share of `hosts × slots` when `ratePerSec × weight/100` requests a second each take `serviceMs`. */
export function utilisationAt(ratePerSec: number, weight: number, serviceMs: number, hosts: number, slotsPerHost: number): number {
  const servers = Math.max(1, hosts) * Math.max(1, slotsPerHost);
  return (ratePerSec * (weight / 100) * (serviceMs / 1000)) / servers;
}

/**
 * Students one host serves while staying under `threshold`: threshold × slots / (service time × requests per
 * student per second). Infinity is not an answer a page can show: null when either figure is 0 or unknown.
 */
export function studentsPerHost(threshold: number, serviceMs: number | null, requestsPerStudentPerSec: number | null, slotsPerHost = 1): number | null {
  if (serviceMs === null || requestsPerStudentPerSec === null || serviceMs <= 0 || requestsPerStudentPerSec <= 0) return null;
  return Math.floor((threshold * Math.max(1, slotsPerHost)) / ((serviceMs / 1000) * requestsPerStudentPerSec));
}

/** The weight the next promotion would set: the first step above the current weight; null past the last. */
export function nextStepWeight(plan: Pick<RolloutPlan, 'steps'>, state: Pick<RolloutState, 'step' | 'weight' | 'status'>): number | null {
  if (state.status === 'production' || state.weight >= 100) return null;
  const next = plan.steps.find((s, i) => i > state.step && s.weight > state.weight);
  return next?.weight ?? null;
}

export function forecastCapacity(input: CapacityInput): CapacityForecast {
  const { serviceMs, hosts, slotsPerHost, componentRatePerSec: rate } = input;
  // Without load there is nothing to scale: "0 % busy" would pass a step nobody has used yet.
  const at = (weight: number | null): number | null => (serviceMs === null || weight === null || !(rate > 0) ? null : utilisationAt(rate, weight, serviceMs, hosts, slotsPerHost));
  const requestsPerStudentPerSec = input.activeStudents > 0 && input.studentRatePerSec > 0 ? input.studentRatePerSec / input.activeStudents : null;
  return {
    serviceMs,
    samples: input.samples,
    hosts,
    slotsPerHost,
    threshold: input.threshold,
    componentRatePerSec: rate,
    share: rate > 0 ? Math.min(1, input.productionRatePerSec / rate) : null,
    utilisationNow: serviceMs === null ? null : utilisationAt(input.productionRatePerSec, 100, serviceMs, hosts, slotsPerHost),
    nextWeight: input.nextWeight,
    atNextStep: at(input.nextWeight),
    atFull: at(100),
    requestsPerStudentPerSec,
    studentsPerHost: studentsPerHost(input.threshold, serviceMs, requestsPerStudentPerSec, slotsPerHost),
  };
}

/** What the criterion judges: the forecast at the next step, or at 100 % once there is no next step. */
export function capacityMeasure(forecast: CapacityForecast): { measured: number | null; weight: number } {
  if (forecast.nextWeight !== null) return { measured: forecast.atNextStep, weight: forecast.nextWeight };
  return { measured: forecast.atFull, weight: 100 };
}

/** The criterion's text: "forecast 113 % busy at 50 % (service 900 ms, 2.5 req/s, 1 host × 1 slot)". */
export function capacityText(forecast: CapacityForecast): string {
  const { measured, weight } = capacityMeasure(forecast);
  if (measured === null) return forecast.samples === 0 ? 'no service-time sample yet' : 'no load measured yet';
  const rate = `, ${round(forecast.componentRatePerSec, 2)} req/s`;
  const hosts = `${forecast.hosts} host${forecast.hosts === 1 ? '' : 's'} × ${forecast.slotsPerHost} slot${forecast.slotsPerHost === 1 ? '' : 's'}`;
  return `forecast ${round(measured * 100, 1)} % busy at ${weight} % (service ${round(forecast.serviceMs ?? 0, 1)} ms${rate}, ${hosts}; threshold ${round(forecast.threshold * 100, 1)} %)`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
