// Fixed colours per provider (distinguishable for common colour-vision deficiencies: Okabe–Ito).
const COLOURS: Record<string, string> = {
  huggingface: '#E69F00',
  groq: '#0072B2',
  'vps-llm': '#009E73',
  'openai-whisper': '#E69F00',
  'faster-whisper': '#0072B2',
  'web-speech': '#E69F00',
  coqui: '#0072B2',
  easyocr: '#E69F00',
  trocr: '#0072B2',
};
const FALLBACK = ['#CC79A7', '#56B4E9', '#D55E00', '#009E73', '#000000'];

export function providerColour(provider: string): string {
  const known = COLOURS[provider];
  if (known) return known;
  let hash = 0;
  for (const ch of provider) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return FALLBACK[hash % FALLBACK.length] ?? '#000000';
}
