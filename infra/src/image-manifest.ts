// What each model image declares about itself in gpu-images/<name>/image.json (written with the image):
// VRAM, port, health path, build context, runtime user, environment, stop timeout. Read here so that the
// unit, the gateway's endpoints and the GPU budget all follow the image. An image without image.json yet
// falls back to the plan's numbers (and every report says "fallback").
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The model services the infra can deploy, by image folder name. `llama` uses llama.cpp's published image. */
export const MODEL_IMAGES = ['whisper', 'tts', 'trocr', 'llama'] as const;
export type ModelImage = (typeof MODEL_IMAGES)[number];
export type BuiltImage = Exclude<ModelImage, 'llama'>;

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

export const ImageManifestSchema = z.looseObject({
  name: z.string().min(1),
  vramMb: z.number({ error: 'expected vramMb, the VRAM the model needs in MB' }).int().positive(),
  port: z.number().int().min(1).max(65535).optional(),
  healthPath: z.string().startsWith('/').optional(),
  build: z.looseObject({ context: z.string().min(1), dockerfile: z.string().min(1), target: z.string().min(1).optional() }).optional(),
  cudaArchs: z.array(z.string().regex(/^sm_\d+$/, 'expected CUDA architectures such as "sm_86"')).optional(),
  cacheVolume: z.looseObject({ name: z.string().min(1), containerPath: z.string().startsWith('/') }).optional(),
  user: z.string().regex(/^\d+(:\d+)?$/, 'expected "uid" or "uid:gid"').optional(),
  stopTimeoutS: z.number().int().positive().optional(),
  env: z.record(z.string().regex(ENV_NAME, 'expected an environment variable name'), z.string()).optional(),
});

export interface ImageManifest {
  image: ModelImage;
  vramMb: number;
  port: number;
  healthPath: string;
  /** Relative to the repo root. */
  buildContext: string;
  dockerfile: string;
  /** The stage to build when one Dockerfile makes several images. */
  target?: string;
  /** The CUDA architectures the image's GPU kernels are built for (gpu-arch.ts); unknown when absent. */
  cudaArchs?: string[];
  cachePath: string;
  user?: string;
  stopTimeoutS: number;
  env: Record<string, string>;
  /** Where vramMb comes from: the image's image.json, the plan's figure, or an estimate from the config. */
  source: 'image.json' | 'fallback' | 'estimate';
}

/**
 * The plan's numbers, used while an image has no image.json: whisper large-v3 fp16 about 4.5 GB, Coqui TTS
 * 1 GB, TrOCR 1.5 GB, a 4-bit 8B model with an 8k context 6.5 GB; ports as the images serve by default.
 */
export const FALLBACK_VRAM_MB: Readonly<Record<ModelImage, number>> = { whisper: 4_608, tts: 1_024, trocr: 1_536, llama: 6_656 };
export const FALLBACK_PORT: Readonly<Record<ModelImage, number>> = { whisper: 8001, tts: 8002, trocr: 8003, llama: 8080 };

function fallback(image: ModelImage): ImageManifest {
  return {
    image,
    vramMb: FALLBACK_VRAM_MB[image],
    port: FALLBACK_PORT[image],
    healthPath: '/health',
    buildContext: `gpu-images/${image}`,
    dockerfile: `gpu-images/${image}/Dockerfile`,
    cachePath: '/models',
    stopTimeoutS: 30,
    env: {},
    source: 'fallback',
  };
}

/** The manifest of one image; llama.cpp's published image has none (the fallback is its spec). */
export function readImageManifest(gpuImagesDir: string, image: ModelImage): ImageManifest {
  const file = join(gpuImagesDir, image, 'image.json');
  if (image === 'llama' || !existsSync(file)) return fallback(image);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = ImageManifestSchema.safeParse(parsed);
  if (!result.success) throw new Error(`${file}: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const m = result.data;
  const base = fallback(image);
  return {
    image,
    vramMb: m.vramMb,
    port: m.port ?? base.port,
    healthPath: m.healthPath ?? base.healthPath,
    buildContext: m.build?.context ?? base.buildContext,
    dockerfile: m.build?.dockerfile ?? base.dockerfile,
    target: m.build?.target,
    cudaArchs: m.cudaArchs,
    cachePath: m.cacheVolume?.containerPath ?? base.cachePath,
    user: m.user,
    stopTimeoutS: m.stopTimeoutS ?? base.stopTimeoutS,
    env: m.env ?? {},
    source: 'image.json',
  };
}

export function readImageManifests(gpuImagesDir: string): Record<ModelImage, ImageManifest> {
  return Object.fromEntries(MODEL_IMAGES.map((image) => [image, readImageManifest(gpuImagesDir, image)])) as Record<ModelImage, ImageManifest>;
}
