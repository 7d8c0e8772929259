// Each scenario's measured figures, printed as a Markdown table at the end of the run (the form
// docs/reliability.md records them in).
export interface Figure {
  scenario: string;
  figure: string;
  measured: string | number;
  target: string;
  pass: boolean;
}

export class Figures {
  readonly rows: Figure[] = [];

  add(scenario: string, figure: string, measured: string | number, target: string, pass: boolean): void {
    this.rows.push({ scenario, figure, measured, target, pass });
    console.log(`[${scenario}] ${figure}: ${measured} (target ${target}) ${pass ? 'PASS' : 'FAIL'}`);
  }

  table(): string {
    const lines = ['| scenario | figure | measured | target | |', '|---|---|---|---|---|'];
    for (const r of this.rows) lines.push(`| ${r.scenario} | ${r.figure} | ${r.measured} | ${r.target} | ${r.pass ? 'pass' : 'FAIL'} |`);
    return lines.join('\n');
  }

  /** The scenario's failed figures, for its assertion message. */
  failures(scenario: string): string[] {
    return this.rows.filter((r) => r.scenario === scenario && !r.pass).map((r) => `${r.figure}: measured ${r.measured}, target ${r.target}`);
  }
}
