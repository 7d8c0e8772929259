// The model services each phase deploys on the GPU host.
import type { StackConfig } from './config.ts';
import type { ModelImage } from './gpu-budget.ts';
import { LLAMA_PORT, MODEL_PORT } from './gateway-config.ts';
import { PHASES, reached, type Phase } from './phases.ts';
import { DOCKER_NETWORK, MODEL_CACHE_VOLUME } from './units.ts';
import type { ContainerServiceArgs } from './components/services.ts';

export interface ModelServiceSpec {
  image: ModelImage;
  phase: Phase;
  source: ContainerServiceArgs['source'];
  unit: ContainerServiceArgs['unit'];
}

/** llama.cpp's published CUDA server image. */
export const LLAMA_IMAGE = 'ghcr.io/ggml-org/llama.cpp:server-cuda';

const pythonHealth = (port: number) => `python3 -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:${port}/health', timeout=5).status == 200 else 1)"`;

function modelImage(image: 'whisper' | 'tts' | 'trocr', phase: Phase, description: string): ModelServiceSpec {
  return {
    image,
    phase,
    source: { kind: 'build', context: `gpu-images/${image}`, tag: `bascule/${image}:local` },
    unit: {
      name: image,
      description,
      gpu: true,
      network: DOCKER_NETWORK,
      // The weights live in a named volume: a restart does not download them again.
      volumes: [`${MODEL_CACHE_VOLUME}:/models`],
      env: { HF_HOME: '/models/huggingface', MODEL_CACHE_DIR: '/models', PORT: String(MODEL_PORT) },
      healthCmd: pythonHealth(MODEL_PORT),
    },
  };
}

/** Every model service the stack's phase calls for, in phase order. */
export function modelServicesFor(config: StackConfig, phase: Phase = config.phase): ModelServiceSpec[] {
  const all: ModelServiceSpec[] = [];
  if (config.llm.selfHosted) {
    all.push({
      image: 'llama',
      phase: 'llm',
      source: { kind: 'pull', name: LLAMA_IMAGE },
      unit: {
        name: 'llama',
        description: 'llama.cpp server (Llama 3.1 8B, 4-bit GGUF)',
        gpu: true,
        network: DOCKER_NETWORK,
        volumes: [`${MODEL_CACHE_VOLUME}:/models`],
        env: { LLAMA_CACHE: '/models/llama.cpp' },
        args: ['-hf', config.llm.hfModel, '--ctx-size', String(config.llm.contextSize), '--n-gpu-layers', '999', '--host', '0.0.0.0', '--port', String(LLAMA_PORT), '--parallel', '4'],
      },
    });
  }
  all.push(modelImage('whisper', 'stt', 'faster-whisper large-v3 (fp16)'));
  all.push(modelImage('tts', 'tts', 'Coqui TTS (French voices)'));
  all.push(modelImage('trocr', 'vision', 'TrOCR (handwritten)'));
  return all.filter((spec) => reached(phase, spec.phase)).sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
}
