// The plan reads the real stack files (so they must be valid, complete configs) and diffs two phases.
import { describe, expect, it } from 'vitest';
import { plan } from '../src/plan.ts';

describe('plan', () => {
  it('prints what phase stt adds to llm on staging: the whisper service, and the gateway config update', async () => {
    const text = await plan('staging', 'stt');
    expect(text).toContain('compared with phase llm:');
    expect(text).toMatch(/GPU memory: \d+ MB needed of 19456 MB usable \(20480 MB card\): whisper: \d+ MB \+ 512 MB overhead/);
    expect(text).toContain('+ 3 added');
    expect(text).toMatch(/\+ docker:index\/image:Image {2}model-whisper-image/);
    expect(text).toMatch(/~ 1 updated in place\n {2}~ command:remote:Command {2}gateway-config/);
    expect(text).toContain('- 0 removed');
  });

  it('lists every resource of the first phase on production', async () => {
    const text = await plan('production', 'foundation');
    expect(text).toMatch(/^stack production, phase foundation/);
    expect(text).toContain('+ cloudflare:index/zoneSetting:ZoneSetting  edge-setting-ssl');
    expect(text).toContain('+ pulumi-nodejs:dynamic/contabo:Instance  host-contabo');
  });
});
