// No raw child data by the shadow path: after shadow traffic of every component with distinctive words
// (read aloud, written, typed, spoken), neither the store (every table, on SQLite and on PostgreSQL, and the
// SQLite file's bytes) nor the logs (at trace level) hold those words or the uploaded bytes' markers; the
// shadow's scores are there.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handwrittenPng, spokenWav, startLab, type Lab } from '@bascule/lab';
import { DEFAULT_SHADOW } from '@bascule/contracts';
import { COMPONENTS } from '@bascule/routing';
import { startGateway } from '../src/app.ts';
import { auth, labConfig } from './support/public-stack.ts';
import { createPostgresDatabase, ENGINES, type Engine } from './support/test-databases.ts';

const SAID = 'zanzibar xylophone quetzal';
const WROTE = 'zorglub';
const TYPED = 'ornithorynque farfadet';
const SPOKEN = 'hippopotame mirobolant';
const SECRETS = ['zanzibar', 'xylophone', 'quetzal', 'zorglub', 'ornithorynque', 'farfadet', 'hippopotame', 'mirobolant', 'BASCULE-SAY', 'BASCULE-WROTE'];
const STUDENT = 'eleve-shadow-9c1d';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ latencyScale: 0 });
});
afterAll(async () => {
  await lab.close();
});

async function traffic(url: string): Promise<void> {
  const headers = { ...auth(), 'x-student-id': STUDENT };
  const reading = new FormData();
  reading.append('audio', new Blob([new Uint8Array(spokenWav(SAID))], { type: 'audio/wav' }), 'r.wav');
  reading.append('expected', SAID);
  const transcription = new FormData();
  transcription.append('file', new Blob([new Uint8Array(spokenWav(SAID))], { type: 'audio/wav' }), 't.wav');
  transcription.append('model', 'whisper-1');
  const writing = new FormData();
  writing.append('image', new Blob([new Uint8Array(handwrittenPng(WROTE))], { type: 'image/png' }), 'w.png');
  writing.append('target', 'z');
  const json = { ...headers, 'content-type': 'application/json' };
  const responses = await Promise.all([
    fetch(`${url}/v1/reading/check`, { method: 'POST', headers, body: reading }),
    fetch(`${url}/v1/audio/transcriptions`, { method: 'POST', headers, body: transcription }),
    fetch(`${url}/v1/vision/handwriting`, { method: 'POST', headers, body: writing }),
    fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: json, body: JSON.stringify({ messages: [{ role: 'user', content: `Écris une phrase avec ${TYPED}.` }], response_format: { type: 'json_object' } }) }),
    fetch(`${url}/v1/audio/speech`, { method: 'POST', headers: json, body: JSON.stringify({ input: SPOKEN, voice: 'alloy' }) }),
  ]);
  expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  await Promise.all(responses.map((r) => r.arrayBuffer()));
}

/** Every row of every table, as text. */
async function dumpTables(engine: Engine, where: { file: string; url: string }): Promise<{ text: string; qualityRows: number }> {
  if (engine === 'sqlite') {
    const db = new Database(where.file, { readonly: true });
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      const text = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
      return { text, qualityRows: (db.prepare("SELECT COUNT(*) AS n FROM quality_results WHERE benchmark LIKE 'shadow:%'").get() as { n: number }).n };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: where.url });
  await client.connect();
  try {
    const tables = (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename);
    const dumps = [];
    for (const t of tables) dumps.push(JSON.stringify((await client.query(`SELECT * FROM "${t}"`)).rows));
    const n = (await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM quality_results WHERE benchmark LIKE 'shadow:%'")).rows[0]!.n;
    return { text: dumps.join('\n'), qualityRows: Number(n) };
  } finally {
    await client.end();
  }
}

describe.each(ENGINES)('shadow privacy on %s', (engine) => {
  it('stores and logs only scores: no word the child read, wrote, typed or heard, no uploaded bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bascule-shadow-privacy-'));
    const postgres = engine === 'postgres' ? await createPostgresDatabase() : null;
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const file = join(dir, 'bascule.db');
    try {
      const loaded = labConfig(lab, (l) => {
        for (const c of COMPONENTS) l.config.components[c]!.shadow = { ...DEFAULT_SHADOW, enabled: true, sampleRate: 1 };
      });
      const { url, gateway, close } = await startGateway({
        loaded,
        ...(postgres ? { databaseUrl: postgres.url } : { storePath: file, databaseUrl: null }),
        logger: { level: 'trace', stream },
        analysisLoop: false,
        dashboardDir: null,
      });
      await traffic(url);
      await gateway.shadow.runner.settled();
      for (const c of COMPONENTS) expect(gateway.shadow.runner.counts(c)).toEqual({ sampled: c === 'stt' ? 2 : 1, dropped: 0, failed: 0, compared: c === 'stt' ? 2 : 1 });
      await close(); // writes the scores and the rollups

      const { text, qualityRows } = await dumpTables(engine, { file, url: postgres?.url ?? '' });
      expect(qualityRows).toBeGreaterThan(0);
      // Every component's comparison made it to the store: stt, vision, tts and llm measures.
      for (const measure of ['shadow:wer', 'shadow:verdict-agreement', 'shadow:format-agreement', 'shadow:duration-ratio', 'shadow:length-ratio', 'shadow:answered']) expect(text).toContain(measure);
      const raw = engine === 'sqlite' ? [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('') : '';
      const log = lines.join('');
      expect(log.length).toBeGreaterThan(0);
      for (const secret of [...SECRETS, STUDENT]) {
        expect(text, `store holds "${secret}"`).not.toContain(secret);
        expect(raw, `database file holds "${secret}"`).not.toContain(secret);
        expect(log, `logs hold "${secret}"`).not.toContain(secret);
      }
    } finally {
      await postgres?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
