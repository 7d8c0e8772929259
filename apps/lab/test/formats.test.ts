// The files the lab writes and reads (WAV, PNG, markers) and its latency model.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32, encodePng, pngSize, pngText } from '../src/png.ts';
import { encodeToneWav, parseWav } from '../src/wav.ts';
import { handwrittenPng, readMarker, readWrittenMarker, SAY_MARKER, spokenWav } from '../src/marker.ts';
import { LATENCY_PROFILES, sampleLatencyMs } from '../src/latency.ts';
import { createRng } from '../src/rng.ts';
import { UPSTREAM_NAMES } from '../src/names.ts';

describe('WAV', () => {
  it('writes a RIFF/WAVE PCM 16-bit mono file whose header matches its data', () => {
    const wav = encodeToneWav({ durationS: 0.5, sampleRate: 22050 });
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(wav.readUInt32LE(16)).toBe(16); // fmt chunk size
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(22)).toBe(1); // mono
    expect(wav.readUInt32LE(24)).toBe(22050);
    expect(wav.readUInt32LE(28)).toBe(44100); // byte rate
    expect(wav.readUInt16LE(32)).toBe(2); // block align
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.toString('ascii', 36, 40)).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(Math.round(0.5 * 22050) * 2);
    expect(wav.length).toBe(44 + Math.round(0.5 * 22050) * 2);
  });

  it('carries a sound, not silence, that starts and ends softly', () => {
    const wav = encodeToneWav({ durationS: 0.2 });
    const samples = Array.from({ length: (wav.length - 44) / 2 }, (_, i) => wav.readInt16LE(44 + i * 2));
    expect(Math.max(...samples)).toBeGreaterThan(5000);
    expect(Math.abs(samples[0] ?? 1)).toBe(0);
    expect(Math.abs(samples.at(-1) ?? 1)).toBeLessThan(100);
  });

  it('parses back what it writes, for any duration and rate, skipping extra chunks', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 3, noNaN: true }), fc.constantFrom(8000, 16000, 22050, 44100), fc.string({ maxLength: 9 }), (durationS, sampleRate, note) => {
        const wav = encodeToneWav({ durationS, sampleRate, extraChunks: [{ id: 'note', body: Buffer.from(note) }] });
        const info = parseWav(wav);
        expect(info?.sampleRate).toBe(sampleRate);
        expect(info?.durationS).toBeCloseTo(Math.max(1, Math.round(durationS * sampleRate)) / sampleRate, 6);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses what is not a PCM WAV', () => {
    expect(parseWav(Buffer.from('not a wav file at all'))).toBeNull();
    const wav = encodeToneWav({ durationS: 0.1 });
    wav.writeUInt16LE(3, 20); // IEEE float
    expect(parseWav(wav)).toBeNull();
  });
});

describe('PNG', () => {
  it('writes a valid PNG: signature, IHDR, correct CRCs, inflatable rows', () => {
    const png = encodePng({ width: 20, height: 10, text: { Comment: 'bonjour' } });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngSize(png)).toEqual({ width: 20, height: 10 });
    expect(pngText(png)).toEqual({ Comment: 'bonjour' });
    let offset = 8;
    const types: string[] = [];
    while (offset < png.length) {
      const length = png.readUInt32BE(offset);
      const typeAndData = png.subarray(offset + 4, offset + 8 + length);
      expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(typeAndData));
      const type = typeAndData.toString('ascii', 0, 4);
      types.push(type);
      if (type === 'IDAT') expect(inflateSync(typeAndData.subarray(4)).length).toBe((20 + 1) * 10);
      offset += 12 + length;
    }
    expect(types).toEqual(['IHDR', 'tEXt', 'IDAT', 'IEND']);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});

describe('markers', () => {
  it('round-trips what the child said through a WAV, accents included', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('le', 'chat', 'école', 'forêt', 'garçon', 'Noël'), { minLength: 1, maxLength: 8 }), (words) => {
        const said = words.join(' ');
        const wav = spokenWav(said);
        expect(readMarker(wav, SAY_MARKER)).toBe(said);
        expect(parseWav(wav)?.durationS).toBeGreaterThan(0.3);
      }),
      { numRuns: 30 },
    );
  });

  it('round-trips what the child wrote through a PNG, accents included', () => {
    for (const wrote of ['a', 'é', 'ç', 'maman']) expect(readWrittenMarker(handwrittenPng(wrote))).toBe(wrote);
    expect(readWrittenMarker(encodePng())).toBeNull();
  });
});

describe('latency model', () => {
  it.each(UPSTREAM_NAMES)('%s: log-normal around its median, scaled, capped', (name) => {
    const profile = LATENCY_PROFILES[name];
    const rng = createRng(11);
    const samples = Array.from({ length: 4001 }, () => sampleLatencyMs(rng, profile, 1)).sort((a, b) => a - b);
    const median = samples[2000] ?? 0;
    expect(median).toBeGreaterThan(profile.medianMs * 0.9);
    expect(median).toBeLessThan(profile.medianMs * 1.1);
    expect(samples.at(-1)).toBeLessThanOrEqual(profile.medianMs * 6);
    expect(samples[3800]).toBeGreaterThan(median * 1.3); // a tail, not a constant
    expect(sampleLatencyMs(createRng(11), profile, 0.1)).toBe(Math.round(sampleLatencyMs(createRng(11), profile, 1) * 0.1));
    expect(sampleLatencyMs(rng, profile, 0)).toBe(0);
  });

  it('makes the external APIs slower than the VPS models', () => {
    expect(LATENCY_PROFILES.huggingface.medianMs).toBeGreaterThan(LATENCY_PROFILES['vps-llm'].medianMs);
    expect(LATENCY_PROFILES['openai-whisper'].medianMs).toBeGreaterThan(LATENCY_PROFILES['faster-whisper'].medianMs);
    expect(LATENCY_PROFILES.easyocr.medianMs).toBeGreaterThan(LATENCY_PROFILES.trocr.medianMs);
  });
});
