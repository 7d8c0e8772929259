import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GatewayConfigError } from '@bascule/contracts';
import { configPathFrom, loadConfigFile, localConfig } from '../src/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'bascule-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ADMIN: 'a-token', CLIENT: 'c-key' };

const yaml = `
auth:
  clientKeys: [{ name: app, keyEnv: CLIENT }]
  adminTokenEnv: ADMIN
components:
  stt:
    mvp: openai-whisper
    production: faster-whisper
    plan: { version: 3, slaMs: 2000, steps: [{ weight: 10, duration: 48h }, { weight: 100, duration: 7d }] }
    providers:
      openai-whisper: { baseUrl: "https://api.openai.com/v1", pricing: { unit: audio_second, eurPerUnit: 0.0001 } }
      faster-whisper: { baseUrl: "http://10.0.0.2:8000" }
vps: { monthlyCostEur: 160 }
`;

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('config loading', () => {
  it('reads YAML and JSON files with secrets from the environment', () => {
    const fromYaml = loadConfigFile(write('gw.yaml', yaml), env);
    expect(fromYaml.config.components.stt?.plan.steps[0]).toEqual({ weight: 10, minDurationMs: 48 * 3_600_000 });
    expect(fromYaml.secrets).toMatchObject({ adminToken: 'a-token', clientKeys: [{ name: 'app', key: 'c-key' }] });
    const fromJson = loadConfigFile(write('gw.json', JSON.stringify(fromYaml.config)), env);
    expect(fromJson.config).toEqual(fromYaml.config);
  });

  it('reports every bad key by path', () => {
    const bad = yaml.replace('weight: 100', 'weight: 5').replace('vps:', 'colour: blue\nvps:');
    try {
      loadConfigFile(write('bad.yaml', bad), {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayConfigError);
      const paths = (error as GatewayConfigError).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['components.stt.plan.steps[1].weight', 'colour']));
    }
    expect(() => loadConfigFile(write('env.yaml', yaml), {})).toThrow(/auth.adminTokenEnv: environment variable ADMIN is not set/);
    expect(() => loadConfigFile(write('broken.json', '{"auth":'), env)).toThrow(/not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'missing.yaml'), env)).toThrow(/cannot read .*ENOENT/);
  });

  it('takes the path from --config, then BASCULE_CONFIG', () => {
    expect(configPathFrom(['--config', 'a.yaml'], { BASCULE_CONFIG: 'b.yaml' })).toBe('a.yaml');
    expect(configPathFrom(['--config=c.json'], {})).toBe('c.json');
    expect(configPathFrom([], { BASCULE_CONFIG: 'b.yaml' })).toBe('b.yaml');
    expect(configPathFrom([], {})).toBeUndefined();
  });

  it('points every provider at the lab in the local config', () => {
    const upstreams = { groq: { baseUrl: 'http://127.0.0.1:5001' }, huggingface: { baseUrl: 'http://127.0.0.1:5002' } };
    const { config, secrets } = localConfig({ labUpstreams: upstreams, env: {} });
    expect(config.components.llm?.providers.groq?.baseUrl).toBe('http://127.0.0.1:5001');
    expect(config.components.llm?.providers.huggingface?.baseUrl).toBe('http://127.0.0.1:5002');
    expect(secrets.adminToken).toBe('local-admin-token');
  });

  it('the CLI exits 1 on a bad config, naming the key', () => {
    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', main, '--config', write('cli.yaml', 'auth: {}\nsurprise: 1\n')], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('surprise: unknown key');
    expect(result.stderr).toContain('auth.adminTokenEnv: missing');
  }, 30_000); // a fresh Node process compiling main.ts with tsx: seconds on a loaded machine, as long as spawnSync's own timeout
});
