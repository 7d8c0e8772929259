// `bascule preflight` against local stand-ins of the plan's hosts: a real OpenSSH server with a fake
// nvidia-smi for the GPU host, the lab's faster-whisper stand-in as the stt model service (reached with curl on
// the "host"), a self-signed TLS endpoint for the gateway's name, and a real gateway for /readyz. The DNS
// names are under .invalid, which never resolves: that check fails, with its next step, in every run.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localConfig, startGateway } from '../../gateway/src/index.ts';
import { startLab } from '../../lab/src/index.ts';
import { EXIT } from '../src/index.ts';
import { cli } from './support/run-cli.ts';
import { startSshHost, type SshHost } from './support/ssh-host.ts';
import { startTlsEndpoint, type TlsEndpoint } from './support/tls-endpoint.ts';

const NAME = 'api-staging.bascule.invalid';
let host: SshHost;
let tls: TlsEndpoint;
let lab: Awaited<ReturnType<typeof startLab>>;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let dir: string;
let backups: string;

function stackFile(extra: { hostKey?: string; vramMb?: number } = {}): string {
  const file = join(dir, `Pulumi.test-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    [
      'config:',
      '  bascule:phase: foundation',
      '  bascule:host:',
      '    provider: existing',
      '    address: 127.0.0.1',
      `    sshUser: ${host.user}`,
      `    sshPort: ${host.port}`,
      ...(extra.hostKey ? [`    sshHostKey: "${extra.hostKey}"`] : []),
      '    gpu:',
      '      model: NVIDIA RTX 4000 SFF Ada',
      `      vramMb: ${extra.vramMb ?? 20480}`,
      '  bascule:dns:',
      '    zone: bascule.invalid',
      '    gateway: api-staging',
      '    dashboard: dashboard-staging',
      '  bascule:backup:',
      `    path: ${backups}`,
      '    maxAgeHours: 26',
      '',
    ].join('\n'),
  );
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bascule-preflight-test-'));
  [host, tls, lab] = await Promise.all([startSshHost(), startTlsEndpoint(NAME), startLab({ latencyScale: 0 })]);
  backups = join(host.dir, 'backups');
  mkdirSync(backups);
  writeFileSync(join(backups, 'bascule-2026-12-02.sql.gz'), 'backup');
  // The stt model service as its image declares itself, at the lab's faster-whisper stand-in.
  mkdirSync(join(dir, 'gpu-images', 'whisper'), { recursive: true });
  writeFileSync(join(dir, 'gpu-images', 'whisper', 'image.json'), JSON.stringify({ port: Number(new URL(lab.upstreams['faster-whisper'].baseUrl).port), healthPath: '/health', vramMb: 4500 }));
  gateway = await startGateway({ loaded: localConfig({ labUpstreams: lab.upstreams, env: {} }), storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null });
}, 60_000);

afterAll(async () => {
  await Promise.all([host?.close(), tls?.close(), gateway?.close()]);
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

const args = (file: string, phase: string, more: string[] = []) => ['--json', '--url', gateway.url, 'preflight', '--stack', 'test', '--stack-file', file, '--phase', phase, '--identity', host.identity, '--connect', `127.0.0.1:${tls.port}`, '--check-timeout', '8000', ...more];

interface Report {
  ok: boolean;
  checks: Array<{ id: string; status: string; figure: string; fix?: string }>;
}

async function preflight(argv: string[]): Promise<{ code: number; report: Report; stdout: string }> {
  const r = await cli(argv);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stdout: r.stdout };
}

const byId = (r: Report) => Object.fromEntries(r.checks.map((c) => [c.id, c]));

describe('bascule preflight', () => {
  it('runs the checklist of the stt phase: the host, its GPU, the model service, TLS, latency, backup, gateways', async () => {
    const { code, report } = await preflight(args(stackFile({ hostKey: host.hostKey }), 'stt', ['--ca', tls.caFile]));
    const c = byId(report);
    expect(c.ssh).toMatchObject({ status: 'PASS', figure: expect.stringMatching(/127\.0\.0\.1:\d+ in \d+ ms, host key pinned/) });
    expect(c['nvidia-smi']).toMatchObject({ status: 'PASS', figure: 'NVIDIA RTX 4000 SFF Ada Generation, driver 550.54.15' });
    expect(c['gpu-memory']).toMatchObject({ status: 'PASS', figure: '20.0 GiB on the card, 0.5 GiB in use, 4.4 GiB needed (whisper)' });
    expect(c['health:whisper']).toMatchObject({ status: 'PASS', figure: expect.stringMatching(/^200 in \d+ ms$/) });
    expect(c.tls).toMatchObject({ status: 'PASS', figure: expect.stringMatching(/trusted, (29|30) days left, issuer Bascule test/) });
    expect(c.latency).toMatchObject({ status: 'PASS', figure: expect.stringMatching(/^median TCP connect [\d.]+ ms over 5/) });
    expect(c.backup).toMatchObject({ status: 'PASS', figure: expect.stringMatching(/bascule-2026-12-02\.sql\.gz, 0\.\d h old/) });
    expect(c.gateways).toMatchObject({ status: 'PASS', figure: `${gateway.url}/readyz: 200 ready` });
    // .invalid never resolves: a FAIL with the next step, and so exit 1.
    expect(c.dns).toMatchObject({ status: 'FAIL', figure: expect.stringContaining(NAME), fix: expect.stringMatching(/pulumi up.*dig api-staging\.bascule\.invalid/) });
    expect(report.ok).toBe(false);
    expect(code).toBe(EXIT.FAILED);
  }, 60_000);

  it('fails each broken part with its figure and what to do', async () => {
    host.setNvidiaSmi('NVIDIA RTX 4000 SFF Ada Generation, 550.54.15, 8192, 7000');
    const old = join(backups, 'bascule-2026-12-02.sql.gz');
    const threeDaysAgo = Date.now() / 1000 - 3 * 86_400;
    utimesSync(old, threeDaysAgo, threeDaysAgo);
    try {
      // No --ca: the self-signed certificate is not trusted. The card has 8 GiB, the stack says 20.
      const { code, report } = await preflight(args(stackFile(), 'vision'));
      const c = byId(report);
      expect(c.ssh).toMatchObject({ status: 'PASS', figure: expect.stringContaining('host key NOT pinned') });
      expect(c['gpu-memory']).toMatchObject({ status: 'FAIL', figure: '8.0 GiB on the card, 6.8 GiB in use, 6.8 GiB needed (whisper + tts + trocr); the stack declares 20.0 GiB' });
      expect(c['gpu-memory']!.fix).toMatch(/bascule:host\.gpu\.vramMb does not match the card/);
      // The tts and trocr services are not running on this host.
      expect(c['health:tts']).toMatchObject({ status: 'FAIL', fix: expect.stringMatching(/systemctl status tts.*journalctl -u tts/) });
      expect(c.tls).toMatchObject({ status: 'FAIL', figure: expect.stringMatching(/not trusted \(.*(SELF_SIGNED|self.signed)/i), fix: expect.stringMatching(/SSL mode "strict"/) });
      expect(c.backup).toMatchObject({ status: 'FAIL', figure: expect.stringMatching(/7[12]\.\d h old/), fix: expect.stringMatching(/older than 26 h: run the backup now/) });
      expect(code).toBe(EXIT.FAILED);

      host.setNvidiaSmi('NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.', 9);
      const driverGone = byId((await preflight(args(stackFile(), 'foundation'))).report);
      expect(driverGone['nvidia-smi']).toMatchObject({ status: 'FAIL', fix: expect.stringMatching(/reboot so the driver module loads/) });
      expect(driverGone['gpu-memory']).toMatchObject({ status: 'SKIP', fix: 'fix the nvidia-smi check first' });
    } finally {
      host.setNvidiaSmi('NVIDIA RTX 4000 SFF Ada Generation, 550.54.15, 20475, 512');
      utimesSync(old, new Date(), new Date());
    }
  }, 60_000);

  it('refuses a host whose key differs from the pinned one, and skips what needs SSH', async () => {
    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4';
    const { report, code } = await preflight(args(stackFile({ hostKey: other }), 'stt'));
    const c = byId(report);
    expect(c.ssh).toMatchObject({ status: 'FAIL', figure: expect.stringMatching(/host key/i), fix: expect.stringMatching(/ssh-keyscan -t ed25519/) });
    expect(c['nvidia-smi']).toMatchObject({ status: 'SKIP', figure: 'SSH failed' });
    expect(c.backup).toMatchObject({ status: 'SKIP' });
    expect(code).toBe(EXIT.FAILED);
  }, 60_000);

  it('prints PASS/FAIL/SKIP lines with the next step, without colour in a pipe', async () => {
    const r = await cli(args(stackFile({ hostKey: host.hostKey }), 'foundation', ['--ca', tls.caFile]).slice(1));
    expect(r.stdout).toMatch(/^PASS {2}GPU host reachable over SSH: /m);
    expect(r.stdout).toMatch(/^FAIL {2}DNS names resolve: .*\n {6}→ the edge creates the records on `pulumi up`/m);
    expect(r.stdout).toMatch(/1 check failed: \d+ passed, 1 failed, 0 skipped/);
    expect(r.stdout).not.toContain('\u001b[');
  }, 60_000);

  it('names a bad phase and a missing stack file', async () => {
    expect((await cli(['preflight', '--stack', 'test', '--stack-file', stackFile(), '--phase', 'ocr'])).stderr).toMatch(/--phase: expected one of foundation, llm, stt, tts, vision, got "ocr"/);
    const missing = await cli(['preflight', '--stack', 'nowhere', '--stack-file', join(dir, 'Pulumi.nowhere.yaml')]);
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toMatch(/cannot read the stack file/);
  });
});
