// Which model services a phase deploys: the GPU hosts' placement is checked against it (config.ts) before
// model-services.ts builds them.
import { MODEL_IMAGES, type ModelImage } from './image-manifest.ts';
import { reached, type Phase } from './phases.ts';

/** The phase each model service arrives with. */
const ARRIVES_WITH: Readonly<Record<ModelImage, Phase>> = { llama: 'llm', whisper: 'stt', tts: 'tts', trocr: 'vision' };

/** The model services a phase deploys (llama only when the llm is self-hosted). */
export function phaseModelImages(phase: Phase, llmSelfHosted: boolean): ModelImage[] {
  return MODEL_IMAGES.filter((image) => (image !== 'llama' || llmSelfHosted) && reached(phase, ARRIVES_WITH[image]));
}
