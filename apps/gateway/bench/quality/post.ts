// `--post`: each provider's score as a quality measure in the gateway's analysis
// (`POST /admin/v1/components/{c}/quality`, the admin token), so the quality criterion counts the corpus's
// items as its samples. Each call has its own timeout; a refusal is reported with the gateway's message.
import type { QualityResultRequest } from '@bascule/contracts';
import type { BenchReport } from './report-types.ts';

export interface PostOptions {
  gatewayUrl: string;
  adminToken: string;
  timeoutMs?: number;
}

export interface Posted {
  provider: string;
  status: number;
  body: unknown;
}

export function qualityMeasures(report: BenchReport): QualityResultRequest[] {
  return report.providers
    .filter((p) => p.items > 0)
    .map((p) => ({ benchmark: report.benchmark, provider: p.provider, score: Math.min(1, Math.max(0, p.score)), samples: p.items, at: report.startedAt }));
}

export async function postResults(report: BenchReport, options: PostOptions): Promise<Posted[]> {
  const url = `${options.gatewayUrl.replace(/\/+$/, '')}/admin/v1/components/${report.component}/quality`;
  const posted: Posted[] = [];
  for (const measure of qualityMeasures(report)) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(measure),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    const body = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) {
      const message = (body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
      throw new Error(`posting ${measure.provider}'s score to ${url}: ${message}`);
    }
    posted.push({ provider: measure.provider, status: res.status, body });
  }
  return posted;
}
