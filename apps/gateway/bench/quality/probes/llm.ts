// llm: each prompt sent as one user message; the answer must hold the prompt's expected properties:
// not empty, French when asked, a length within bounds (in words), and a JSON object when the prompt asks
// for JSON.
import type { LlmItem } from '../corpus.ts';
import { looksFrench, parseJsonAnswer, wordsOf } from './french.ts';
import { expectKind, shorten, type Judged, type Probe } from './types.ts';

export function judgeAnswer(item: LlmItem, answer: string): Judged {
  const words = wordsOf(answer).length;
  const json = parseJsonAnswer(answer);
  const problems = [
    words === 0 ? 'empty answer' : '',
    item.expect.french && words > 0 && !looksFrench(answer) ? 'not French' : '',
    words > 0 && (words < item.expect.minWords || words > item.expect.maxWords) ? `${words} words (expected ${item.expect.minWords}–${item.expect.maxWords})` : '',
    item.expect.json && (json === null || typeof json !== 'object') ? 'no JSON object' : '',
  ].filter(Boolean);
  return { expected: shorten(item.prompt, 50), answer: shorten(answer), correct: problems.length === 0, ...(problems.length ? { note: problems.join(', ') } : {}) };
}

export function llmProbe(): Probe<LlmItem, null> {
  return {
    kind: 'chat',
    prepare: async () => null,
    async call(adapter, item, _input, ctx) {
      const chat = expectKind(adapter, 'chat');
      const { value, usage } = await chat.complete({ messages: [{ role: 'user', content: item.prompt }], max_tokens: 300, temperature: 0 }, ctx);
      const content = value.choices[0]?.message.content;
      return { usage, judged: judgeAnswer(item, typeof content === 'string' ? content : '') };
    },
    failed: (item, error) => ({ expected: shorten(item.prompt, 50), answer: '(error)', correct: false, note: error.message }),
  };
}
