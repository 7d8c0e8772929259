// The traffic generator against a tiny fake gateway that checks what it receives.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { ChatCompletionRequestSchema, HandwritingFieldsSchema, ReadingCheckFieldsSchema, SatisfactionRequestSchema, SpeechRequestSchema, type SatisfactionRequest } from '@bascule/contracts';
import { createRng, parseWav, readMarker, SAY_MARKER, startTraffic, type TrafficResult } from '../src/index.ts';
import { readWrittenMarker } from '../src/marker.ts';
import { misread, studentIds } from '../src/traffic.ts';
import { pngSize } from '../src/png.ts';
import { satisfactionScore } from '../src/ratings.ts';

interface Seen {
  path: string;
  student: string;
  problem?: string;
}

let gateway: FastifyInstance;
let url: string;
const seen: Seen[] = [];
const ratings: Array<SatisfactionRequest & { student: string }> = [];
let hang = false;

beforeAll(async () => {
  gateway = Fastify({ logger: false, forceCloseConnections: true });
  // The real gateway's audio limit (server.bodyLimits.audioBytes, 10 MiB), not the plugin's 1 MiB: a reading of a long
  // sentence at the plan's 3 s a word is over 1 MiB.
  await gateway.register(multipart, { limits: { fileSize: 10_485_760 } });
  gateway.addHook('onRequest', async (request, reply) => {
    if (request.headers.authorization !== 'Bearer client-key') return reply.code(401).send({ error: { code: 'unauthorized', message: 'bad key' } });
    if (hang) {
      // Never answers: stop() must abort it (the wait ends when the client goes away).
      await new Promise((resolve) => { request.raw.socket.once('close', resolve); });
      return reply;
    }
    return undefined;
  });
  const note = (path: string, student: unknown, problem?: string) => seen.push({ path, student: String(student), problem });
  const formOf = async (request: FastifyRequest) => {
    const fields: Record<string, string> = {};
    const files: Record<string, Buffer> = {};
    for await (const part of request.parts()) {
      if (part.type === 'file') files[part.fieldname] = await part.toBuffer();
      else fields[part.fieldname] = String(part.value);
    }
    return { fields, files };
  };
  gateway.post('/v1/reading/check', async (request) => {
    const { fields, files } = await formOf(request);
    const audio = files.audio;
    const said = audio ? readMarker(audio, SAY_MARKER) : null;
    const words = said ? said.split(/\s+/).filter(Boolean).length : 0;
    // Recordings at the plan's pace (3 s a word), so the stt cost criterion sees a realistic MVP bill.
    const realistic = audio !== undefined && (parseWav(audio)?.durationS ?? 0) >= words * 3 - 0.01;
    const ok = ReadingCheckFieldsSchema.safeParse(fields).success && audio && parseWav(audio) && said !== null && realistic;
    note('/v1/reading/check', request.headers['x-student-id'], ok ? undefined : JSON.stringify(fields));
    return { transcript: audio ? readMarker(audio, SAY_MARKER) : '' };
  });
  gateway.post('/v1/vision/handwriting', async (request) => {
    const { fields, files } = await formOf(request);
    const image = files.image;
    const ok = HandwritingFieldsSchema.safeParse(fields).success && image && pngSize(image) && readWrittenMarker(image);
    note('/v1/vision/handwriting', request.headers['x-student-id'], ok ? undefined : JSON.stringify(fields));
    return { text: 'a' };
  });
  gateway.post('/v1/audio/speech', async (request, reply) => {
    note('/v1/audio/speech', request.headers['x-student-id'], SpeechRequestSchema.safeParse(request.body).success ? undefined : JSON.stringify(request.body));
    return reply.code(503).send({ error: { code: 'unavailable', message: 'down for the test' } });
  });
  gateway.post('/v1/chat/completions', async (request, reply) => {
    note('/v1/chat/completions', request.headers['x-student-id'], ChatCompletionRequestSchema.safeParse(request.body).success ? undefined : JSON.stringify(request.body));
    return reply.header('x-bascule-provider', 'groq').header('x-bascule-route', 'production').send({ choices: [] });
  });
  gateway.post('/v1/satisfaction', async (request, reply) => {
    const parsed = SatisfactionRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: { code: 'invalid_request', message: parsed.error.message } });
    ratings.push({ ...parsed.data, student: String(request.headers['x-student-id']) });
    return reply.code(202).send({ accepted: true });
  });
  url = await gateway.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await gateway.close();
});

describe('satisfactionScore', () => {
  it('gives a skilled child served well 8 to 10, and takes points for a failure and for slowness', () => {
    const rng = createRng(3);
    for (let i = 0; i < 50; i += 1) {
      expect(satisfactionScore(rng, 0.95, true, 300)).toBeGreaterThanOrEqual(8);
      expect(satisfactionScore(rng, 0.95, false, 300)).toBeLessThanOrEqual(6);
      expect(satisfactionScore(rng, 0.6, true, 3_000)).toBeLessThanOrEqual(5);
      const any = satisfactionScore(rng, rng(), rng() < 0.5, rng() * 5_000);
      expect(Number.isInteger(any) && any >= 0 && any <= 10).toBe(true);
    }
  });
});

