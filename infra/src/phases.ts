// The migration phases, in the order the plan runs them. Each phase adds its own resources and keeps
// everything an earlier phase deployed: moving on is one config value (`bascule:phase`) and `pulumi up`.
import type { GatewayConfig } from '@bascule/contracts';

export type Component = keyof GatewayConfig['components'];

export const PHASES = ['foundation', 'llm', 'stt', 'tts', 'vision'] as const;
export type Phase = (typeof PHASES)[number];

/** The component whose production provider a phase brings in (foundation brings none). */
export const COMPONENT_OF_PHASE: Readonly<Record<Phase, Component | undefined>> = {
  foundation: undefined,
  llm: 'llm',
  stt: 'stt',
  tts: 'tts',
  vision: 'vision',
};

/** What each phase adds, in words: the plan CLI, the runbooks and the stack outputs print it. */
export const PHASE_SUMMARY: Readonly<Record<Phase, string>> = {
  foundation:
    'GPU host and gateway hosts (adopted), bootstrap (SSH hardening, held NVIDIA driver, Docker, WireGuard tunnel, firewall, housekeeping), gateways with their TLS proxy, PostgreSQL with backups, monitoring, Cloudflare load balancer and Access',
  llm: 'llm routed through the gateway: Groq by default, or llama.cpp server (4-bit Llama 3.1 8B) on the host',
  stt: 'faster-whisper (large-v3, fp16) on the host; stt routed through the gateway',
  tts: 'Coqui TTS (French voices) on the host; tts routed through the gateway',
  vision: 'TrOCR (handwritten) on the host; vision routed through the gateway',
};

/** What to check before running the next phase (the stack output `nextPhaseChecklist`). */
export const NEXT_PHASE_CHECKLIST: Readonly<Record<Phase, readonly string[]>> = {
  foundation: [
    'GET https://<gateway>/readyz answers 200 through Cloudflare, and both origins are healthy in the load balancer\'s pool',
    'the admin host name asks for a Cloudflare Access login; /admin/v1 and /dashboard/ answer 404 on the API host name',
    'port 443 is closed to non-Cloudflare addresses (and to Cloudflare without the origin-pull certificate), port 22 to non-admin addresses; the GPU host has no public port but 22',
    'the first database backup is in the restic repository (restic snapshots), and Prometheus shows every target up',
    'then: pulumi config set bascule:phase llm && pulumi up (docs/runbooks/02-phase-llm.md)',
  ],
  llm: [
    'the llm criteria are GO on the dashboard (p95 < 1500 ms, availability > 99.5 %, quality > 95 %) at 100 %',
    'then: pulumi config set bascule:phase stt && pulumi up (docs/runbooks/03-phase-stt.md)',
  ],
  stt: [
    'the stt criteria are GO (average latency < 1 s, accuracy > 95 %, cost < 50 % of the MVP)',
    'then: pulumi config set bascule:phase tts && pulumi up (docs/runbooks/04-phase-tts.md)',
  ],
  tts: [
    'the tts criteria are GO on the dashboard',
    'then: pulumi config set bascule:phase vision && pulumi up (docs/runbooks/05-phase-vision.md)',
  ],
  vision: ['every component is in production: keep watching the dashboard; see docs/runbooks/rollback.md for incidents'],
};

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

/** True when the stack's phase has reached (or passed) `phase`. */
export function reached(current: Phase, phase: Phase): boolean {
  return phaseIndex(current) >= phaseIndex(phase);
}

export function previousPhase(phase: Phase): Phase | undefined {
  return PHASES[phaseIndex(phase) - 1];
}

export function nextPhase(phase: Phase): Phase | undefined {
  return PHASES[phaseIndex(phase) + 1];
}
