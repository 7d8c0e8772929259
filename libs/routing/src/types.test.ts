import { describe, expect, it } from 'vitest';
import { COMPONENTS, PROVIDERS } from './types.ts';

describe('vocabulary', () => {
  it('names the four components and nine providers of the design', () => {
    expect(COMPONENTS).toEqual(['llm', 'stt', 'tts', 'vision']);
    expect(PROVIDERS).toHaveLength(9);
  });
});
