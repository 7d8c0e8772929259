// The optional filters of a quality query (types.ts QualityQuery) as SQL, for either engine's placeholders.
import type { QualityQuery } from './types.ts';

/** The SQL condition and values of a quality query's optional filters, for either engine's placeholders. */
export function qualityFilters(query: QualityQuery, placeholder: (index: number) => string, first: number): { sql: string; values: string[] } {
  const clauses: string[] = [];
  const values: string[] = [];
  if (query.benchmark !== undefined) {
    values.push(query.benchmark);
    clauses.push(`benchmark = ${placeholder(first + values.length - 1)}`);
  }
  // substr, not LIKE: a benchmark name may hold `_` or `%`.
  if (query.shadow !== undefined) clauses.push(`substr(benchmark, 1, 7) ${query.shadow ? '=' : '<>'} 'shadow:'`);
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), values };
}

/**
 * The rows a quality criterion reads (migration/quality-measure.ts): benchmark results and the shadow
 * comparison's agreement, never its diagnostics (`shadow:wer`, `shadow:cer`, …), which would otherwise make
 * up most of a week of rows. The same SQL on both engines; the literals are constants, not input.
 */
export const CRITERION_ROWS = "(benchmark = 'shadow:agreement' OR substr(benchmark, 1, 7) <> 'shadow:')";
