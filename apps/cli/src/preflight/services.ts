// The model services a phase runs on the GPU host, with the port and VRAM each image declares in its
// manifest (gpu-images/<image>/image.json); the published figures when a manifest is not at hand.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHASES, type Phase, type StackInfo } from './stack.ts';

export interface ModelService {
  image: 'llama' | 'whisper' | 'tts' | 'trocr';
  phase: Phase;
  port: number;
  healthPath: string;
  vramMb: number;
}

const FALLBACK: Record<ModelService['image'], { port: number; vramMb: number }> = {
  llama: { port: 8080, vramMb: 6_656 },
  whisper: { port: 8001, vramMb: 4_500 },
  tts: { port: 8002, vramMb: 1_000 },
  trocr: { port: 8003, vramMb: 1_500 },
};

const PHASE_OF: Record<ModelService['image'], Phase> = { llama: 'llm', whisper: 'stt', tts: 'tts', trocr: 'vision' };

function manifest(root: string, image: ModelService['image']): { port?: number; vramMb?: number; healthPath?: string } {
  try {
    return JSON.parse(readFileSync(join(root, 'gpu-images', image, 'image.json'), 'utf8')) as { port?: number; vramMb?: number; healthPath?: string };
  } catch {
    return {};
  }
}

/** Every service deployed once the stack reaches `phase` (phases add up). */
export function servicesThrough(stack: StackInfo, phase: Phase): ModelService[] {
  const reached = (p: Phase) => PHASES.indexOf(p) <= PHASES.indexOf(phase);
  const images = (['llama', 'whisper', 'tts', 'trocr'] as const).filter((i) => (i !== 'llama' || stack.llmSelfHosted) && reached(PHASE_OF[i]));
  return images.map((image) => {
    const m = manifest(stack.root, image);
    return { image, phase: PHASE_OF[image], port: m.port ?? FALLBACK[image].port, healthPath: m.healthPath ?? '/health', vramMb: m.vramMb ?? FALLBACK[image].vramMb };
  });
}
