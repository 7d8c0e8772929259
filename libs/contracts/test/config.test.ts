import { describe, expect, it } from 'vitest';
import { GatewayConfigError, defaultLocalConfig, formatPath, parseDuration, parseGatewayConfig, resolveGatewaySecrets, type GatewayConfigInput } from '../src/index.ts';
import { issuesOf } from './support/config-issues.ts';

/** A small valid config, as an operator would write it (defaults omitted, durations as text). */
function minimalConfig(): GatewayConfigInput {
  return {
    auth: { clientKeys: [{ name: 'reading-app', keyEnv: 'BASCULE_CLIENT_KEY' }], adminTokenEnv: 'BASCULE_ADMIN_TOKEN' },
    components: {
      stt: {
        mvp: 'openai-whisper',
        production: 'faster-whisper',
        plan: { version: 1, steps: [{ weight: 10, duration: '48h' }, { weight: 100, minDurationMs: 0 }], slaMs: 2000 },
        providers: {
          'openai-whisper': { baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', pricing: { unit: 'audio_second', eurPerUnit: 0.0001 } },
          'faster-whisper': { baseUrl: 'http://10.0.0.2:8001' },
        },
      },
    },
    vps: { monthlyCostEur: 160 },
  };
}

describe('parseGatewayConfig', () => {
  it('applies defaults and turns text durations into milliseconds', () => {
    const config = parseGatewayConfig(minimalConfig());
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080, bodyLimits: { jsonBytes: 1_048_576, audioBytes: 10_485_760, imageBytes: 5_242_880 }, cors: { allowedOrigins: [] }, replicas: 1 });
    expect(config.auth).toMatchObject({ rateLimitPerMinute: 50_000, studentRateLimitPerMinute: 60, failedAuthPerMinute: 10 });
    expect(config.admin).toEqual({ rateLimitPerMinute: 300, streams: { perCaller: 4, total: 32 } });
    expect(config.metrics).toEqual({});
    expect(config.components.stt?.plan.steps).toEqual([{ weight: 10, minDurationMs: 172_800_000 }, { weight: 100, minDurationMs: 0 }]);
    expect(config.components.stt?.plan.autoPromote).toBe(false);
    expect(config.components.stt?.providers['faster-whisper']?.timeoutMs).toBe(10_000);
    expect(config.webhook).toEqual({ timeoutMs: 3_000 });
  });

  it('names a bad weight by its full path', () => {
    const input = minimalConfig();
    input.components.stt!.plan.steps[1]!.weight = 101;
    expect(issuesOf(input)).toEqual(['components.stt.plan.steps[1].weight: expected a number between 0 and 100']);
  });

  it('lists every bad key at once, unknown keys one by one', () => {
    const input = minimalConfig() as Record<string, unknown> & GatewayConfigInput;
    input.server = { port: 70000, extra: true } as never;
    input.auth.adminTokenEnv = 'sk-live-123';
    (input.components as Record<string, unknown>).ocr = {};
    input.vps = {} as never;
    expect(issuesOf(input)).toEqual([
      'server.port: expected a port between 0 and 65535',
      'server.extra: unknown key',
      expect.stringMatching(/^auth\.adminTokenEnv: expected the NAME of an environment variable.*never the secret itself, got the string "sk-live-123"$/),
      'components.ocr: unknown key',
      'vps.monthlyCostEur: missing (expected a monthly cost in euros (>= 0))',
    ]);
  });

  it('takes several hosts for a provider (baseUrls), and names what is wrong with them', () => {
    const input = minimalConfig();
    input.components.stt!.providers['faster-whisper'] = { baseUrls: ['http://10.0.0.2:8001', 'http://10.0.0.3:8001'], fallbackForMvp: true };
    const config = parseGatewayConfig(input);
    expect(config.components.stt?.providers['faster-whisper']).toMatchObject({ baseUrls: ['http://10.0.0.2:8001', 'http://10.0.0.3:8001'], fallbackForMvp: true });

    input.components.stt!.providers['faster-whisper'] = { baseUrl: 'http://10.0.0.2:8001', baseUrls: ['http://10.0.0.3:8001'] };
    expect(issuesOf(input)).toEqual(['components.stt.providers.faster-whisper.baseUrls: set either baseUrl (one host) or baseUrls (several), not both']);
    input.components.stt!.providers['faster-whisper'] = { baseUrls: ['http://10.0.0.2:8001', 'http://10.0.0.2:8001/'] };
    expect(issuesOf(input)).toEqual([expect.stringMatching(/^components\.stt\.providers\.faster-whisper\.baseUrls: expected distinct URLs/)]);
    input.components.stt!.providers['faster-whisper'] = { baseUrls: [] };
    expect(issuesOf(input)).toEqual(['components.stt.providers.faster-whisper.baseUrls: expected at least one URL']);
    input.components.stt!.providers['faster-whisper'] = { baseUrls: ['ftp://10.0.0.2'], fallbackForMvp: 'yes' as never };
    expect(issuesOf(input)).toEqual([expect.stringMatching(/^components\.stt\.providers\.faster-whisper\.baseUrls\[0\]: /), 'components.stt.providers.faster-whisper.fallbackForMvp: expected true or false, got the string "yes"']);
  });

  it('refuses a secret written as a value instead of an env var name', () => {
    const input = minimalConfig();
    (input.components.stt!.providers['openai-whisper'] as Record<string, unknown>).apiKey = 'sk-abc';
    expect(issuesOf(input)).toEqual(['components.stt.providers.openai-whisper.apiKey: unknown key']);
  });

  it('checks that providers belong to the component and are configured', () => {
    const input = minimalConfig();
    (input.components.stt as Record<string, unknown>).production = 'groq';
    expect(issuesOf(input)).toEqual([expect.stringMatching(/^components\.stt\.production: expected a provider of stt: openai-whisper, faster-whisper, got the string "groq"$/)]);

    const missing = minimalConfig();
    delete missing.components.stt!.providers['faster-whisper'];
    expect(issuesOf(missing)).toEqual(['components.stt.providers.faster-whisper: expected the settings of the production provider "faster-whisper"']);
  });

  it('rejects steps whose weights do not increase, and unreadable durations', () => {
    const input = minimalConfig();
    input.components.stt!.plan.steps = [{ weight: 50, duration: 'two days' }, { weight: 50, minDurationMs: 1 }];
    expect(issuesOf(input)).toEqual(['components.stt.plan.steps[0].duration: expected a duration such as "48h", "30m", "7d" or minDurationMs']);
    input.components.stt!.plan.steps = [{ weight: 50, duration: '2d' }, { weight: 50, minDurationMs: 1 }];
    expect(issuesOf(input)).toEqual(["components.stt.plan.steps[1].weight: expected more than the previous step's weight (50)"]);
  });

  it('rejects a config that is not an object', () => {
    expect(issuesOf('port: 8080')).toEqual([expect.stringMatching(/^\(root\): expected object, got the string "port: 8080"$/)]);
  });
});

