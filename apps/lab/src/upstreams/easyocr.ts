// EasyOCR has no official HTTP API; the lab defines the smallest service around `easyocr.Reader.readtext`:
// `POST /readtext` multipart `image` → `[[bbox, text, confidence], ...]` exactly as readtext returns it
// (bbox = four corner points [[x, y], ...] clockwise from top-left), plus `GET /health` and `GET /metrics`.
import type { FastifyInstance } from 'fastify';
import type { UpstreamContext, UpstreamDefinition } from '../upstream.ts';
import { readMultipart } from './http.ts';
import { imageErrorBody, registerImageOps } from './image.ts';
import { see } from './writing.ts';

/** EasyOCR is trained on print, not children's handwriting: it misreads more (why vision migrates). */
export const EASYOCR_MISREAD_RATE = 0.12;

export type EasyOcrResult = [[number, number][], string, number][];

function register(app: FastifyInstance, ctx: UpstreamContext): void {
  registerImageOps(app, ctx, 'easyocr-fr', '/readtext');
  app.post('/readtext', async (request, reply) => {
    const { files } = await readMultipart(request);
    const image = files.find((f) => f.field === 'image');
    if (!image) return reply.code(400).send(imageErrorBody(400, 'image: expected a PNG or JPEG file part', 'image'));
    await ctx.think();
    const seen = see(image.data, ctx.seed, { misreadRate: EASYOCR_MISREAD_RATE, degradation: ctx.degradation() });
    if (!seen.text) return [];
    // readtext groups a word in one box.
    const first = seen.boxes[0] ?? [0, 0, 0, 0];
    const last = seen.boxes[seen.boxes.length - 1] ?? first;
    const [x1, y1] = [first[0], first[1]];
    const [x2, y2] = [last[0] + last[2], last[1] + last[3]];
    const confidence = Math.min(...seen.confidences);
    const result: EasyOcrResult = [[[[x1, y1], [x2, y1], [x2, y2], [x1, y2]], seen.text, confidence]];
    return result;
  });
}

export const easyocr: UpstreamDefinition = { name: 'easyocr', errorBody: imageErrorBody, register };
