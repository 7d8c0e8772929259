// Does an upload's content match its declared type? The first bytes of every format the gateway takes
// (WAV, WebM, Ogg, MP3, M4A/MP4, FLAC; PNG, JPEG, WebP) against the part's Content-Type, so a PNG sent as
// audio/wav (or a WAV as image/png) is refused with a 415 instead of being forwarded to a provider that
// bills for it or chokes on it. A table of signatures, not a library: nine formats, checked synchronously on
// bytes already in memory (file-type, the usual library, reads through an async tokenizer for 100+ formats).

interface Format {
  name: string;
  /** Whether `bytes` start like this format. */
  test(bytes: Buffer): boolean;
}

const ascii = (bytes: Buffer, at: number, text: string): boolean => bytes.length >= at + text.length && bytes.toString('latin1', at, at + text.length) === text;

const WAV: Format = { name: 'WAV audio', test: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE') };
const WEBM: Format = { name: 'WebM/Matroska', test: (b) => b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3 };
const OGG: Format = { name: 'Ogg audio', test: (b) => ascii(b, 0, 'OggS') };
// An ID3 tag, or straight into an MPEG audio frame (11 sync bits set).
const MP3: Format = { name: 'MP3 audio', test: (b) => ascii(b, 0, 'ID3') || (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0) };
// ISO base media (M4A, MP4): a box size, then `ftyp`.
const MP4: Format = { name: 'MP4/M4A', test: (b) => ascii(b, 4, 'ftyp') };
const FLAC: Format = { name: 'FLAC audio', test: (b) => ascii(b, 0, 'fLaC') };
const PNG: Format = { name: 'PNG image', test: (b) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) };
const JPEG: Format = { name: 'JPEG image', test: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff };
const WEBP: Format = { name: 'WebP image', test: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') };

const AUDIO = [WAV, WEBM, OGG, MP3, MP4, FLAC];
const IMAGE = [PNG, JPEG, WEBP];
const ALL = [...AUDIO, ...IMAGE];

/** The formats each declared type may hold. */
export const FORMATS_BY_TYPE: Readonly<Record<string, readonly Format[]>> = {
  'audio/wav': [WAV],
  'audio/x-wav': [WAV],
  'audio/wave': [WAV],
  'audio/vnd.wave': [WAV],
  'audio/webm': [WEBM],
  'video/webm': [WEBM],
  'audio/ogg': [OGG],
  'audio/mpeg': [MP3],
  'audio/mp3': [MP3],
  'audio/mp4': [MP4],
  'audio/m4a': [MP4],
  'audio/x-m4a': [MP4],
  'audio/flac': [FLAC],
  'image/png': [PNG],
  'image/jpeg': [JPEG],
  'image/webp': [WEBP],
};

/**
 * Null when `bytes` are what `declared` says (for application/octet-stream: any format of the endpoint's
 * accepted types), else what they look like, for the 415's message.
 */
export function contentMismatch(bytes: Buffer, declared: string, accepted: readonly string[]): string | null {
  const formats = declared === 'application/octet-stream' ? [...new Set(accepted.flatMap((t) => FORMATS_BY_TYPE[t] ?? []))] : (FORMATS_BY_TYPE[declared] ?? []);
  if (formats.length === 0 || formats.some((f) => f.test(bytes))) return null;
  return ALL.find((f) => f.test(bytes))?.name ?? 'bytes of no format this endpoint takes';
}

export { AUDIO as AUDIO_FORMATS, IMAGE as IMAGE_FORMATS };