describe('defaultLocalConfig', () => {
  it('is valid and points every provider but web-speech at the lab', () => {
    const config = defaultLocalConfig({ labBaseUrl: 'http://127.0.0.1:9999/', port: 0 });
    expect(config.server.port).toBe(0);
    expect(config.components.tts?.providers['web-speech']?.baseUrl).toBeUndefined();
    expect(config.components.tts?.providers.coqui?.baseUrl).toBe('http://127.0.0.1:9999/coqui');
    expect(config.components.llm?.production).toBe('groq');
    expect(config.vps).toEqual({ monthlyCostEur: 80, oneTimeCostEur: 3_600, expectedMonthlyRequests: 1_130_000 });
  });
});

describe('helpers', () => {
  it('formats paths and durations', () => {
    expect(formatPath(['a', 0, 'b', 'c-d', 12])).toBe('a[0].b.c-d[12]');
    expect(formatPath([])).toBe('(root)');
    expect([parseDuration('500ms'), parseDuration('90s'), parseDuration('1.5h'), parseDuration('7d'), parseDuration('48')]).toEqual([500, 90_000, 5_400_000, 604_800_000, undefined]);
  });
});

describe('resolveGatewaySecrets', () => {
  it('reads every named variable and lists all the missing ones by path, never by value', () => {
    const config = parseGatewayConfig(minimalConfig());
    const env = { BASCULE_CLIENT_KEY: 'client-secret', BASCULE_ADMIN_TOKEN: 'admin-secret', OPENAI_API_KEY: 'sk-test' };
    expect(resolveGatewaySecrets(config, env)).toEqual({
      clientKeys: [{ name: 'reading-app', key: 'client-secret' }],
      adminToken: 'admin-secret',
      studentHashKey: undefined,
      providerApiKeys: { 'openai-whisper': 'sk-test' },
      notificationEnv: {},
    });
    let thrown: unknown;
    try {
      resolveGatewaySecrets(config, { BASCULE_CLIENT_KEY: 'client-secret', BASCULE_ADMIN_TOKEN: '' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayConfigError);
    expect((thrown as GatewayConfigError).message).toBe(
      'invalid gateway config:\n' +
        '  auth.adminTokenEnv: environment variable BASCULE_ADMIN_TOKEN is not set\n' +
        '  components.stt.providers.openai-whisper.apiKeyEnv: environment variable OPENAI_API_KEY is not set',
    );
    expect((thrown as GatewayConfigError).message).not.toContain('client-secret');
  });
});

describe('notifications', () => {
  const withChannels = (channels: unknown[]) => ({ ...minimalConfig(), notifications: { channels } });
  it('reads each channel, defaults its severity, and the secrets they name', () => {
    const config = parseGatewayConfig(
      withChannels([
        { type: 'slack', urlEnv: 'SLACK_WEBHOOK_URL', minSeverity: 'critical' },
        { type: 'webhook', url: 'https://hooks.example.org/bascule' },
        { type: 'email', smtp: { host: 'smtp.example.org', userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASSWORD' }, from: 'bascule@example.org', to: ['ops@example.org'] },
      ]),
    );
    expect(config.notifications).toMatchObject({ timeoutMs: 5000, retries: 3, backoffMs: 1000, criticalDebounceMs: 900_000 });
    expect(config.notifications.channels[1]).toMatchObject({ type: 'webhook', minSeverity: 'warning' });
    expect(config.notifications.channels[2]).toMatchObject({ smtp: { port: 587, secure: false } });
    const env = { BASCULE_CLIENT_KEY: 'c', BASCULE_ADMIN_TOKEN: 'a', OPENAI_API_KEY: 'k', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', SMTP_USER: 'u', SMTP_PASSWORD: 'p' };
    expect(resolveGatewaySecrets(config, env).notificationEnv).toEqual({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', SMTP_USER: 'u', SMTP_PASSWORD: 'p' });
    expect(() => resolveGatewaySecrets(config, { ...env, SMTP_PASSWORD: '' })).toThrow(/notifications\.channels\[2\]\.smtp\.passwordEnv: environment variable SMTP_PASSWORD is not set/);
  });

  it('names the field of a bad channel', () => {
    expect(() => parseGatewayConfig(withChannels([{ type: 'slack', urlEnv: 'https://hooks.slack.com/x' }]))).toThrow(/notifications\.channels\[0\]\.urlEnv: expected the NAME of an environment variable/);
    expect(() => parseGatewayConfig(withChannels([{ type: 'pager', urlEnv: 'X' }]))).toThrow(/notifications\.channels\[0\]/);
    expect(() => parseGatewayConfig(withChannels([{ type: 'webhook' }]))).toThrow(/notifications\.channels\[0\]\.url: expected either url or urlEnv/);
    expect(() => parseGatewayConfig(withChannels([{ type: 'email', smtp: { host: 'h' }, from: 'nobody', to: ['ops@example.org'] }]))).toThrow(/notifications\.channels\[0\]\.from: expected an e-mail address/);
    expect(() => parseGatewayConfig(withChannels([{ type: 'teams', urlEnv: 'TEAMS_URL', minSeverity: 'loud' }]))).toThrow(/notifications\.channels\[0\]\.minSeverity/);
  });
});
