import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertGpuBudget, checkGpuBudget, PER_PROCESS_OVERHEAD_MB } from '../src/gpu-budget.ts';
import { FALLBACK_VRAM_MB, readImageManifest, readImageManifests } from '../src/image-manifest.ts';
import { MODEL_CACHE_VOLUME, SERVICE_IDS } from '../src/units.ts';
import { llamaVramMb, modelServicesFor } from '../src/model-services.ts';
import { parseStackConfig } from '../src/config.ts';
import { fixtureConfig } from '../src/mocks/fixtures.ts';
import { REPO_ROOT } from '../src/remote.ts';

function imagesDir(manifests: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-images-'));
  for (const [name, manifest] of Object.entries(manifests)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'image.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  }
  return dir;
}

describe('image manifests', () => {
  it('reads what an image declares and falls back to the plan numbers where image.json is absent', () => {
    const dir = imagesDir({
      whisper: { name: 'whisper', vramMb: 5000, port: 8001, user: '10001:10001', build: { context: 'gpu-images', dockerfile: 'gpu-images/whisper/Dockerfile' }, env: { WHISPER_MODEL: 'large-v3' } },
    });
    expect(readImageManifest(dir, 'whisper')).toMatchObject({
      vramMb: 5000,
      port: 8001,
      user: '10001:10001',
      buildContext: 'gpu-images',
      dockerfile: 'gpu-images/whisper/Dockerfile',
      env: { WHISPER_MODEL: 'large-v3' },
      source: 'image.json',
    });
    expect(readImageManifest(dir, 'tts')).toMatchObject({ vramMb: FALLBACK_VRAM_MB.tts, port: 8002, buildContext: 'gpu-images/tts', source: 'fallback' });
  });

  it('names the file and the field of a bad image.json', () => {
    expect(() => readImageManifest(imagesDir({ tts: { name: 'tts' } }), 'tts')).toThrow(/tts\/image\.json: vramMb: expected vramMb/);
    expect(() => readImageManifest(imagesDir({ tts: { name: 'tts', vramMb: 1000, user: 'root' } }), 'tts')).toThrow(/tts\/image\.json: user: expected "uid" or "uid:gid"/);
    expect(() => readImageManifest(imagesDir({ tts: '{not json' }), 'tts')).toThrow(/tts\/image\.json: not valid JSON/);
  });
});

describe('GPU memory budget', () => {

  it('fits the four models on a 20 GB card', () => {
    const models = (['llama', 'whisper', 'tts', 'trocr'] as const).map((image) => ({ image, vramMb: FALLBACK_VRAM_MB[image], source: 'fallback' as const }));
    const report = assertGpuBudget(20_480, models);
    expect(report.fits).toBe(true);
    expect(report.neededMb).toBe(6_656 + 4_608 + 1_024 + 1_536 + 4 * PER_PROCESS_OVERHEAD_MB);
  });

  it('fails with every model, the totals and the shortfall when they do not fit', () => {
    const models = (['llama', 'whisper', 'tts', 'trocr'] as const).map((image) => ({ image, vramMb: FALLBACK_VRAM_MB[image], source: 'fallback' as const }));
    expect(checkGpuBudget(12_288, models).fits).toBe(false);
    expect(() => assertGpuBudget(12_288, models)).toThrow(/GPU memory budget exceeded: the models need 15872 MB, the card has 12288 MB \(11673 MB usable.*short by 4199 MB/s);
    expect(() => assertGpuBudget(12_288, models)).toThrow(/llama: 6656 MB \+ 512 MB overhead \(fallback\)/);
  });
});

describe('the images of gpu-images/ as infra reads them', () => {
  const images = readImageManifests(join(REPO_ROOT, 'gpu-images'));

  it.each(['whisper', 'tts', 'trocr'] as const)('%s declares its VRAM, user and cache volume in image.json, and infra uses them', (image) => {
    const raw = JSON.parse(readFileSync(join(REPO_ROOT, 'gpu-images', image, 'image.json'), 'utf8')) as Record<string, unknown>;
    const manifest = images[image];
    expect(manifest.source).toBe('image.json');
    expect(manifest.vramMb).toBe(raw.vramMb);
    // One owner for the shared cache (bootstrap chowns it to SERVICE_IDS), one volume name on both sides.
    expect(manifest.user).toBe(SERVICE_IDS);
    expect(raw.cacheVolume).toEqual({ name: MODEL_CACHE_VOLUME, containerPath: manifest.cachePath });
  });

  it('holds the plan figures (whisper large-v3 fp16, TTS, TrOCR) and fits them with llama.cpp on the staging card', () => {
    expect([images.whisper.vramMb, images.tts.vramMb, images.trocr.vramMb]).toEqual([4500, 1000, 1500]);
    const report = assertGpuBudget(20_480, [images.llama, images.whisper, images.tts, images.trocr]);
    expect(report.neededMb).toBe(6_656 + 4_500 + 1_000 + 1_500 + 4 * PER_PROCESS_OVERHEAD_MB);
    expect(report.lines.filter((l) => l.includes('(image.json)'))).toHaveLength(3);
  });
});

describe('llama.cpp in the budget', () => {
  const images = readImageManifests(join(REPO_ROOT, 'gpu-images'));
  const config = (contextSize: number) => {
    const values = fixtureConfig('vision', { 'bascule:llm': { selfHosted: true, contextSize } });
    return parseStackConfig((key) => values[`bascule:${key}`]);
  };

  it('counts the KV cache of the configured context: the plan\'s 6.5 GB at 8k, more for a longer one', () => {
    expect(llamaVramMb(8_192)).toBe(FALLBACK_VRAM_MB.llama);
    expect(llamaVramMb(32_768) - llamaVramMb(8_192)).toBe(3_072); // 24k more tokens x 128 KiB
    const llama = modelServicesFor(config(32_768), images).find((m) => m.image === 'llama')!;
    expect(llama.manifest).toMatchObject({ vramMb: llamaVramMb(32_768), source: 'estimate' });
  });

  it('fits the four models at 8k on the staging card (20 GB) but not at a 64k context', () => {
    const budget = (contextSize: number) => checkGpuBudget(20_480, modelServicesFor(config(contextSize), images).map((m) => m.manifest));
    expect(budget(8_192).fits).toBe(true);
    expect(budget(65_536)).toMatchObject({ fits: false });
    expect(budget(65_536).lines[0]).toBe(`  llama: ${llamaVramMb(65_536)} MB + ${PER_PROCESS_OVERHEAD_MB} MB overhead (estimate)`);
  });
});
