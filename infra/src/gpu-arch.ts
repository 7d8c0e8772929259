// The GPU architecture check: a PyTorch image runs only on a card its wheels have kernels for (torch 2.4's
// CUDA 12.1 wheels stop at sm_90, so a Blackwell card, sm_120, would fail at the first inference). Each
// image declares its kernels in image.json (`cudaArchs`, checked against the locked torch by the image's
// tests); the card the stack declares (bascule:host.gpu.model) must be covered, or the preview fails.
import type { ImageManifest } from './image-manifest.ts';

/** Compute capability of the cards this stack may name, matched on the model name (first match wins). */
const KNOWN_CARDS: ReadonlyArray<[RegExp, string]> = [
  [/blackwell|rtx\s*50\d0|rtx pro \d000/i, '12.0'],
  [/\bb(100|200)\b/i, '10.0'],
  [/\bh(100|200)\b|gh200/i, '9.0'],
  [/\bada\b|rtx\s*40[5-9]0|\bl4\b|\bl40s?\b/i, '8.9'],
  [/\ba100\b|\ba30\b/i, '8.0'],
  [/\ba10g?\b|\ba40\b|\ba16\b|\ba2\b|rtx\s*a\d000|rtx\s*30\d0/i, '8.6'],
  [/\bt4\b|quadro rtx|rtx\s*20\d0|\brtx\s*[4-8]000\b/i, '7.5'],
  [/\bv100\b/i, '7.0'],
];

export function computeCapability(gpuModel: string): string | undefined {
  return KNOWN_CARDS.find(([pattern]) => pattern.test(gpuModel))?.[1];
}

/** sm_XY kernels run on a card of compute capability X.Z with Z >= Y (same major version only). */
export function hasKernelsFor(archs: readonly string[], capability: string): boolean {
  const [major, minor] = capability.split('.').map(Number) as [number, number];
  return archs.some((arch) => {
    const m = /^sm_(\d+)(\d)$/.exec(arch);
    return m !== null && Number(m[1]) === major && Number(m[2]) <= minor;
  });
}

export type ImageArchs = Pick<ImageManifest, 'image' | 'cudaArchs'>;

/** Throws naming the card and each image without kernels for it; lines for the preview otherwise. */
export function assertGpuArchitecture(gpuModel: string, images: readonly ImageArchs[]): string[] {
  const capability = computeCapability(gpuModel);
  if (capability === undefined) return [`GPU architecture: ${gpuModel} is not a known card, its kernels were not checked`];
  const missing = images.filter((m) => m.cudaArchs !== undefined && !hasKernelsFor(m.cudaArchs, capability));
  if (missing.length > 0) {
    throw new Error(
      [
        `GPU architecture: ${gpuModel} (compute capability ${capability}, sm_${capability.replace('.', '')}) has no kernels in:`,
        ...missing.map((m) => `  ${m.image}: built for ${m.cudaArchs!.join(' ')}`),
        'Pin a torch built for this card in the image\'s requirements (and its image.json cudaArchs), or use another card.',
      ].join('\n'),
    );
  }
  return images.filter((m) => m.cudaArchs !== undefined).map((m) => `GPU architecture: ${m.image} has kernels for sm_${capability.replace('.', '')}`);
}
