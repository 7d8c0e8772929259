// The quality benchmark (bench/quality) against the lab in-process: a short run of each component on the
// shipped corpus, through the gateway's adapters. The lab's upstreams read the corpus's markers, so an
// honest provider transcribes every sentence (WER 0); audio without the marker, or a failing provider,
// shows up in the numbers. The results are then posted to a real gateway and counted by its criteria.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '@bascule/lab';
import type { Component } from '@bascule/routing';
import { startGateway } from '../src/app.ts';
import { localConfig, type LoadedConfig } from '../src/config/index.ts';
import { renderSvg } from '../bench/quality/chart.ts';
import { CORPUS_DIR, loadCorpus } from '../bench/quality/corpus.ts';
import { postResults } from '../bench/quality/post.ts';
import { runBenchmark, type BenchOptions } from '../bench/quality/runner.ts';
import { formatTable } from '../bench/quality/table.ts';
import { benchTargets } from '../bench/quality/targets.ts';
import { ADMIN_TOKEN, CLIENT_KEY, adminHeaders } from './helpers.ts';
import { xmlProblems } from './support/xml-well-formed.ts';

const corpus = loadCorpus();
let lab: Lab;
let loaded: LoadedConfig;

beforeAll(async () => {
  lab = await startLab({ latencyScale: 0 });
  loaded = localConfig({ labUpstreams: lab.upstreams, env: { BASCULE_ADMIN_TOKEN: ADMIN_TOKEN, BASCULE_CLIENT_KEY: CLIENT_KEY } });
});
afterAll(async () => {
  await lab?.close();
});

function bench(component: Component, extra: Partial<BenchOptions> = {}) {
  const { targets, costModel } = benchTargets(loaded, component);
  return runBenchmark({ component, corpus, corpusDir: CORPUS_DIR, targets, costModel, ...extra });
}

describe('stt on the corpus spoken by espeak-ng', () => {
  it('scores both honest providers at WER 0 on the items sent, with the corpus as the references', async () => {
    const report = await bench('stt', { limit: 4 });
    expect(report.items).toBe(4);
    expect(report.providers.map((p) => [p.provider, p.role])).toEqual([['openai-whisper', 'mvp'], ['faster-whisper', 'production']]);
    for (const p of report.providers) expect(p).toMatchObject({ items: 4, errors: 0, correct: 4, wer: 0, cer: 0, score: 1 });
    expect(report.results.map((r) => r.expected)).toEqual(corpus.stt.slice(0, 4).flatMap((i) => [i.text, i.text]));
    // Word counts are the references' own: 4 one-word items.
    expect(report.results.every((r) => r.words?.length === 1)).toBe(true);
    // The Whisper API is billed per second of audio; the VPS's share is what a self-hosted request costs.
    expect(report.providers.every((p) => p.costPerRequestEur > 0)).toBe(true);
  });

  it('counts a wrong transcript: audio without the marker is heard as a made-up word', async () => {
    const report = await bench('stt', { limit: 3, speak: { withoutMarker: true } });
    for (const p of report.providers) {
      expect(p.wer).toBeGreaterThan(0);
      expect(p.score).toBeCloseTo(1 - p.wer!, 10);
    }
    const edits = report.results.filter((r) => r.provider === 'faster-whisper').reduce((sum, r) => sum + r.words!.edits, 0);
    expect(report.providers[1]!.wer).toBeCloseTo(edits / 3, 10);
  });

  it('counts a failing provider as wrong on every item (WER 1), and leaves the other one alone', async () => {
    await lab.setFault('faster-whisper', { mode: 'error' });
    try {
      const report = await bench('stt', { limit: 2 });
      const [mvp, production] = report.providers;
      expect(production).toMatchObject({ errors: 2, correct: 0, wer: 1, score: 0, costPerRequestEur: 0 });
      expect(mvp).toMatchObject({ errors: 0, wer: 0, score: 1 });
      expect(formatTable(report)).toContain('faster-whisper  stt-w01');
    } finally {
      await lab.resetFaults();
    }
  });
});

