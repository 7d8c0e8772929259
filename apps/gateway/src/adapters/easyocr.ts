// EasyOCR has no official HTTP API; its service is the smallest wrapper around `Reader.readtext`:
// `POST /readtext` multipart `image` → `[[corners, text, confidence], ...]` as readtext returns it, the
// corners four `[x, y]` points clockwise from top-left. Converted to `[x, y, w, h]` boxes. Billed per image.
import { z } from 'zod';
import { poolOf } from './hosts.ts';
import { UpstreamProtocolError } from './http.ts';
import { postImage } from './image-upload.ts';
import type { HandwritingAdapter, ProviderSettings } from './types.ts';

const Point = z.tuple([z.number(), z.number()]);
const ReadtextSchema = z.array(z.tuple([z.array(Point).min(1), z.string(), z.number().min(0).max(1)]));

function boxOf(corners: [number, number][]): [number, number, number, number] {
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const x = Math.max(0, Math.min(...xs));
  const y = Math.max(0, Math.min(...ys));
  return [x, y, Math.max(0, Math.max(...xs) - x), Math.max(0, Math.max(...ys) - y)];
}

export function createEasyOcrAdapter(settings: ProviderSettings): HandwritingAdapter {
  const hosts = poolOf(settings);
  return {
    kind: 'handwriting',
    provider: settings.id,
    async analyze(input, ctx) {
      const raw = await postImage(hosts, '/readtext', input, {}, settings, ctx);
      const parsed = ReadtextSchema.safeParse(raw);
      if (!parsed.success) throw new UpstreamProtocolError(`easyocr: not a readtext result (${parsed.error.issues[0]?.message})`);
      const boxes = parsed.data.map(([corners, text, confidence]) => ({ text, confidence, bbox: boxOf(corners) }));
      const text = boxes.map((b) => b.text).join(' ').trim();
      const confidence = boxes.length === 0 ? 0 : Math.min(...boxes.map((b) => b.confidence));
      return { value: { text, confidence, boxes }, usage: { images: 1 } };
    },
  };
}
