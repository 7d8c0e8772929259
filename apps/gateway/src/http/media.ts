// Media-type checks, before any body is read: JSON endpoints take application/json in UTF-8, upload
// endpoints multipart/form-data. Anything else is a 415 naming what was expected. Only application/json
// itself: Fastify's JSON parser takes no `+json` type, so letting `application/vnd.foo+json` through here
// only moved the refusal to the parser. Only UTF-8: JSON between systems must be UTF-8 (RFC 8259 §8.1), and
// the parser reads every body as UTF-8, so a `charset=utf-16` body would be read as garbage; it is refused.
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { PublicError } from './errors.ts';

export type BodyKind = 'json' | 'multipart';

export function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/** What is wrong with a JSON request's Content-Type, or null when it is application/json in UTF-8. */
export function jsonContentTypeProblem(contentType: string | undefined): string | null {
  // What every client sends, settled without splitting, trimming or a regular expression.
  if (contentType === 'application/json' || contentType === 'application/json; charset=utf-8') return null;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return `Content-Type: expected application/json, got ${type || 'none'}`;
  const charset = CHARSET.exec(contentType!)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return `Content-Type: expected a UTF-8 JSON body (charset=utf-8 or none), got charset=${charset}`;
  return null;
}

export function requireMediaType(request: FastifyRequest, kind: BodyKind): void {
  if (kind === 'json') {
    const problem = jsonContentTypeProblem(request.headers['content-type']);
    if (problem !== null) throw new PublicError('unsupported_media_type', problem, { field: 'content-type' });
    return;
  }
  const type = mediaTypeOf(request);
  if (type !== 'multipart/form-data') {
    throw new PublicError('unsupported_media_type', `Content-Type: expected multipart/form-data, got ${type || 'none'}`, { field: 'content-type' });
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
