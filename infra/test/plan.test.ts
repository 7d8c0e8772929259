// The plan reads the real stack files (so they must be valid, complete configs) and diffs two phases.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../src/plan.ts';
import { PHASES } from '../src/phases.ts';
import { REPO_ROOT } from '../src/remote.ts';

/** The CLI as `nx run infra:plan --stack s --phase p` runs it (Nx forwards the flags as --key=value). */
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'infra', 'src', 'cli', 'plan.ts'), ...args], { encoding: 'utf8', cwd: join(REPO_ROOT, 'infra'), timeout: 170_000 });

describe('plan', () => {
  it('prints what phase stt adds to llm on staging: the whisper service, and the gateway config update', async () => {
    const text = await plan('staging', 'stt');
    expect(text).toContain('compared with phase llm:');
    expect(text).toMatch(/GPU memory: \d+ MB needed of 19456 MB usable \(20480 MB card\): whisper: \d+ MB \+ 512 MB overhead/);
    expect(text).toContain('+ 4 added');
    expect(text).toMatch(/\+ docker:index\/image:Image {2}model-whisper-image/);
    expect(text).toMatch(/\+ command:remote:Command {2}model-whisper-ready/);
    // Each gateway's config file, its one rolling restart, and Prometheus' targets: updated in place.
    const updated = text.slice(text.indexOf('~ 5 updated in place'), text.indexOf('- 0 removed'));
    for (const name of ['gw-1-gateway-config', 'gw-2-gateway-config', 'gw-1-gateway-restart', 'gw-2-gateway-restart', 'monitoring-prometheus-config']) expect(updated).toContain(`~ command:remote:Command  ${name}\n`);
    expect(text).toContain('- 0 removed');
  }, 120_000);

  it('lists every resource of the first phase on production', async () => {
    const text = await plan('production', 'foundation');
    expect(text).toMatch(/^stack production, phase foundation/);
    for (const line of [
      '+ cloudflare:index/loadBalancer:LoadBalancer  edge-lb-api',
      '+ cloudflare:index/loadBalancerPool:LoadBalancerPool  edge-pool',
      '+ cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor  edge-monitor',
      '+ cloudflare:index/ruleset:Ruleset  edge-config-rules',
      '+ cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls  edge-pull',
      '+ pulumi-nodejs:dynamic/contabo:Instance  host-contabo',
      '+ pulumi-nodejs:dynamic/contabo:Instance  gw-1-host-contabo',
      '+ pulumi-nodejs:dynamic/contabo:Instance  gw-2-host-contabo',
      '+ command:remote:Command  database-primary',
      '+ command:remote:Command  database-standby',
      '+ command:remote:Command  database-backup-timer',
      '+ bascule:infra:ContainerService  monitoring-prometheus',
      '+ bascule:infra:ContainerService  gpu-dcgm-exporter',
    ]) expect(text).toContain(line);
    expect(text).not.toContain('zoneSetting');
  }, 120_000);

  it('leaves the zone\'s rule entry points to production on staging', async () => {
    const text = await plan('staging', 'foundation');
    expect(text).not.toContain('cloudflare:index/ruleset:Ruleset');
    expect(text).toContain('+ cloudflare:index/hostnameTlsSetting:HostnameTlsSetting  edge-min-tls-api');
  }, 120_000);
});

describe('the plan command line', () => {
  it('prints the phase diff for --stack=<s> --phase=<p>, and refuses an unknown phase with the usage', () => {
    const ok = cli('--stack=production', '--phase=tts');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^stack production, phase tts: Coqui TTS/);
    expect(ok.stdout).toMatch(/\+ docker:index\/image:Image {2}model-tts-image/);
    expect(ok.stdout).toMatch(/\+ command:remote:Command {2}model-tts-ready/);
    const bad = cli('--stack', 'staging', '--phase', 'gpu');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`--phase <${PHASES.join('|')}>`);
  }, 180_000);
});

describe('runbooks', () => {
  it.each(PHASES.map((phase, i) => [phase, `0${i + 1}-phase-${phase}.md`]))("%s has its page with prerequisites, command, checks, the shadow comparison (in a component's phase), GO/NO-GO and rollback", (phase, file) => {
    const text = readFileSync(join(REPO_ROOT, 'docs', 'runbooks', file), 'utf8');
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    // A component's phase turns the shadow comparison on before its first step; the foundation has no component.
    const shadow = phase === 'foundation' ? [] : ['Before the first step: shadow comparison'];
    expect(headings).toEqual(['Prerequisites', 'Command', 'Checks after', ...shadow, 'GO / NO-GO', 'Roll back']);
    expect(text).toContain(`--phase ${phase}`);
  });
});