describe('the other components', () => {
  it('vision: accuracy is the share of rendered letters and words read right, over the whole shipped set', async () => {
    const report = await bench('vision');
    expect(report.items).toBe(corpus.vision.length);
    for (const p of report.providers) {
      const mine = report.results.filter((r) => r.provider === p.provider);
      expect(mine.map((r) => r.expected)).toEqual(corpus.vision.map((i) => i.text));
      expect(p.accuracy).toBeCloseTo(mine.filter((r) => r.answer.replace(/\s+/g, '') === r.expected).length / mine.length, 10);
      expect(p.score).toBe(p.accuracy);
      // The lab's OCRs read the marker and misread a few look-alikes, never more than a small share.
      expect(p.accuracy).toBeGreaterThan(0.5);
    }
  });

  it('tts: the VPS voice answers a 16-bit mono WAV that fits each text, the browser voice a French directive', async () => {
    const report = await bench('tts', { limit: 3 });
    expect(report.providers.map((p) => [p.provider, p.correct])).toEqual([['web-speech', 3], ['coqui', 3]]);
    expect(report.results.filter((r) => r.provider === 'coqui').every((r) => /^\d+ Hz \d+\.\d\d s$/.test(r.answer))).toBe(true);
  });

  it('llm: the lab answers French reading texts whatever the prompt, so every prompt asking for JSON fails its check', async () => {
    const report = await bench('llm');
    const asksJson = new Set(corpus.llm.filter((i) => i.expect.json).map((i) => i.id));
    expect(asksJson.size).toBeGreaterThan(0);
    for (const r of report.results) {
      expect(r.ok).toBe(true);
      expect(r.note ?? '').not.toMatch(/not French|empty answer/);
      if (asksJson.has(r.id)) expect(r).toMatchObject({ correct: false, note: 'no JSON object' });
    }
    for (const p of report.providers) {
      const mine = report.results.filter((r) => r.provider === p.provider);
      expect(p.accuracy).toBe(mine.filter((r) => r.correct).length / mine.length);
      expect(p.accuracy).toBeLessThanOrEqual(1 - asksJson.size / corpus.llm.length);
    }
  });
});

describe('the chart and the posted results', () => {
  it('writes a well-formed SVG naming each provider with its score', async () => {
    const report = await bench('vision', { limit: 5 });
    const svg = renderSvg(report);
    expect(xmlProblems(svg)).toEqual([]);
    for (const p of report.providers) {
      expect(svg).toContain(`>${p.provider}<`);
      expect(svg).toContain(`>${p.score.toFixed(3)}<`);
    }
  });

  it('posts each provider\'s score; the gateway counts the corpus items as the criterion\'s samples', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bascule-qbench-'));
    const gateway = await startGateway({ loaded, storePath: join(dir, 'bascule.db'), logger: false, analysisLoop: false, dashboardDir: null });
    try {
      const report = await bench('stt', { limit: 3 });
      const posted = await postResults(report, { gatewayUrl: gateway.url, adminToken: ADMIN_TOKEN });
      expect(posted.map((p) => [p.provider, p.status])).toEqual([['openai-whisper', 201], ['faster-whisper', 201]]);
      const res = await fetch(`${gateway.url}/admin/v1/components/stt/criteria`, { headers: adminHeaders });
      const body = (await res.json()) as { criteria: { id: string; measured: number | null; samples: number; verdict: string }[] };
      expect(body.criteria.find((c) => c.id === 'accuracy')).toMatchObject({ measured: 1, samples: 3, verdict: 'INCONCLUSIVE' });
      await expect(postResults(report, { gatewayUrl: gateway.url, adminToken: 'wrong-token' })).rejects.toThrow(/posting openai-whisper's score/);
    } finally {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
