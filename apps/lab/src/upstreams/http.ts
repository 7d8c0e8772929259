// Small helpers shared by the simulated providers.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface UploadedFile {
  field: string;
  filename: string;
  mimetype: string;
  data: Buffer;
}

export interface MultipartBody {
  files: UploadedFile[];
  fields: Record<string, string>;
}

/** Reads a whole multipart body (files buffered); throws a 415-flavoured error for other media types. */
export async function readMultipart(request: FastifyRequest): Promise<MultipartBody> {
  if (!request.isMultipart()) {
    throw Object.assign(new Error('expected a multipart/form-data body'), { statusCode: 415 });
  }
  const body: MultipartBody = { files: [], fields: {} };
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      body.files.push({ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, data: await part.toBuffer() });
    } else {
      body.fields[part.fieldname] = String(part.value);
    }
  }
  return body;
}

/** The bearer token of the request, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? (match[1] as string) : null;
}

/** Answers 401 with the provider's body when no bearer token was sent; true when the request may go on. */
export function requireBearer(request: FastifyRequest, reply: FastifyReply, errorBody: (status: number, message: string) => unknown): boolean {
  if (bearerToken(request)) return true;
  void reply.code(401).send(errorBody(401, 'Missing or invalid Authorization header: expected "Bearer <api key>"'));
  return false;
}

/** Rounds to 0.1 ms, as the images report latency. */
export function elapsedMs(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10;
}
