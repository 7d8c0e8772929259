// Duration of a RIFF/WAVE file from its header (fmt's byte rate, data's size): what speech is billed by.
/** Seconds of audio in a WAV buffer, or null when it is not a WAV file we can read. */
export function wavDurationSeconds(buffer: Buffer): number | null {
  if (buffer.length < 12 || buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE') return null;
  let offset = 12;
  let byteRate: number | null = null;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    const start = offset + 8;
    if (id === 'fmt ' && start + 12 <= buffer.length) byteRate = buffer.readUInt32LE(start + 8);
    if (id === 'data') {
      if (byteRate === null || byteRate === 0) return null;
      // Streaming writers leave the size at 0 or 0xFFFFFFFF: count the bytes actually there.
      const bytes = size === 0 || size === 0xffffffff || start + size > buffer.length ? buffer.length - start : size;
      return bytes / byteRate;
    }
    offset = start + size + (size % 2); // chunks are padded to an even size
  }
  return null;
}

/** A WAV file's format from its `fmt ` chunk: what the shadow comparison checks the production voice by. */
export interface WavFormat {
  /** 1 for PCM, 3 for IEEE float. */
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

/** The format of a RIFF/WAVE buffer, or null when it is not one (or has no readable `fmt ` chunk). */
export function wavFormat(buffer: Buffer): WavFormat | null {
  if (buffer.length < 12 || buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE') return null;
  let offset = 12;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32LE(offset + 4);
    const start = offset + 8;
    if (buffer.toString('ascii', offset, offset + 4) === 'fmt ') {
      if (start + 16 > buffer.length) return null;
      return { audioFormat: buffer.readUInt16LE(start), channels: buffer.readUInt16LE(start + 2), sampleRate: buffer.readUInt32LE(start + 4), bitsPerSample: buffer.readUInt16LE(start + 14) };
    }
    offset = start + size + (size % 2);
  }
  return null;
}
