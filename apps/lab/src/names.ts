// The upstreams the lab stands in for: the design's provider ids, less `web-speech` (it runs in the browser).
export const UPSTREAM_NAMES = ['huggingface', 'groq', 'vps-llm', 'openai-whisper', 'faster-whisper', 'coqui', 'easyocr', 'trocr'] as const;
export type UpstreamName = (typeof UPSTREAM_NAMES)[number];

export function isUpstreamName(value: string): value is UpstreamName {
  return (UPSTREAM_NAMES as readonly string[]).includes(value);
}
