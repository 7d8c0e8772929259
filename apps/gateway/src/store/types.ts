// The gateway's store contract: one async interface, two engines in sibling folders (sqlite/, postgres/),
// as Kysely's Driver. Every transaction lives inside one method named for what it does. The request path
// never calls the store: it reads the runtime's memory, and the store is written by the flush, the
// analysis loop and the admin API.
import type { AuditEvent, Component, MinuteRollup, ProviderId, RolloutState, SatisfactionMinute } from '@bascule/routing';

/** An audit event as stored: the engine's event (or a quality record) with the id the store assigned. */
export interface StoredAuditEvent extends Omit<AuditEvent, 'action'> {
  id: number;
  action: AuditEvent['action'] | 'quality-recorded' | 'candidate-fallback' | 'shadow-settings';
}

export type StoredAuditEventInput = Omit<StoredAuditEvent, 'id'>;

export interface QualityRecord {
  id: number;
  at: number;
  component: Component;
  provider: ProviderId;
  benchmark: string;
  score: number;
  samples: number;
  /** What a person noted with the result (a listening test's remarks), at most 500 characters. */
  note?: string;
}

/** `qualityResults`: every provider's results of a component in [from, to], at most `limit` (the newest). */
export interface QualityQuery {
  component: Component;
  from: number;
  to: number;
  limit: number;
  /** Only this benchmark. */
  benchmark?: string;
  /** Only the shadow comparison's rows (`shadow:` names; true), or none of them (false). */
  shadow?: boolean;
}


/** Requests and cost of one UTC month for one component and provider. */
export interface MonthlyCost {
  /** `YYYY-MM` (UTC). */
  month: string;
  component: Component;
  provider: ProviderId;
  requests: number;
  costEur: number;
  /** Start of the first minute with a request this month. */
  firstMinute: number;
}

export interface EventQuery {
  component?: Component;
  /** Only events with a smaller id (paging back). */
  before?: number;
  limit: number;
}

/** A component's state with its revision: every transition adds one, so a write from a stale view is refused. */
export interface VersionedState {
  state: RolloutState;
  revision: number;
}

/** The lease ticket a transition is fenced with: refused unless that ticket still holds the lease. */
export interface Fence {
  lease: string;
  ticket: number;
}

export interface TransitionGuard {
  /** The revision the transition was computed from. */
  revision: number;
  /** Set by the analysis loop: a leader that lost its lease cannot write. */
  fence?: Fence;
}

/** The state changed under the writer (another replica wrote first): re-read, decide again. */
export class StaleStateError extends Error {
  constructor(component: Component) {
    super(`the state of ${component} changed on another gateway meanwhile: retry`);
  }
}

/** The lease the transition was fenced with has moved to another replica. */
export class LeaseLostError extends Error {
  constructor(lease: string, ticket: number) {
    super(`lease ${lease} no longer held with ticket ${ticket}`);
  }
}

/** The store cannot be reached (connection refused, timed out, database stopped). */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the state store is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A gateway replica as its heartbeats left it in the store (see coordination/replicas.ts). */
export interface ReplicaRecord {
  id: string;
  /** Where it listens (its URL), when known. */
  address: string | null;
  startedAt: number;
  /** Its last heartbeat (the database's clock on PostgreSQL). */
  lastSeen: number;
  /** How long ago that was, on the same clock. */
  ageMs: number;
  /** Set by the analysis leader when it notified the replica down; cleared when it notified it back. */
  downSince: number | null;
}

/** The UTC month (`YYYY-MM`) of an instant. */
export const monthOf = (at: number): string => new Date(at).toISOString().slice(0, 7);

export interface GatewayStore {
  readonly engine: 'sqlite' | 'postgres';
  /** False once closed. */
  readonly open: boolean;

  /** Every component's stored state. */
  loadStates(): Promise<VersionedState[]>;
  /** Stores a component's first state unless one exists; returns the stored one (a replica may have won). */
  initState(state: RolloutState, at: number): Promise<VersionedState>;
  /** A transition: the new state and its audit event, both or neither; refused when stale or unfenced. */
  saveTransition(state: RolloutState, event: StoredAuditEventInput, guard: TransitionGuard): Promise<{ event: StoredAuditEvent; revision: number }>;

  /** An audit event that changes no state (the candidate serving as the MVP's fallback, say). */
  recordEvent(event: StoredAuditEventInput): Promise<StoredAuditEvent>;
  /** Newest first. */
  events(query: EventQuery): Promise<StoredAuditEvent[]>;
  /** A benchmark's result and its audit event, both or neither. */
  recordQuality(q: Omit<QualityRecord, 'id'>, event: StoredAuditEventInput): Promise<{ quality: QualityRecord; event: StoredAuditEvent }>;
  /**
   * Quality results measured by the gateway itself (the shadow comparison's per-minute scores), in one
   * transaction, without an audit event each: they are measurements, not decisions.
   */
  addQualityResults(results: readonly Omit<QualityRecord, 'id'>[]): Promise<void>;
  /** A provider's results since `since` that a criterion reads: benchmarks and `shadow:agreement` (quality-filters.ts). */
  qualitySince(component: Component, provider: ProviderId, since: number): Promise<QualityRecord[]>;
  /** The results of every provider of a component in [from, to], oldest first: the newest `limit` of them. */
  qualityResults(query: QualityQuery): Promise<QualityRecord[]>;

  /**
   * Adds rollups into the stored ones of the same minute and key (two flushes, or two replicas, add up),
   * and their requests and cost into the month's totals, in one transaction.
   */
  addRollups(rollups: readonly MinuteRollup[]): Promise<void>;
  /** Rollups of minutes starting at or after `since`, oldest first. */
  rollupsSince(since: number, component?: Component): Promise<MinuteRollup[]>;
  /** Deletes rollups (and rating aggregates) older than `before` (retention); returns how many rollups. */
  pruneRollups(before: number): Promise<number>;
  /** The totals of one UTC month (`YYYY-MM`), per component and provider. */
  monthlyCosts(month: string): Promise<MonthlyCost[]>;

  /** Adds ratings into the stored minutes of the same key (replicas and flushes add up), in one transaction. */
  addSatisfaction(minutes: readonly SatisfactionMinute[]): Promise<void>;
  /** Rating aggregates of minutes starting at or after `since`, oldest first. */
  satisfactionSince(since: number, component?: Component): Promise<SatisfactionMinute[]>;

  /** A replica's heartbeat: inserts or refreshes its row (`at` is used where the store has no clock of its own). */
  heartbeatReplica(replica: { id: string; address: string | null; startedAt: number }, at: number): Promise<void>;
  /** Every replica that heartbeated, oldest first; `now` is used where the store has no clock of its own. */
  replicas(now: number): Promise<ReplicaRecord[]>;
  /** The leader's note that a replica was notified down (a time) or back (null). */
  markReplica(id: string, downSince: number | null): Promise<void>;
  /** A replica that leaves cleanly takes its row out: it is gone, not down. */
  forgetReplica(id: string): Promise<void>;

  /** Versions of the schema migrations applied, in order. */
  schemaVersions(): Promise<number[]>;
  close(): Promise<void>;
}
