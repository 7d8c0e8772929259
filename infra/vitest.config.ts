// The program runs under Pulumi's mocks many times per file (every phase, and the plan CLI as a child
// process): on a loaded machine one run takes seconds, so the defaults (5 s, 10 s) are too short.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
