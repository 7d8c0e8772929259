// What the CLI prints: plain text with colours and aligned tables on a terminal, the same without colour when
// piped or NO_COLOR is set (FORCE_COLOR forces them), or one JSON document with --json.
export type Tone = 'good' | 'bad' | 'warn' | 'dim' | 'bold';
/** SGR codes (open, close): green, red, yellow, dim, bold. Whether to use them is decided here, not by the stream. */
const SGR: Record<Tone, [number, number]> = { good: [32, 39], bad: [31, 39], warn: [33, 39], dim: [2, 22], bold: [1, 22] };
const style = (tone: Tone, text: string) => `\u001b[${SGR[tone][0]}m${text}\u001b[${SGR[tone][1]}m`;

export interface Output {
  readonly json: boolean;
  readonly color: boolean;
  line(text?: string): void;
  error(text: string): void;
  /** One JSON document on stdout (with --json). */
  data(value: unknown): void;
  paint(text: string, tone: Tone): string;
  table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): void;
}

export interface Streams {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
}

/** Whether to colour: never with NO_COLOR (https://no-color.org), always with FORCE_COLOR, else on a TTY. */
export function useColor(streams: Streams): boolean {
  if (streams.env.NO_COLOR !== undefined && streams.env.NO_COLOR !== '') return false;
  if (streams.env.FORCE_COLOR !== undefined && streams.env.FORCE_COLOR !== '0') return true;
  return streams.stdout.isTTY === true && streams.env.TERM !== 'dumb';
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (s: string) => [...s.replace(ANSI, '')].length;

export function createOutput(streams: Streams, json: boolean): Output {
  const color = !json && useColor(streams);
  const out = (s: string) => streams.stdout.write(s);
  return {
    json,
    color,
    line: (text = '') => void out(`${text}\n`),
    error: (text) => void streams.stderr.write(`${text}\n`),
    data: (value) => void out(`${JSON.stringify(value, null, 2)}\n`),
    paint: (text, tone) => (color ? style(tone, text) : text),
    table(headers, rows) {
      const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
      const fmt = (cells: readonly string[]) =>
        cells
          .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visibleLength(c))))
          .join('  ')
          .trimEnd();
      out(`${fmt(headers.map((h) => (color ? style('bold', h) : h)))}\n`);
      for (const r of rows) out(`${fmt(r)}\n`);
    },
  };
}
