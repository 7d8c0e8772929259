import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../src/app.ts';
import { testConfig } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'bascule-dashboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dashboard files', () => {
  it('serves the built dashboard at /dashboard/', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Bascule</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const gw = await createGateway({ loaded: testConfig(), storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: dir });
    try {
      const index = await gw.app.inject({ url: '/dashboard/' });
      expect(index.statusCode).toBe(200);
      expect(index.body).toContain('<title>Bascule</title>');
      expect((await gw.app.inject({ url: '/dashboard/app.js' })).headers['content-type']).toContain('javascript');
      expect((await gw.app.inject({ url: '/dashboard' })).headers.location).toBe('/dashboard/');
    } finally {
      await gw.close();
    }
  });

  it('has no /dashboard route when nothing is built', async () => {
    const gw = await createGateway({ loaded: testConfig(), storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: join(dir, 'absent') });
    try {
      expect((await gw.app.inject({ url: '/dashboard/' })).statusCode).toBe(404);
    } finally {
      await gw.close();
    }
  });
});
