// The lab and the real gateway logging at trace level into memory: for the tests that read what was logged
// (redaction, privacy). Trace is the most a deployment could turn on, so nothing may hide below it.
import { Writable } from 'node:stream';
import { startLab, type Lab } from '@bascule/lab';
import { startGateway } from '../../src/app.ts';
import { labConfig } from './public-stack.ts';

export interface LoggedStack {
  lab: Lab;
  url: string;
  /** Everything logged so far, line after line. */
  log(): string;
  close(): Promise<void>;
}

/** A stream that keeps every chunk written to it, in order. */
function captureLines(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, lines };
}

/** No `redact` in the logger options given: the gateway adds its own (LOG_REDACT), as it does in production. */
export async function startLoggedStack(): Promise<LoggedStack> {
  const lab = await startLab({ latencyScale: 0 });
  const { stream, lines } = captureLines();
  const { url, close } = await startGateway({ loaded: labConfig(lab), storePath: ':memory:', analysisLoop: false, dashboardDir: null, logger: { level: 'trace', stream } });
  return {
    lab,
    url,
    log: () => lines.join(''),
    close: async () => {
      await close();
      await lab.close();
    },
  };
}
