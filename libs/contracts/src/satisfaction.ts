// User satisfaction (the plan's NPS-like metric): the app posts a student's or a teacher's rating of a
// component, `POST /v1/satisfaction`; the admin API reads the per-minute aggregates back, per route.
import { z } from 'zod';
import { ComponentSchema, ProviderIdSchema, RouteSchema } from './vocabulary.ts';

export const SATISFACTION_RATER_VALUES = ['student', 'teacher'] as const;

const SCORE = 'expected a whole number from 0 to 10';

/** `POST /v1/satisfaction`: one rating. The student is named by `X-Student-Id` (hashed, never stored). */
export const SatisfactionRequestSchema = z.object({
  component: z.enum(['llm', 'stt', 'tts', 'vision'], { error: 'expected the component rated: llm, stt, tts or vision' }),
  score: z.int({ error: SCORE }).min(0, SCORE).max(10, SCORE),
  rater: z.enum(SATISFACTION_RATER_VALUES, { error: 'expected who rated: student or teacher' }).default('student'),
});
export type SatisfactionRequest = z.infer<typeof SatisfactionRequestSchema>;

/** 202: the rating is counted (in memory; written to the store with the next flush). */
export const SatisfactionAcceptedSchema = z.object({
  accepted: z.literal(true),
  component: ComponentSchema,
  /** The provider and route the student is routed to now, which the rating is counted against. */
  provider: ProviderIdSchema,
  route: RouteSchema,
});
export type SatisfactionAccepted = z.infer<typeof SatisfactionAcceptedSchema>;

const count = () => z.number().int().min(0);

/** Ratings added up: mean /10, NPS-like bands (promoters 9–10, passives 7–8, detractors 0–6). */
export const SatisfactionStatsSchema = z.object({
  ratings: count(),
  mean: z.number().min(0).max(10).nullable(),
  promoters: count(),
  passives: count(),
  detractors: count(),
  /** (promoters − detractors) / ratings × 100. */
  nps: z.number().min(-100).max(100).nullable(),
  /** 11 buckets: how many rated 0, 1, … 10. */
  histogram: z.array(count()).length(11),
});
export type SatisfactionStats = z.infer<typeof SatisfactionStatsSchema>;

/** `GET /admin/v1/components/{component}/satisfaction?range=1h|48h|7d`. */
export const SatisfactionResponseSchema = z.object({
  component: ComponentSchema,
  range: z.enum(['1h', '48h', '7d']),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  /** Every rating of the range. */
  all: SatisfactionStatsSchema,
  /** Per route the raters' students were routed to (the candidate's is `production`). */
  production: SatisfactionStatsSchema,
  mvp: SatisfactionStatsSchema,
  byRater: z.object({ student: SatisfactionStatsSchema, teacher: SatisfactionStatsSchema }),
  /** The alert's threshold and the GO/NO-GO criterion's target (means /10). */
  alertBelow: z.number(),
  /** Per bucket (the history's buckets), oldest first. */
  series: z.array(z.object({ t: z.iso.datetime({ offset: true }), ratings: count(), mean: z.number().nullable() })),
});
export type SatisfactionResponse = z.infer<typeof SatisfactionResponseSchema>;
