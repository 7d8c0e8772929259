// The local setup is consistent: every provider the local config can route to answers through the lab,
// including llama.cpp's server (`vps-llm`), the alternative production provider of llm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '@bascule/lab';
import { startGateway } from '../src/app.ts';
import { LOCAL_CLIENT_KEY, localConfig } from '../src/config/index.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ latencyScale: 0 });
});
afterAll(async () => {
  await lab.close();
});

describe('localConfig', () => {
  it('gives a key to every lab stand-in that asks for one, vps-llm included', () => {
    const { secrets } = localConfig({ env: {} });
    expect(Object.keys(secrets.providerApiKeys).sort()).toEqual(['groq', 'huggingface', 'openai-whisper', 'vps-llm']);
  });

  it('serves llm from vps-llm through the lab when that is the production provider', async () => {
    const loaded = localConfig({ labUpstreams: lab.upstreams, env: {} });
    loaded.config.components.llm!.production = 'vps-llm';
    const { url, gateway, close } = await startGateway({ loaded, storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null });
    try {
      gateway.runtime.setWeight('llm', 100, 'all on llama.cpp', 'admin', { reason: 'a local run' });
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${LOCAL_CLIENT_KEY}`, 'content-type': 'application/json', 'x-student-id': 'eleve-1' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Un mot avec « ch »' }] }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-bascule-provider')).toBe('vps-llm');
      expect(res.headers.get('x-bascule-route')).toBe('production');
    } finally {
      await close();
    }
  });
});
