import { defineConfig } from 'vitest/config';

// The browser tests launch Chromium once and drive real pages: give them room on a busy machine.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000 } });
