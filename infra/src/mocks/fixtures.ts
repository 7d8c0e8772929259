// A complete stack config as a devops would write it (the same shape as Pulumi.staging.yaml), for the
// tests and the plan CLI. Secret values are recognisable so that a test can look for them in the state.
import type { Phase } from '../phases.ts';

export const FIXTURE_SECRETS: Readonly<Record<string, string>> = {
  'bascule:sshPrivateKey': '-----BEGIN OPENSSH PRIVATE KEY-----\nSECRET-ssh-key-0001\n-----END OPENSSH PRIVATE KEY-----',
  'bascule:clientKey': 'SECRET-client-key-0002',
  'bascule:adminToken': 'SECRET-admin-token-0003',
  'bascule:studentHashKey': 'SECRET-student-hash-0004',
  'bascule:huggingfaceApiKey': 'SECRET-hf-0005',
  'bascule:groqApiKey': 'SECRET-groq-0006',
  'bascule:openaiApiKey': 'SECRET-openai-0007',
  'bascule:contaboClientSecret': 'SECRET-contabo-client-0008',
  'bascule:contaboApiUser': 'SECRET-contabo-user-0009@example.org',
  'bascule:contaboApiPassword': 'SECRET-contabo-password-0010',
};

export function fixtureConfig(phase: Phase, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'bascule:phase': phase,
    'bascule:host': {
      provider: 'contabo',
      sshUser: 'root',
      contabo: { instanceId: 202611240, displayName: 'bascule-staging', clientId: 'INT-12345678' },
      gpu: { model: 'NVIDIA RTX 4000 SFF Ada', vramMb: 20_480 },
    },
    'bascule:dns': { zone: 'example.org', gateway: 'api-staging', dashboard: 'dashboard-staging' },
    'bascule:cloudflare': { accountId: '0123456789abcdef0123456789abcdef', accessEmails: ['ops@example.org'] },
    'bascule:admin': { sshCidrs: ['198.51.100.7/32', '2001:db8::/64'] },
    'bascule:llm': { selfHosted: false },
    'bascule:gateway': { vpsMonthlyCostEur: 160, vpsOneTimeCostEur: 0, easyocrUrl: 'https://ocr.example.org' },
    ...FIXTURE_SECRETS,
    ...overrides,
  };
}

export const FIXTURE_SECRET_KEYS = Object.keys(FIXTURE_SECRETS);
