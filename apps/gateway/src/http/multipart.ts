// Reads a multipart body ONCE into memory (one file part + text fields), so that a fallback can resend
// it to another provider. The file's size is capped per endpoint (413); its media type is checked (415),
// and its first bytes against that type (415). A malformed body (no boundary, a part cut short) is a 400.
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart'; // request.parts() types
import { PublicError } from './errors.ts';
import { contentMismatch } from './magic.ts';

export interface BufferedFile {
  field: string;
  filename: string;
  mimetype: string;
  data: Buffer;
}

export interface BufferedMultipart {
  file: BufferedFile;
  fields: Record<string, string>;
}

export interface MultipartRules {
  /** Name of the file part (`file` for OpenAI's transcriptions, `audio`, `image`). */
  fileField: string;
  maxFileBytes: number;
  acceptedTypes: readonly string[];
  what: string;
}

export async function readMultipartOnce(request: FastifyRequest, rules: MultipartRules): Promise<BufferedMultipart> {
  const fields: Record<string, string> = {};
  let file: BufferedFile | null = null;
  try {
    const parts = request.parts({ limits: { fileSize: rules.maxFileBytes, files: 2, fields: 20, fieldSize: 64 * 1024 } });
    for await (const part of parts) {
      if (part.type === 'file') {
        const data = await part.toBuffer(); // throws FST_REQ_FILE_TOO_LARGE (413) past maxFileBytes
        if (part.fieldname !== rules.fileField || file !== null) continue;
        file = { field: part.fieldname, filename: part.filename || `${rules.fileField}.bin`, mimetype: (part.mimetype || 'application/octet-stream').toLowerCase(), data };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    throw malformed(error);
  }
  if (file === null || file.data.length === 0) {
    throw new PublicError('invalid_request', `${rules.fileField}: missing (expected a file part "${rules.fileField}" holding ${rules.what})`, { field: rules.fileField });
  }
  const type = file.mimetype.split(';')[0]!.trim();
  if (!rules.acceptedTypes.includes(type)) {
    throw new PublicError('unsupported_media_type', `${rules.fileField}: expected ${rules.what} (${rules.acceptedTypes.filter((t) => t !== 'application/octet-stream').join(', ')}), got ${type}`, { field: rules.fileField });
  }
  const mismatch = contentMismatch(file.data, type, rules.acceptedTypes);
  if (mismatch !== null) {
    throw new PublicError('unsupported_media_type', `${rules.fileField}: declared ${type}, but its bytes are ${mismatch === 'bytes of no format this endpoint takes' ? mismatch : `a ${mismatch}`}`, { field: rules.fileField });
  }
  return { file, fields };
}

/**
 * Errors with an HTTP status (413 past a limit, Fastify's own) keep it; the parser's own (busboy: "Unexpected
 * end of form", "Boundary not found", "Malformed part header") are the client's malformed body: a 400.
 */
function malformed(error: unknown): unknown {
  if (error instanceof PublicError || typeof (error as { statusCode?: unknown }).statusCode === 'number') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PublicError('invalid_request', `body: malformed multipart/form-data (${message})`, { field: 'body' });
}
