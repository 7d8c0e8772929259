// `bascule criteria <component>`: the GO/NO-GO table of the current step. Exit 0 on GO, 1 otherwise, so a
// script can wait for GO before it raises the weight.
import type { CriteriaResponse } from '@bascule/contracts';
import type { AdminClient } from '../admin-client.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { inUnit, verdict } from '../format.ts';
import type { Output } from '../output.ts';

export async function criteria(client: AdminClient, out: Output, component: string): Promise<ExitCode> {
  const r = await client.get<CriteriaResponse>(`/components/${encodeURIComponent(component)}/criteria`);
  if (out.json) out.data(r);
  else {
    out.line(`${r.component} (${r.provider}), step ${r.step === null ? '—' : r.step + 1}: ${verdict(out, r.verdict)}`);
    out.table(
      ['criterion', 'target', 'measured', 'samples', 'verdict'],
      r.criteria.map((c) => [c.label, `${c.comparator} ${inUnit(c.target, c.unit)}`, inUnit(c.measured, c.unit), `${c.samples}/${c.minSamples}`, verdict(out, c.verdict)]),
    );
    // What a figure means when a number alone does not say it (the capacity forecast).
    for (const c of r.criteria) if (c.detail !== undefined) out.line(`${c.id}: ${c.detail}`);
  }
  return r.verdict === 'GO' ? EXIT.OK : EXIT.FAILED;
}
