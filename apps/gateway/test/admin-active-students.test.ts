// Active students: the real gateway in front of the lab counts distinct students per component over the
// last 5 minutes, by keyed hash only, within a fixed bound of memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentSummarySchema } from '@bascule/contracts';
import { startLab, type Lab } from '@bascule/lab';
import { startGateway } from '../src/app.ts';
import { ActiveStudents } from '../src/migration/active-students.ts';
import { FakeClock } from './helpers.ts';
import { ADMIN_TOKEN, auth, labConfig } from './support/public-stack.ts';

describe('ActiveStudents', () => {
  it('counts distinct hashes seen within the window', () => {
    const students = new ActiveStudents({ windowMs: 300_000 });
    students.note('llm', 'a', 0);
    students.note('llm', 'b', 1_000);
    students.note('llm', 'a', 200_000);
    students.note('stt', 'a', 200_000);
    expect(students.count('llm', 200_000)).toBe(2);
    expect(students.count('stt', 200_000)).toBe(1);
    expect(students.count('tts', 200_000)).toBe(0);
    // b was last seen at 1 s: gone after 5 min; a was seen again at 200 s: still there.
    expect(students.count('llm', 301_000)).toBe(1);
    expect(students.count('llm', 500_001)).toBe(0);
  });

  it('stays within its bound however many students come', () => {
    const students = new ActiveStudents({ maxPerComponent: 100 });
    for (let i = 0; i < 10_000; i++) students.note('vision', `hash-${i}`, i);
    expect(students.count('vision', 10_000)).toBe(100);
    expect(students.size).toBe(100);
  });

  it('forgets the least recently seen student first when full', () => {
    const students = new ActiveStudents({ maxPerComponent: 2, windowMs: 100 });
    students.note('tts', 'a', 0);
    students.note('tts', 'b', 50);
    students.note('tts', 'a', 60); // a is now the most recent
    students.note('tts', 'c', 70); // full: b goes, not a
    // At 155, a student last seen before 55 has expired: b would have, a and c have not.
    expect(students.count('tts', 155)).toBe(2);
    // At 165, a (60) has expired too; only c (70) is left.
    expect(students.count('tts', 165)).toBe(1);
  });

  it('refuses a bound below one', () => {
    expect(() => new ActiveStudents({ maxPerComponent: 0 })).toThrow(/^maxPerComponent: expected at least 1/);
  });
});

describe('active students in the admin API', () => {
  let lab: Lab;
  let url: string;
  let close: () => Promise<void>;
  const clock = new FakeClock();

  beforeAll(async () => {
    lab = await startLab({ latencyScale: 0 });
    const started = await startGateway({ loaded: labConfig(lab), storePath: ':memory:', clock, logger: false, analysisLoop: false, dashboardDir: null });
    url = started.url;
    close = started.close;
  });
  afterAll(async () => {
    await close?.();
    await lab?.close();
  });

  const chat = (student: string) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', 'x-student-id': student },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Bonjour' }] }),
      signal: AbortSignal.timeout(10_000),
    });
  const summary = async (component: string) => {
    const res = await fetch(`${url}/admin/v1/components/${component}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    return { text, body: ComponentSummarySchema.parse(JSON.parse(text)) };
  };

  it('counts each student once per component, never shows their ids, and forgets them after 5 minutes', async () => {
    for (const student of ['eleve-secret-1', 'eleve-secret-2', 'eleve-secret-3', 'eleve-secret-1']) expect((await chat(student)).status).toBe(200);
    const llm = await summary('llm');
    expect(llm.body.activeStudents).toBe(3);
    expect(llm.text).not.toContain('eleve-secret');
    expect((await summary('stt')).body.activeStudents).toBe(0);
    clock.advance(5 * 60_000 + 1);
    expect((await summary('llm')).body.activeStudents).toBe(0);
  });
});
