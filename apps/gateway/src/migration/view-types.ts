// Admin API types, re-exported under names that do not clash with the engine's.
export type {
  Alert as AdminAlert,
  AuditEvent as AdminAuditEvent,
  ComponentSummary,
  CriteriaResponse,
  MetricsStreamPayload,
  QualityResult,
  WindowMetrics,
} from '@bascule/contracts';
