// The GPU memory budget: every model deployed on the host shares one card. Each image declares its VRAM in
// gpu-images/<name>/image.json ({"name","vramMb",...}); the sum, plus a CUDA context per process and a
// safety margin, must fit the card, or the preview fails with the numbers.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The model services the infra can deploy, by image folder name. `llama` uses llama.cpp's published image. */
export const MODEL_IMAGES = ['whisper', 'tts', 'trocr', 'llama'] as const;
export type ModelImage = (typeof MODEL_IMAGES)[number];

/**
 * Used only while an image folder has no image.json yet (the numbers of the plan): whisper large-v3 fp16
 * about 4.5 GB, Coqui TTS 1 GB, TrOCR 1.5 GB, a 4-bit 8B model with an 8k context 6.5 GB.
 */
export const FALLBACK_VRAM_MB: Readonly<Record<ModelImage, number>> = { whisper: 4_608, tts: 1_024, trocr: 1_536, llama: 6_656 };

/** A CUDA context and allocator slack per process (PyTorch / llama.cpp), measured order of magnitude. */
export const PER_PROCESS_OVERHEAD_MB = 512;
/** Kept free for fragmentation and the driver. */
export const HEADROOM_FRACTION = 0.05;

const ImageManifestSchema = z.looseObject({
  name: z.string().min(1),
  vramMb: z.number({ error: 'expected vramMb, the VRAM the model needs in MB' }).int().positive(),
});

export interface ImageVram {
  image: ModelImage;
  vramMb: number;
  source: 'image.json' | 'fallback';
}

/** VRAM of each image from gpu-images/<name>/image.json, or the fallback list (and says so). */
export function readImageVram(gpuImagesDir: string, images: readonly ModelImage[]): ImageVram[] {
  return images.map((image) => {
    const file = join(gpuImagesDir, image, 'image.json');
    if (!existsSync(file)) return { image, vramMb: FALLBACK_VRAM_MB[image], source: 'fallback' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const result = ImageManifestSchema.safeParse(parsed);
    if (!result.success) throw new Error(`${file}: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    return { image, vramMb: result.data.vramMb, source: 'image.json' };
  });
}

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
export function assertGpuBudget(cardMb: number, models: readonly ImageVram[]): BudgetReport {
  const report = checkGpuBudget(cardMb, models);
  if (!report.fits) {
    throw new Error(
      [
        `GPU memory budget exceeded: the models need ${report.neededMb} MB, the card has ${report.cardMb} MB ` +
          `(${report.usableMb} MB usable after ${HEADROOM_FRACTION * 100} % headroom), short by ${report.neededMb - report.usableMb} MB:`,
        ...report.lines,
        'Use a card with more memory (bascule:host.gpu.vramMb), keep llm on Groq (bascule:llm.selfHosted false), or deploy fewer models.',
      ].join('\n'),
    );
  }
  return report;
}
