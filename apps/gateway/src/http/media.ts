// Media-type checks, before any body is read: JSON endpoints take application/json, upload endpoints
// multipart/form-data. Anything else is a 415 naming what was expected.
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { PublicError } from './errors.ts';

export type BodyKind = 'json' | 'multipart';

export function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function requireMediaType(request: FastifyRequest, kind: BodyKind): void {
  const type = mediaTypeOf(request);
  const ok = kind === 'json' ? type === 'application/json' || type.endsWith('+json') : type === 'multipart/form-data';
  if (!ok) {
    const expected = kind === 'json' ? 'application/json' : 'multipart/form-data';
    throw new PublicError('unsupported_media_type', `Content-Type: expected ${expected}, got ${type || 'none'}`, { field: 'content-type' });
  }
}

/** The route-level onRequest hook of an endpoint taking `kind` (callback style: no promise per request). */
export function mediaTypeHook(kind: BodyKind): onRequestHookHandler {
  return (request, _reply, done) => {
    try {
      requireMediaType(request, kind);
      done();
    } catch (error) {
      done(error as Error);
    }
  };
}

/** Audio the recognisers take, by the part's declared type (browsers record WebM/Ogg, tests send WAV). */
export const AUDIO_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave', 'audio/mpeg', 'audio/mp3', 'audio/mp4', 'audio/m4a', 'audio/x-m4a', 'audio/ogg', 'audio/webm', 'audio/flac', 'video/webm', 'application/octet-stream'];
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/octet-stream'];
