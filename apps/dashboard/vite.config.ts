// Dev server (`npx nx serve dashboard`) proxies the admin and public APIs to the local gateway; the
// production build is served by the gateway under /dashboard/.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const gateway = process.env.BASCULE_GATEWAY_URL ?? `http://127.0.0.1:${process.env.BASCULE_PORT ?? '4000'}`;

export default defineConfig({
  root: import.meta.dirname,
  base: '/dashboard/',
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    proxy: {
      '/admin': { target: gateway, changeOrigin: true },
      '/v1': { target: gateway, changeOrigin: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
