import { describe, expect, it } from 'vitest';
import { assertGpuArchitecture, computeCapability, hasKernelsFor } from '../src/gpu-arch.ts';

const TORCH_24_CU121 = ['sm_50', 'sm_60', 'sm_70', 'sm_75', 'sm_80', 'sm_86', 'sm_90'];

describe('GPU architecture check', () => {
  it('knows the stacks\' cards', () => {
    expect(computeCapability('NVIDIA RTX 4000 SFF Ada')).toBe('8.9');
    expect(computeCapability('L4')).toBe('8.9');
    expect(computeCapability('RTX 4000 (8 GB)')).toBe('7.5');
    expect(computeCapability('NVIDIA RTX PRO 6000 Blackwell')).toBe('12.0');
  });

  it('accepts a card whose major version has kernels of a lower or equal minor', () => {
    expect(hasKernelsFor(TORCH_24_CU121, '8.9')).toBe(true); // sm_86 kernels run on sm_89
    expect(hasKernelsFor(TORCH_24_CU121, '12.0')).toBe(false);
    expect(hasKernelsFor(['sm_120'], '12.0')).toBe(true);
  });

  it('fails the preview for a Blackwell card with torch 2.4, naming the image', () => {
    const images = [{ image: 'tts' as const, cudaArchs: TORCH_24_CU121 }, { image: 'whisper' as const, cudaArchs: undefined }];
    expect(() => assertGpuArchitecture('NVIDIA RTX PRO 6000 Blackwell', images)).toThrow(/sm_120[\s\S]*tts: built for sm_50/);
    expect(assertGpuArchitecture('NVIDIA RTX 4000 SFF Ada', images)).toEqual(['GPU architecture: tts has kernels for sm_89']);
    expect(assertGpuArchitecture('Mystery card', images)[0]).toMatch(/not a known card/);
  });
});
