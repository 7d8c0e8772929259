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
  'bascule:databasePassword': 'SECRET-database-0011',
  'bascule:replicationPassword': 'SECRET-replication-0012',
  'bascule:backupPassword': 'SECRET-restic-0013',
  'bascule:backupAccessKeyId': 'SECRET-s3-key-id-0014',
  'bascule:backupSecretAccessKey': 'SECRET-s3-key-0015',
};

/** A host key as the config expects it (`ssh-keyscan -t ed25519 <address> | cut -d' ' -f2-`). */
export const fixtureHostKey = (n: number) => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${String(n).padStart(4, '0')}Bascule0fixture0host0key0aaaaaaaaaa`;

export function fixtureConfig(phase: Phase, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'bascule:phase': phase,
    'bascule:host': {
      provider: 'contabo',
      sshUser: 'deploy',
      sshHostKey: fixtureHostKey(1),
      privateAddress: '10.77.0.1',
      contabo: { instanceId: 202611240, displayName: 'bascule-staging', clientId: 'INT-12345678' },
      gpu: { model: 'NVIDIA RTX 4000 SFF Ada', vramMb: 20_480 },
    },
    'bascule:gatewayHosts': [
      { name: 'gw-1', provider: 'contabo', sshHostKey: fixtureHostKey(11), privateAddress: '10.77.0.11', contabo: { instanceId: 202611251, displayName: 'bascule-staging-gw-1', clientId: 'INT-12345678' } },
      { name: 'gw-2', provider: 'contabo', sshHostKey: fixtureHostKey(12), privateAddress: '10.77.0.12', contabo: { instanceId: 202611252, displayName: 'bascule-staging-gw-2', clientId: 'INT-12345678' } },
    ],
    'bascule:database': { primary: 'gw-1', standby: 'gw-2', backup: { repository: 's3:https://eu2.contabostorage.com/bascule-backups/staging' } },
    'bascule:monitoring': { host: 'gw-2', alertWebhookUrl: 'https://alerts.example.org/hooks/bascule' },
    'bascule:dns': { zone: 'example.org', gateway: 'api-staging', admin: 'admin-staging' },
    'bascule:cloudflare': { accountId: '0123456789abcdef0123456789abcdef', accessEmails: ['ops@example.org'], teamDomain: 'bascule.cloudflareaccess.com' },
    'bascule:admin': { sshCidrs: ['198.51.100.7/32', '2001:db8::/64'] },
    'bascule:llm': { selfHosted: false },
    'bascule:gateway': { vpsMonthlyCostEur: 160, vpsOneTimeCostEur: 0, easyocrUrl: 'https://ocr.example.org' },
    ...FIXTURE_SECRETS,
    ...overrides,
  };
}

export const FIXTURE_SECRET_KEYS = Object.keys(FIXTURE_SECRETS);
