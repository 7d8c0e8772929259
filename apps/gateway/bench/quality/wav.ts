// RIFF/WAVE PCM 16-bit, read and written: espeak-ng's output read back (its `--stdout` header has placeholder
// sizes, so `data` runs to the end of the file), the corpus's 16 kHz files written with the lab's marker
// chunk, and the tts answers checked (sample rate, channels, duration).

export interface Pcm16 {
  sampleRate: number;
  channels: number;
  /** Interleaved samples, -32768..32767. */
  samples: Int16Array;
}

export interface WavFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  durationS: number;
}

/** The format and duration of a PCM WAV, or null when the bytes are not one. */
export function wavFormat(bytes: Uint8Array): WavFormat | null {
  const found = findChunks(bytes);
  if (!found) return null;
  const { fmt, dataBytes } = found;
  const bytesPerSecond = fmt.sampleRate * fmt.channels * (fmt.bitsPerSample / 8);
  return { ...fmt, durationS: bytesPerSecond > 0 ? dataBytes / bytesPerSecond : 0 };
}

/** The samples of a 16-bit PCM WAV; throws when the bytes are something else. */
export function readPcm16(bytes: Uint8Array): Pcm16 {
  const found = findChunks(bytes);
  if (!found || found.fmt.bitsPerSample !== 16) throw new Error('expected a 16-bit PCM WAV file');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = Math.floor(found.dataBytes / 2);
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = buf.readInt16LE(found.dataStart + i * 2);
  return { sampleRate: found.fmt.sampleRate, channels: found.fmt.channels, samples };
}

/** A mono 16-bit PCM WAV, with extra RIFF chunks before `data` (readers skip the ones they do not know). */
export function encodePcm16Wav(samples: Int16Array, sampleRate: number, extraChunks: { id: string; body: Uint8Array }[] = []): Buffer {
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0); // PCM
  fmt.writeUInt16LE(1, 2); // mono
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE(sampleRate * 2, 8);
  fmt.writeUInt16LE(2, 12);
  fmt.writeUInt16LE(16, 14);
  const pcm = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => pcm.writeInt16LE(s, i * 2));
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), chunk('fmt ', fmt), ...extraChunks.map((c) => chunk(c.id, c.body)), chunk('data', pcm)]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

function chunk(id: string, body: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'ascii');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, Buffer.from(body), Buffer.alloc(body.length % 2)]);
}

interface Chunks {
  fmt: Omit<WavFormat, 'durationS'>;
  dataStart: number;
  dataBytes: number;
}

function findChunks(bytes: Uint8Array): Chunks | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return null;
  let fmt: Chunks['fmt'] | null = null;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const start = offset + 8;
    if (id === 'fmt ' && start + 16 <= buf.length) {
      if (buf.readUInt16LE(start) !== 1) return null; // not PCM
      fmt = { channels: buf.readUInt16LE(start + 2), sampleRate: buf.readUInt32LE(start + 4), bitsPerSample: buf.readUInt16LE(start + 14) };
    }
    if (id === 'data') {
      if (!fmt) return null;
      // Streaming writers (espeak-ng --stdout) leave a placeholder size: count the bytes actually there.
      const dataBytes = start + size > buf.length ? buf.length - start : size;
      return { fmt, dataStart: start, dataBytes };
    }
    offset = start + size + (size % 2);
  }
  return null;
}
