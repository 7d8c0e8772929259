// The model images' contracts as JSON Schema (draft 2020-12) files, for readers that are not TypeScript:
// gpu-images/ (Python, `jsonschema`) and anyone checking a response by hand. Generated from the zod
// schemas by scripts/export-json-schemas.ts into schemas/<service>.<shape>.schema.json; a test fails
// when the committed files differ from what this renders.
import { z } from 'zod';
import {
  ServiceErrorSchema,
  ServiceHealthSchema,
  TrocrAnalyzeFieldsSchema,
  TrocrAnalyzeResponseSchema,
  TtsSynthesizeRequestSchema,
  TtsVoiceErrorSchema,
  WhisperTranscribeFieldsSchema,
  WhisperTranscribeResponseSchema,
} from './services.ts';

interface JsonSchemaEntry {
  schema: z.ZodType;
  /** Requests are described as the sender writes them (defaults optional); responses as sent. */
  io: 'input' | 'output';
  description: string;
}

/** `<service>.<shape>` → what the file describes. `common` shapes are served by every image. */
export const JSON_SCHEMA_CATALOG: Readonly<Record<string, JsonSchemaEntry>> = {
  'whisper.transcribe.fields': {
    schema: WhisperTranscribeFieldsSchema,
    io: 'input',
    description: 'POST /transcribe: the multipart text fields (the audio is the file part named "audio").',
  },
  'whisper.transcribe.response': { schema: WhisperTranscribeResponseSchema, io: 'output', description: 'POST /transcribe: 200 body.' },
  'tts.synthesize.request': {
    schema: TtsSynthesizeRequestSchema,
    io: 'input',
    description: 'POST /synthesize: JSON body. The 200 answer is audio/wav (RIFF/WAVE, PCM 16-bit mono).',
  },
  'tts.synthesize.voice_error': { schema: TtsVoiceErrorSchema, io: 'output', description: 'POST /synthesize: 400 body for an unknown voice, listing the voices.' },
  'trocr.analyze_writing.fields': {
    schema: TrocrAnalyzeFieldsSchema,
    io: 'input',
    description: 'POST /analyze_writing: the multipart text fields (the picture is the file part named "image").',
  },
  'trocr.analyze_writing.response': { schema: TrocrAnalyzeResponseSchema, io: 'output', description: 'POST /analyze_writing: 200 body.' },
  'common.health.response': {
    schema: ServiceHealthSchema,
    io: 'output',
    description: 'GET /health of every image: 200 only when the model is loaded and warm, 503 otherwise.',
  },
  'common.error': { schema: ServiceErrorSchema, io: 'output', description: 'Every 4xx/5xx body of every image.' },
};

/** The file name of a catalog entry. */
export function jsonSchemaFileName(name: string): string {
  return `${name}.schema.json`;
}

/** Renders every catalog entry: file name → file text (2-space JSON, trailing newline). */
export function renderJsonSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, entry] of Object.entries(JSON_SCHEMA_CATALOG)) {
    const generated = z.toJSONSchema(entry.schema, { io: entry.io, target: 'draft-2020-12' });
    const document = { ...generated, title: name, description: entry.description };
    files.set(jsonSchemaFileName(name), `${JSON.stringify(document, null, 2)}\n`);
  }
  return files;
}
