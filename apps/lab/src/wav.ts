// RIFF/WAVE: PCM 16-bit mono. The lab writes real WAV files (a soft tone standing in for a voice) and reads
// their header back to know an upload's duration. A custom chunk can carry what the "child" said (see marker.ts).

export const WAV_SAMPLE_RATE = 22050;

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Bytes of PCM data. */
  dataBytes: number;
  durationS: number;
}

export interface ToneOptions {
  durationS: number;
  sampleRate?: number;
  frequencyHz?: number;
  /** Extra RIFF chunks, written before `data` (readers skip chunks they do not know). */
  extraChunks?: { id: string; body: Uint8Array }[];
}

function chunk(id: string, body: Uint8Array): Buffer {
  if (id.length !== 4) throw new Error(`RIFF chunk id must be 4 characters, got "${id}"`);
  const header = Buffer.alloc(8);
  header.write(id, 0, 'ascii');
  header.writeUInt32LE(body.length, 4);
  const pad = body.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([header, Buffer.from(body), pad]);
}

/** A mono 16-bit PCM WAV holding a tone with gentle fade-in/out, `durationS` long. */
export function encodeToneWav(options: ToneOptions): Buffer {
  const sampleRate = options.sampleRate ?? WAV_SAMPLE_RATE;
  const frequency = options.frequencyHz ?? 220;
  const samples = Math.max(1, Math.round(options.durationS * sampleRate));
  const pcm = Buffer.alloc(samples * 2);
  const fade = Math.min(samples / 2, sampleRate * 0.02);
  for (let i = 0; i < samples; i += 1) {
    const envelope = Math.min(1, i / fade, (samples - 1 - i) / fade);
    const value = Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 0.3 * envelope;
    pcm.writeInt16LE(Math.round(value * 32767), i * 2);
  }
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0); // PCM
  fmt.writeUInt16LE(1, 2); // mono
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE(sampleRate * 2, 8); // byte rate
  fmt.writeUInt16LE(2, 12); // block align
  fmt.writeUInt16LE(16, 14); // bits per sample
  const chunks = [chunk('fmt ', fmt), ...(options.extraChunks ?? []).map((c) => chunk(c.id, c.body)), chunk('data', pcm)];
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), ...chunks]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** Reads a WAV header; null when the bytes are not a PCM WAV file. */
export function parseWav(bytes: Uint8Array): WavInfo | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return null;
  let offset = 12;
  let format: Omit<WavInfo, 'dataBytes' | 'durationS'> | null = null;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const start = offset + 8;
    if (id === 'fmt ' && start + 16 <= buf.length) {
      if (buf.readUInt16LE(start) !== 1) return null;
      format = { channels: buf.readUInt16LE(start + 2), sampleRate: buf.readUInt32LE(start + 4), bitsPerSample: buf.readUInt16LE(start + 14) };
    } else if (id === 'data' && format) {
      const dataBytes = Math.min(size, buf.length - start);
      const bytesPerSecond = format.sampleRate * format.channels * (format.bitsPerSample / 8);
      return { ...format, dataBytes, durationS: bytesPerSecond > 0 ? dataBytes / bytesPerSecond : 0 };
    }
    offset = start + size + (size % 2);
  }
  return null;
}
