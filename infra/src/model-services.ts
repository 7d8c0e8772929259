// The model services each phase deploys on the GPU host, each as its image declares itself (image.json).
import { gpuHostsOf, type GpuHost, type StackConfig } from './config.ts';
import type { BuiltImage, ImageManifest, ModelImage } from './image-manifest.ts';
import type { Manifests } from './gateway-config.ts';
import { PHASES, reached, type Phase } from './phases.ts';
import { DOCKER_NETWORK, MODEL_CACHE_VOLUME, SERVICE_IDS } from './units.ts';
import type { ContainerServiceArgs } from './components/services.ts';

export interface ModelServiceSpec {
  image: ModelImage;
  phase: Phase;
  manifest: ImageManifest;
  source: ContainerServiceArgs['source'];
  unit: ContainerServiceArgs['unit'];
}


/**
 * llama.cpp's VRAM for Llama 3.1 8B at a context size: the 4-bit weights and compute buffers (about 5.5 GB)
 * plus the fp16 KV cache, 128 KiB per token (32 layers x 8 KV heads x 128 dims x K and V x 2 bytes), so
 * 8192 tokens give the plan's 6.5 GB and a longer context is counted in the GPU budget.
 */
export function llamaVramMb(contextSize: number): number {
  return 5_632 + Math.ceil((contextSize * 128) / 1024);
}

/** Each model container's RAM limit (its VRAM is counted by the GPU budget): weights load through RAM. */
export const MODEL_MEMORY: Readonly<Record<ModelImage, string>> = { llama: '8g', whisper: '8g', tts: '6g', trocr: '6g' };
/** Published on the GPU host's private address only: the gateways reach it through the tunnel. */
const publishOn = (privateAddress: string, port: number) => [`${privateAddress}:${port}:${port}`];

/** The Docker health check: the image's /health answers 200 only once the model is loaded and warm. */
const pythonHealth = (m: ImageManifest) =>
  `python3 -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:${m.port}${m.healthPath}', timeout=5).status == 200 else 1)"`;

function builtModel(config: StackConfig, privateAddress: string, m: ImageManifest & { image: BuiltImage }, phase: Phase, description: string): ModelServiceSpec {
  return {
    image: m.image,
    phase,
    manifest: m,
    // Pulled by digest when CI built it (bascule:images), else built on the host.
    source: config.images[m.image] ? { kind: 'pull', name: config.images[m.image]! } : { kind: 'build', context: m.buildContext, dockerfile: m.dockerfile, target: m.target, tag: `bascule/${m.image}:local` },
    unit: {
      name: m.image,
      description,
      gpu: true,
      network: DOCKER_NETWORK,
      publish: publishOn(privateAddress, m.port),
      memory: MODEL_MEMORY[m.image],
      cpus: '4',
      // The weights live in a named volume: a restart does not download them again.
      volumes: [`${MODEL_CACHE_VOLUME}:${m.cachePath}`],
      env: { ...m.env, HF_HOME: `${m.cachePath}/huggingface` },
      user: m.user,
      stopTimeoutS: m.stopTimeoutS,
      healthCmd: pythonHealth(m),
      // A first start downloads the weights into the cache (about 3 GB for large-v3).
      healthStartPeriodS: 900,
    },
  };
}

/** Every model service the stack's phase calls for, in phase order, published on `privateAddress` (default: the first GPU host's). */
export function modelServicesFor(config: StackConfig, images: Manifests, phase: Phase = config.phase, privateAddress = gpuHostsOf(config)[0]!.privateAddress): ModelServiceSpec[] {
  const all: ModelServiceSpec[] = [];
  if (config.llm.selfHosted) {
    const m = images.llama;
    all.push({
      image: 'llama',
      phase: 'llm',
      manifest: { ...m, vramMb: llamaVramMb(config.llm.contextSize), source: 'estimate' },
      source: { kind: 'pull', name: config.llm.image },
      unit: {
        name: 'llama',
        description: 'llama.cpp server (Llama 3.1 8B, 4-bit GGUF)',
        gpu: true,
        network: DOCKER_NETWORK,
        publish: publishOn(privateAddress, m.port),
        memory: MODEL_MEMORY.llama,
        cpus: '4',
        // The same user as the other model images: the shared cache stays writable by all of them.
        user: SERVICE_IDS,
        volumes: [`${MODEL_CACHE_VOLUME}:/models`],
        env: { LLAMA_CACHE: '/models/llama.cpp' },
        // --ctx-size bounds the context (and so the KV cache counted in the GPU budget).
        args: ['-hf', config.llm.hfModel, '--ctx-size', String(config.llm.contextSize), '--n-gpu-layers', '999', '--host', '0.0.0.0', '--port', String(m.port), '--parallel', '4'],
        // llama-server answers /health with 503 while it loads the model, 200 once it can serve.
        healthCmd: `curl -fsS http://127.0.0.1:${m.port}/health`,
        healthStartPeriodS: 900,
      },
    });
  }
  all.push(builtModel(config, privateAddress, { ...images.whisper, image: 'whisper' }, 'stt', 'faster-whisper large-v3 (fp16)'));
  all.push(builtModel(config, privateAddress, { ...images.tts, image: 'tts' }, 'tts', 'Coqui TTS (French voices)'));
  all.push(builtModel(config, privateAddress, { ...images.trocr, image: 'trocr' }, 'vision', 'TrOCR (handwritten)'));
  return all.filter((spec) => reached(phase, spec.phase)).sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
}

/** The model services one GPU host runs: the phase's, those its `models` lists (all of them when left out). */
export function modelServicesOn(config: StackConfig, images: Manifests, host: GpuHost): ModelServiceSpec[] {
  return modelServicesFor(config, images, config.phase, host.privateAddress).filter((m) => host.models === undefined || host.models.includes(m.image));
}
