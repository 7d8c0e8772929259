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
