// The plan's voices are one list (TTS_VOICES) that the public speech request, the gateway's config and the
// tts image's fixtures all agree on; CORS origins are config, none unless named.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ComponentMetricsSchema,
  OPENAI_VOICES,
  SpeechRequestSchema,
  TTS_DEFAULT_VOICE,
  TTS_VOICE_IDS,
  TTS_VOICES,
  TtsVoiceErrorSchema,
  defaultLocalConfig,
  parseGatewayConfig,
  resolveSpeechVoice,
} from '../src/index.ts';
import { issuesOf } from './support/config-issues.ts';

const TTS_FIXTURES = fileURLToPath(new URL('../fixtures/tts/', import.meta.url));
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(TTS_FIXTURES, name), 'utf8'));

describe('the plan voices', () => {
  it('are the two French voices of the plan, with their Coqui models', () => {
    expect(TTS_VOICES).toEqual({ 'fr-female-clear': 'tts_models/fr/css10/vits', 'fr-male-gentle': 'tts_models/fr/mai/tacotron2-DDC' });
    expect(TTS_DEFAULT_VOICE).toBe('fr-female-clear');
  });

  it('are the voices the tts fixtures name', () => {
    const requests = readdirSync(TTS_FIXTURES).filter((f) => f.startsWith('synthesize.request.'));
    for (const file of requests) expect(TTS_VOICE_IDS, file).toContain((fixture(file) as { voice: string }).voice);
    const error = TtsVoiceErrorSchema.parse(fixture('synthesize.voice_error.valid.unknown-voice.json'));
    expect(error.error.voices).toEqual([...TTS_VOICE_IDS].sort());
  });
});

describe('POST /v1/audio/speech voice', () => {
  const speech = (voice: unknown) => SpeechRequestSchema.safeParse({ input: 'maison', voice });

  it('admits default, the plan voices and every OpenAI voice name', () => {
    for (const voice of ['default', ...TTS_VOICE_IDS, ...OPENAI_VOICES]) expect(speech(voice).success, voice).toBe(true);
  });

  it('refuses any other voice with an issue on `voice` listing what it admits', () => {
    for (const voice of ['fr-female-1', 'Alloy', 'alloy ', '']) {
      const issue = speech(voice).error?.issues[0];
      expect(issue?.path, voice).toEqual(['voice']);
      expect(issue?.message).toContain('fr-female-clear, fr-male-gentle');
      expect(issue?.message).toContain('alloy');
    }
  });

  it('maps an OpenAI voice to the default voice and keeps the plan voices', () => {
    expect(resolveSpeechVoice('alloy')).toBe('default');
    expect(resolveSpeechVoice('nova')).toBe('default');
    expect(resolveSpeechVoice('default')).toBe('default');
    expect(resolveSpeechVoice('fr-male-gentle')).toBe('fr-male-gentle');
  });
});

describe('config: the coqui default voice', () => {
  it('must be one of the plan voices', () => {
    const local = defaultLocalConfig();
    const tts = { ...local.components.tts!, providers: { ...local.components.tts!.providers, coqui: { ...local.components.tts!.providers.coqui!, voice: 'fr-female-1' } } };
    expect(issuesOf({ ...local, components: { tts } })).toEqual([`components.tts.providers.coqui.voice: expected one of the plan's voices: fr-female-clear, fr-male-gentle`]);
    const ok = { ...tts, providers: { ...tts.providers, coqui: { ...tts.providers.coqui, voice: 'fr-male-gentle' } } };
    expect(parseGatewayConfig({ ...local, components: { tts: ok } }).components.tts?.providers.coqui?.voice).toBe('fr-male-gentle');
  });
});

describe('config: CORS origins', () => {
  const withOrigins = (allowedOrigins: unknown) => {
    const local = defaultLocalConfig();
    return { ...local, server: { ...local.server, cors: { allowedOrigins } } };
  };

  it('allows no origin unless named; the local config allows any', () => {
    const local = defaultLocalConfig();
    expect(local.server.cors.allowedOrigins).toEqual(['*']);
    const { server: _server, ...rest } = local;
    expect(parseGatewayConfig(rest).server.cors.allowedOrigins).toEqual([]);
    expect(parseGatewayConfig(withOrigins(['https://lire.example.fr', 'http://localhost:5173'])).server.cors.allowedOrigins).toHaveLength(2);
  });

  it('refuses what is not an origin, by path', () => {
    expect(issuesOf(withOrigins(['https://lire.example.fr/app']))[0]).toMatch(/^server\.cors\.allowedOrigins\[0\]: expected an origin/);
    expect(issuesOf(withOrigins(['lire.example.fr']))[0]).toMatch(/^server\.cors\.allowedOrigins\[0\]: expected an origin/);
    expect(issuesOf(withOrigins(['https://lire.example.fr?x=1']))[0]).toMatch(/^server\.cors\.allowedOrigins\[0\]: expected an origin/);
  });

  it('keeps each origin as a browser sends it: lower-case host, no default port', () => {
    const origins = ['https://Lire.Example.FR', 'https://lire.example.fr:443', 'HTTP://localhost:5173', '*'];
    expect(parseGatewayConfig(withOrigins(origins)).server.cors.allowedOrigins).toEqual(['https://lire.example.fr', 'https://lire.example.fr', 'http://localhost:5173', '*']);
  });
});

describe('admin metrics', () => {
  it('carry the MVP cost per request the cost criterion compares with', () => {
    const base = { windowMs: 300_000, requests: 0, errors: 0, errorRate: 0, availability: 1, avgMs: null, p50Ms: null, p95Ms: null, p99Ms: null, costPerRequestEur: null };
    expect(ComponentMetricsSchema.parse({ ...base, mvpCostPerRequestEur: 0.0005 }).mvpCostPerRequestEur).toBe(0.0005);
    expect(ComponentMetricsSchema.safeParse({ ...base, mvpCostPerRequestEur: -1 }).success).toBe(false);
  });
});
