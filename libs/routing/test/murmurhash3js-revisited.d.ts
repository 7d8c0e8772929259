// Types for the independent MurmurHash3 implementation the cohort tests check against (it ships none).
declare module 'murmurhash3js-revisited' {
  const murmurHash3: {
    x86: { hash32(bytes: Uint8Array | number[], seed?: number): number; hash128(bytes: Uint8Array | number[], seed?: number): string };
    x64: { hash128(bytes: Uint8Array | number[], seed?: number): string };
  };
  export default murmurHash3;
}
