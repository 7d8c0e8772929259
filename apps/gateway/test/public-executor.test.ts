// The executor over the lab's real wire formats: fallback on transient failures (down, slow, error, reset)
// with no error for the client, none on a client error, the attempt cap, breakers, and the deadline.
import { describe, expect, it } from 'vitest';
import { spokenWav } from '@bascule/lab';
import type { TranscribeAdapter } from '../src/adapters/index.ts';
import { PublicError } from '../src/http/errors.ts';
import { labExecutor, useLab } from './support/executor-lab.ts';

const SLA_MS = 1_500;
const world = useLab();
const { requestsTo } = world;

const executor = (options: { maxAttempts?: number; weight?: number } = {}) =>
  labExecutor(world.lab, { weights: { llm: options.weight ?? 100, stt: options.weight ?? 100 }, slaMs: SLA_MS, maxAttempts: options.maxAttempts });

describe('fallback on transient failures', () => {
  it.each([
    ['down', { mode: 'down' }, 'connection'],
    ['slow past the deadline', { mode: 'slow', latencyMs: 5_000 }, 'timeout'],
    ['error', { mode: 'error', rate: 1 }, 'status'],
    ['reset', { mode: 'reset' }, 'reset'],
  ] as const)('production %s → the MVP answers, route fallback', async (_name, fault, failure) => {
    await world.lab.setFault('groq', fault);
    const { runtime, chat } = executor();
    const result = await chat();
    expect(result.provider).toBe('huggingface');
    expect(result.route).toBe('fallback');
    expect(result.value.choices[0]!.message.content).toBeTruthy();
    expect(runtime.attempts.map((a) => [a.provider, a.ok, a.failure])).toEqual([
      ['groq', false, failure],
      ['huggingface', true, undefined],
    ]);
    // The MVP is billed per token: its attempt carries a cost.
    expect(runtime.attempts[1]!.costEur).toBeGreaterThan(0);
  });

  it('never falls back on a client error (400): the upstream\'s error names the field', async () => {
    const { runtime, exec } = executor();
    const before = requestsTo('openai-whisper');
    const attempt = exec.run('stt', 'eleve-1', (provider, ctx) =>
      exec.adapterFor<TranscribeAdapter>(provider, 'transcribe').transcribe({ data: spokenWav('le chat'), filename: 'a.wav', mimetype: 'audio/wav', language: 'french' }, ctx),
    );
    const error = await attempt.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(PublicError);
    expect((error as PublicError).status).toBe(400);
    expect((error as PublicError).extra.field).toBe('language');
    expect(runtime.attempts.map((a) => [a.provider, a.failure])).toEqual([['faster-whisper', 'client']]);
    expect(requestsTo('openai-whisper')).toBe(before);
  });
});

describe('limits', () => {
  it('caps the attempts: with a cap of 1 a production failure is a 502, the MVP is not called', async () => {
    await world.lab.setFault('groq', { mode: 'error', rate: 1 });
    const { runtime, chat } = executor({ maxAttempts: 1 });
    const before = requestsTo('huggingface');
    const error = await chat().then(() => null, (e: unknown) => e);
    expect((error as PublicError).status).toBe(502);
    expect((error as PublicError).extra.component).toBe('llm');
    expect(runtime.attempts).toHaveLength(1);
    expect(requestsTo('huggingface')).toBe(before);
  });

  it('answers 502 when every provider failed and 504 when none answered in time', async () => {
    await world.lab.setFault('groq', { mode: 'error', rate: 1 });
    await world.lab.setFault('huggingface', { mode: 'error', rate: 1 });
    expect(((await executor().chat().catch((e: unknown) => e)) as PublicError).status).toBe(502);
    await world.lab.setFault('groq', { mode: 'slow', latencyMs: 5_000 });
    await world.lab.setFault('huggingface', { mode: 'slow', latencyMs: 5_000 });
    const error = (await executor().chat().catch((e: unknown) => e)) as PublicError;
    expect(error.status).toBe(504);
    expect(error.code).toBe('upstream_timeout');
  });

  it('goes straight to the MVP while the production breaker is open', async () => {
    const { runtime, chat } = executor();
    runtime.unavailable.add('groq');
    const before = requestsTo('groq');
    const result = await chat();
    expect([result.provider, result.route]).toEqual(['huggingface', 'fallback']);
    expect(requestsTo('groq')).toBe(before);
  });

  it('serves the MVP cohort from the MVP at weight 0', async () => {
    const result = await executor({ weight: 0 }).chat();
    expect([result.provider, result.route]).toEqual(['huggingface', 'mvp']);
  });
});
