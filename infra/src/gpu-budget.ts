// The GPU memory budget: every model deployed on the host shares one card. Each image declares its VRAM in
// gpu-images/<name>/image.json (image-manifest.ts); the sum, plus a CUDA context per process and a safety
// margin, must fit the card, or the preview fails with the numbers.
import type { ImageManifest } from './image-manifest.ts';

/** A CUDA context and allocator slack per process (PyTorch / llama.cpp), order of magnitude. */
export const PER_PROCESS_OVERHEAD_MB = 512;
/** Kept free for fragmentation and the driver. */
export const HEADROOM_FRACTION = 0.05;

export type ImageVram = Pick<ImageManifest, 'image' | 'vramMb' | 'source'>;

export interface BudgetReport {
  fits: boolean;
  cardMb: number;
  usableMb: number;
  neededMb: number;
  lines: string[];
}

export function checkGpuBudget(cardMb: number, models: readonly ImageVram[]): BudgetReport {
  const usableMb = Math.floor(cardMb * (1 - HEADROOM_FRACTION));
  const lines = models.map((m) => `  ${m.image}: ${m.vramMb} MB + ${PER_PROCESS_OVERHEAD_MB} MB overhead (${m.source})`);
  const neededMb = models.reduce((sum, m) => sum + m.vramMb + PER_PROCESS_OVERHEAD_MB, 0);
  return { fits: neededMb <= usableMb, cardMb, usableMb, neededMb, lines };
}

/** Throws a message naming every model and the shortfall when the models do not fit on the card. */
export function assertGpuBudget(cardMb: number, models: readonly ImageVram[], hostName?: string): BudgetReport {
  const report = checkGpuBudget(cardMb, models);
  if (!report.fits) {
    throw new Error(
      [
        `GPU memory budget exceeded${hostName ? ` on GPU host ${hostName}` : ''}: the models need ${report.neededMb} MB, the card has ${report.cardMb} MB ` +
          `(${report.usableMb} MB usable after ${HEADROOM_FRACTION * 100} % headroom), short by ${report.neededMb - report.usableMb} MB:`,
        ...report.lines,
        'Use a card with more memory (bascule:host.gpu.vramMb, or the host\'s gpu.vramMb in bascule:gpuHosts), keep llm on Groq (bascule:llm.selfHosted false), or place fewer models on this host (its models in bascule:gpuHosts).',
      ].join('\n'),
    );
  }
  return report;
}