describe('startTraffic', () => {
  it('plays every activity for a class of stable students, with well-formed requests', async () => {
    seen.length = 0;
    const results: TrafficResult[] = [];
    const traffic = startTraffic({ gatewayUrl: url, clientKey: 'client-key', students: 5, ratePerSecond: 200, rng: createRng(5), onResult: (r) => results.push(r) });
    await vi.waitFor(() => expect(traffic.stats().completed).toBeGreaterThanOrEqual(60), { timeout: 10_000, interval: 20 });
    await traffic.stop();
    const stats = traffic.stats();
    expect(seen.filter((s) => s.problem)).toEqual([]);
    expect(new Set(seen.map((s) => s.path))).toEqual(new Set(['/v1/reading/check', '/v1/vision/handwriting', '/v1/audio/speech', '/v1/chat/completions']));
    const classIds = new Set(studentIds(5));
    expect(seen.every((s) => classIds.has(s.student))).toBe(true);
    expect(stats.completed).toBe(stats.started);
    // stop() aborts what is still in flight; everything else got an answer.
    expect(stats.byStatus['503']).toBeLessThanOrEqual(seen.filter((s) => s.path === '/v1/audio/speech').length);
    expect(stats.byStatus['503']).toBeGreaterThan(0);
    expect(stats.networkErrors).toBe(0);
    expect(stats.ok + (stats.byStatus['503'] ?? 0) + stats.aborted).toBe(stats.completed);
    expect(stats.ok).toBeGreaterThanOrEqual(40);
    expect(results.find((r) => r.activity === 'chat')).toMatchObject({ status: 200, provider: 'groq', route: 'production' });
    // Some students rated what they used, each rating well-formed and by a student of the class.
    expect(stats.ratings.sent).toBeGreaterThan(0);
    // stop() may abort a rating the fake gateway already counted: accepted ≤ received ≤ sent.
    expect(ratings.length).toBeGreaterThan(0);
    expect(stats.ratings.accepted).toBeLessThanOrEqual(ratings.length);
    expect(ratings.length).toBeLessThanOrEqual(stats.ratings.sent);
    expect(ratings.every((r) => classIds.has(r.student) && r.rater === 'student')).toBe(true);
    // Listening always failed (503): its ratings are the lowest.
    const tts = ratings.filter((r) => r.component === 'tts').map((r) => r.score);
    if (tts.length > 0) expect(Math.max(...tts)).toBeLessThanOrEqual(6);
    const started = stats.started;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(traffic.stats().started).toBe(started); // stopped means stopped
  }, 20_000); // the readings are WAVs of 3 s a word (the plan's pace): longer to make and send than the old 0.35 s

  it('keeps at most maxInFlight requests pending and stop() aborts them', async () => {
    hang = true;
    try {
      const traffic = startTraffic({ gatewayUrl: url, clientKey: 'client-key', students: 3, ratePerSecond: 200, rng: createRng(9), maxInFlight: 4 });
      await vi.waitFor(() => expect(traffic.stats().skipped).toBeGreaterThan(3), { timeout: 10_000, interval: 20 });
      expect(traffic.stats().started).toBe(4);
      await traffic.stop();
      const stats = traffic.stats();
      expect(stats.completed).toBe(4);
      expect(stats.aborted).toBe(4);
      expect(stats.networkErrors).toBe(0);
    } finally {
      hang = false;
    }
  });

  it('counts a wrong key and a refused connection as failures, not crashes', async () => {
    const wrongKey = startTraffic({ gatewayUrl: url, clientKey: 'nope', students: 2, ratePerSecond: 100, rng: createRng(1) });
    await vi.waitFor(() => expect(wrongKey.stats().completed).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 20 });
    await wrongKey.stop();
    const wrong = wrongKey.stats();
    expect(wrong.ok).toBe(0);
    expect(wrong.byStatus['401']).toBeGreaterThanOrEqual(3);
    expect((wrong.byStatus['401'] ?? 0) + wrong.aborted).toBe(wrong.completed);

    const closed = Fastify();
    const closedUrl = await closed.listen({ host: '127.0.0.1', port: 0 });
    await closed.close();
    const refused = startTraffic({ gatewayUrl: closedUrl, clientKey: 'k', students: 2, ratePerSecond: 100, rng: createRng(1), timeoutMs: 2000 });
    await vi.waitFor(() => expect(refused.stats().networkErrors).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 20 });
    await refused.stop();
    expect(refused.stats().lastError).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('rejects a bad class size or rate', () => {
    expect(() => startTraffic({ gatewayUrl: url, clientKey: 'k', students: 0, rng: createRng(1) })).toThrow(/students/);
    expect(() => startTraffic({ gatewayUrl: url, clientKey: 'k', students: 3, ratePerSecond: 0, rng: createRng(1) })).toThrow(/ratePerSecond/);
  });
});

describe('helpers', () => {
  it('names students with stable, sortable ids', () => {
    expect(studentIds(3)).toEqual(['eleve-001', 'eleve-002', 'eleve-003']);
    expect(studentIds(1500)[0]).toBe('eleve-0001');
  });

  it('a perfect reader reads every word; a poor one gets some wrong', () => {
    const text = 'Le petit chat regarde la lune dans le jardin';
    expect(misread(createRng(1), text, 1)).toBe(text);
    const poor = Array.from({ length: 20 }, (_, i) => misread(createRng(i), text, 0.5));
    expect(poor.filter((t) => t !== text).length).toBeGreaterThan(10);
  });
});
