"""Open-loop benchmark of the model images on random models of the production architectures: no weights needed.

    gpu-images/.venv/bin/python gpu-images/scripts/gpu-bench.py --size tiny           # CPU, seconds: checks the script
    python gpu-images/scripts/gpu-bench.py --size full --device cuda                     # a GPU host: the capacity table

A random model of the same architecture as the real one costs the GPU the same time for the same number of
tokens: `--size full` builds a random Whisper large-v3 and large-v3-turbo (converted to CTranslate2, as the real
weights are), a random TrOCR-base (ViT-base encoder at 384 px, 12-layer decoder, RoBERTa's vocabulary) and a
random VITS of Coqui's recipe shape, and forces their decoding to a realistic length (`--tokens` for Whisper:
a random Whisper never writes its end token; TrOCR's minimum new tokens = its maximum). `--size tiny` builds
the tiny models of the tests instead.

Each service runs in its own process (uvicorn, the image's production code, the GPU queue with room for
every request) and receives an OPEN-LOOP load: Poisson arrivals at each `--rates` value for `--duration`
seconds, whatever the answers' speed, with Whisper clips of 1 to 3 s of voice-like audio. For each setting
and rate the script prints the model's compute time per request (the services' `X-Bascule-Busy-Ms` header),
the p50 and p95 latency seen by the client (a refused or failed request counts as infinitely slow), and per
setting the highest rate whose p95 stays under `--target-ms` (400 ms): see docs/benchmarks.md for the format.
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import math
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

HERE = pathlib.Path(__file__).resolve().parents[1]
for folder in ("common", "whisper", "tts", "trocr"):
    sys.path.insert(0, str(HERE / folder))

RESULT_COLUMNS = ("service", "model", "setting", "rate/s", "sent", "ok", "failed", "gpu ms/req", "p50 ms", "p95 ms")
CAPACITY_COLUMNS = ("service", "model", "setting", "gpu ms/req", "max rate/s under target")


@dataclass(frozen=True)
class Setting:
    """One configuration of one service: what the table's `setting` column names."""

    service: str
    name: str
    model: str  # the architecture: large-v3, large-v3-turbo, base, full, tiny
    options: Dict[str, Any] = field(default_factory=dict)


# Whisper: the configuration of the paper figures first, then one change at a time towards the fastest.
WHISPER_PRESETS = [
    ("fp16 beam5 batch-off w30", "large-v3", dict(compute="fp16", beam=5, batch=False, window=30)),
    ("int8 beam1 batch-off w30", "large-v3-turbo", dict(compute="int8", beam=1, batch=False, window=30)),
    ("int8 beam1 batch-on w30", "large-v3-turbo", dict(compute="int8", beam=1, batch=True, window=30)),
    ("int8 beam1 batch-on w10", "large-v3-turbo", dict(compute="int8", beam=1, batch=True, window=10)),
]


def whisper_settings(matrix: str, only: Optional[List[str]]) -> List[Setting]:
    if matrix == "full":  # every combination, on both models
        presets = [(f"{c} beam{b} batch-{'on' if on else 'off'} w{w}", m, dict(compute=c, beam=b, batch=on, window=w))
                   for m in ("large-v3", "large-v3-turbo") for c in ("fp16", "int8") for b in (5, 1)
                   for on in (False, True) for w in (30, 10)]
    else:
        presets = WHISPER_PRESETS
    chosen = [Setting("whisper", name, model, options) for name, model, options in presets]
    return [s for s in chosen if only is None or s.name in only]


def compute_type(label: str, device: str) -> str:
    """fp16/int8 as CTranslate2 names them on this device (the CPU has no float16 kernels)."""
    if device == "cpu":
        return "float32" if label == "fp16" else "int8_float32"
    return "float16" if label == "fp16" else "int8_float16"


# ---------------------------------------------------------------- models

def build_models(settings: List[Setting], size: str, work: pathlib.Path) -> Dict[str, str]:
    """Where each (service, architecture) was built: random weights, built once."""
    from bascule_testkit import tiny_models

    built: Dict[str, str] = {}
    for s in settings:
        key = f"{s.service}:{s.model}"
        if key in built:
            continue
        started = time.perf_counter()
        if s.service == "whisper":
            arch = "tiny" if size == "tiny" else s.model
            path = tiny_models.build_random_whisper(work / f"whisper-{arch}", arch, "float32" if size == "tiny" else "float16")
        elif s.service == "trocr":
            path = tiny_models.build_random_trocr(work / f"trocr-{s.model}", "tiny" if size == "tiny" else "base",
                                                  min_new_tokens=s.options["tokens"])
        else:
            home = work / f"tts-{s.model}"
            tiny_models.build_random_vits(home, "tiny" if size == "tiny" else "full")
            path = home
        built[key] = str(path)
        print(f"# built {key} ({size}) in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return built


# ---------------------------------------------------------------- one service, in its own process

def serve(spec: Dict[str, Any]) -> None:
    """The child process: the service's app with its production code around the built model, under uvicorn."""
    import uvicorn

    from bascule_common.settings import CommonSettings

    os.environ["BASCULE_VERIFY_WEIGHTS"] = "true"
    common = CommonSettings(port=spec["port"], queue_concurrency=1, queue_max_waiting=1000, exit_on_load_failure=True,
                            max_inference_s=30.0)
    service, options, device = spec["service"], spec["options"], spec["device"]
    if service == "whisper":
        from whisper_service.app import create_app
        from whisper_service.engine import FasterWhisperEngine
        from whisper_service.settings import WhisperSettings

        settings = WhisperSettings(model=spec["model_path"], device=device, compute_type=compute_type(options["compute"], device),
                                   local_files_only=True, beam_size=options["beam"], batch=options["batch"],
                                   encoder_window_s=options["window"], max_new_tokens=spec["tokens"])
        app = create_app(FasterWhisperEngine(settings), settings, common)
    elif service == "trocr":
        from trocr_service.app import create_app
        from trocr_service.engine import TrOcrEngine
        from trocr_service.settings import TrocrSettings

        settings = TrocrSettings(model=spec["model_path"], device=device, local_files_only=True, max_new_tokens=options["tokens"])
        app = create_app(TrOcrEngine(settings), settings, common)
    else:
        from tts_service.app import create_app
        from tts_service.engine import CoquiEngine
        from tts_service.settings import TtsSettings

        os.environ["TTS_HOME"] = spec["model_path"]
        settings = TtsSettings(voices={"fr-female-clear": "tts_models/fr/css10/vits"}, device=device, cache_max_bytes=0)
        app = create_app(CoquiEngine(settings), settings, common)
    uvicorn.run(app, host="127.0.0.1", port=spec["port"], log_level="warning", access_log=False)


class ServiceProcess:
    def __init__(self, setting: Setting, model_path: str, args: argparse.Namespace) -> None:
        from bench import free_port

        self.port = free_port()
        spec = {"service": setting.service, "options": setting.options, "model_path": model_path, "device": args.device,
                "port": self.port, "tokens": args.tokens}
        self.log = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a chatty child never blocks on it
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", json.dumps(spec)],
                                        stdout=subprocess.DEVNULL, stderr=self.log, text=True)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_warm(self, timeout_s: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"the service exited ({self.process.returncode}): {self.log.read()[-2000:]}")
            try:
                if httpx.get(self.base + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the service did not get warm in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


# ---------------------------------------------------------------- requests and the open loop

def whisper_requests(count: int, seed: int) -> List[Dict[str, Any]]:
    """WAV clips of 1 to 3 s of voice-like audio (the VAD keeps it: the model runs), as a browser's upload."""
    import soundfile

    from bascule_testkit.audio_files import voiced

    rng = random.Random(seed)
    requests = []
    for i in range(count):
        buf = io.BytesIO()
        soundfile.write(buf, voiced(rng.uniform(1.0, 3.0), f0=rng.uniform(120, 260), seed=i), 16000, format="WAV", subtype="PCM_16")
        requests.append({"files": {"audio": ("lecture.wav", buf.getvalue(), "audio/wav")}, "data": {"language": "fr"}})
    return requests


def trocr_requests(count: int, seed: int) -> List[Dict[str, Any]]:
    from bascule_testkit.handwriting import draw_a, page
    from bascule_testkit.helpers import png_bytes

    image, draw = page()
    draw_a(draw, 250, 150)
    return [{"files": {"image": ("a.png", png_bytes(image), "image/png")}, "data": {"target_letter": "a"}}] * count


SENTENCES = ["Le petit chat boit du lait.", "maison", "Le loup court dans la forêt.", "une fleur", "Papa lit un livre.",
             "la lune", "Il fait beau aujourd'hui.", "le vélo rouge"]


def tts_requests(count: int, seed: int) -> List[Dict[str, Any]]:
    return [{"json": {"text": SENTENCES[i % len(SENTENCES)], "voice": "fr-female-clear", "speed": 1.0}} for i in range(count)]


ROUTES = {"whisper": "/transcribe", "trocr": "/analyze_writing", "tts": "/synthesize"}
REQUESTS = {"whisper": whisper_requests, "trocr": trocr_requests, "tts": tts_requests}


def arrivals(rate: float, duration_s: float, seed: int) -> List[float]:
    """Poisson arrival times (seconds from the start): exponential gaps of mean 1/rate, at least one request."""
    rng = random.Random(seed)
    times, t = [], rng.expovariate(rate)
    while t < duration_s:
        times.append(t)
        t += rng.expovariate(rate)
    return times or [0.0]


async def open_loop(base: str, route: str, requests: List[Dict[str, Any]], times: List[float], timeout_s: float) -> List[Dict[str, float]]:
    """Send request i at times[i] whatever happened to the others; (latency s or inf, busy ms or nan) per request."""
    import httpx

    limits = httpx.Limits(max_connections=len(times) + 1, max_keepalive_connections=len(times) + 1)
    async with httpx.AsyncClient(base_url=base, timeout=timeout_s, limits=limits) as client:
        loop = asyncio.get_running_loop()
        start = loop.time()

        async def one(i: int, at: float) -> Dict[str, float]:
            await asyncio.sleep(max(0.0, start + at - loop.time()))
            sent = time.perf_counter()
            try:
                response = await client.post(route, **requests[i % len(requests)])
            except httpx.HTTPError:
                return {"latency_s": math.inf, "busy_ms": math.nan}
            latency = time.perf_counter() - sent
            if response.status_code != 200:
                return {"latency_s": math.inf, "busy_ms": math.nan}
            return {"latency_s": latency, "busy_ms": float(response.headers.get("x-bascule-busy-ms", "nan"))}

        return await asyncio.gather(*(one(i, at) for i, at in enumerate(times)))


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summarise(results: List[Dict[str, float]]) -> Dict[str, float]:
    latencies = [r["latency_s"] * 1000 for r in results]
    busy = [r["busy_ms"] for r in results if not math.isnan(r["busy_ms"])]
    ok = len(busy)
    return {"sent": len(results), "ok": ok, "failed": len(results) - ok,
            "gpu_ms": sum(busy) / ok if ok else math.nan,
            "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95)}


# ---------------------------------------------------------------- the run

def fmt(value: float) -> str:
    return "inf" if math.isinf(value) else "nan" if math.isnan(value) else f"{value:.1f}"


def row(cells: List[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def run(args: argparse.Namespace) -> None:
    tokens_trocr = 4  # a letter or a short word
    settings = [s for s in whisper_settings(args.matrix, args.whisper_settings) if "whisper" in args.services]
    if "trocr" in args.services:
        settings.append(Setting("trocr", "fp32", "base", {"tokens": tokens_trocr}))
    if "tts" in args.services:
        settings.append(Setting("tts", "fp32 cache-off", "full"))
    print(f"# gpu-bench: size {args.size}, device {args.device} ({device_name(args.device)}), {os.cpu_count()} CPUs, "
          f"rates {args.rates} /s for {args.duration} s each, whisper {args.tokens} tokens/clip, target p95 < {args.target_ms:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        built = build_models(settings, args.size, pathlib.Path(tmp))
        rows, capacity = [], []
        for setting in settings:
            model = setting.model if args.size == "full" else f"tiny ({setting.model})"
            service = ServiceProcess(setting, built[f"{setting.service}:{setting.model}"], args)
            try:
                service.wait_warm(args.warm_timeout)
                requests = REQUESTS[setting.service](16, args.seed)
                best, gpu = 0.0, []
                for rate in args.rates:
                    times = arrivals(rate, args.duration, args.seed)
                    stats = summarise(asyncio.run(open_loop(service.base, ROUTES[setting.service], requests, times, args.timeout)))
                    rows.append(row([setting.service, model, setting.name, fmt(rate), str(stats["sent"]), str(stats["ok"]),
                                     str(stats["failed"]), fmt(stats["gpu_ms"]), fmt(stats["p50_ms"]), fmt(stats["p95_ms"])]))
                    if not math.isnan(stats["gpu_ms"]):
                        gpu.append(stats["gpu_ms"])
                    if stats["p95_ms"] < args.target_ms:
                        best = max(best, rate)
                capacity.append(row([setting.service, model, setting.name, fmt(sum(gpu) / len(gpu) if gpu else math.nan), fmt(best)]))
            finally:
                service.stop()
    print("\n### requests\n")
    print(row(list(RESULT_COLUMNS)))
    print(row(["---"] * len(RESULT_COLUMNS)))
    print("\n".join(rows))
    print(f"\n### capacity (target p95 < {args.target_ms:.0f} ms; 0: no tested rate met it)\n")
    print(row(list(CAPACITY_COLUMNS)))
    print(row(["---"] * len(CAPACITY_COLUMNS)))
    print("\n".join(capacity))


def device_name(device: str) -> str:
    if device == "cpu":
        return "CPU"
    try:
        import torch

        return torch.cuda.get_device_name(0)
    except Exception:
        return "unknown GPU"


def main() -> None:
    parser = argparse.ArgumentParser(description="Open-loop benchmark of the model images on random full-size models.")
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # the child process: one service
    parser.add_argument("--size", choices=("tiny", "full"), default="full")
    parser.add_argument("--device", default=None, help="cpu or cuda (default: cuda for --size full, cpu for tiny)")
    parser.add_argument("--services", default="whisper,trocr,tts")
    parser.add_argument("--matrix", choices=("presets", "full"), default="presets",
                        help="whisper settings: the four presets, or every fp16/int8 x beam 5/1 x batch x window combination")
    parser.add_argument("--whisper-settings", help="comma-separated preset names to keep")
    parser.add_argument("--rates", default="2,5,10,20,40", help="arrival rates, requests per second")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of arrivals per rate")
    parser.add_argument("--tokens", type=int, default=24, help="tokens Whisper decodes per clip (a 2 s read: about 24)")
    parser.add_argument("--target-ms", type=float, default=400.0)
    parser.add_argument("--timeout", type=float, default=30.0, help="client timeout per request (s)")
    parser.add_argument("--warm-timeout", type=float, default=900.0, help="seconds a service may take to load and warm up")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.serve:
        serve(json.loads(args.serve))
        return
    args.device = args.device or ("cpu" if args.size == "tiny" else "cuda")
    args.services = [s for s in args.services.split(",") if s]
    unknown = set(args.services) - set(ROUTES)
    if unknown:
        parser.error(f"--services: unknown {', '.join(sorted(unknown))} (expected whisper, trocr, tts)")
    args.rates = [float(r) for r in args.rates.split(",")]
    args.whisper_settings = args.whisper_settings.split(",") if args.whisper_settings else None
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))  # bench.py's helpers
    run(args)


if __name__ == "__main__":
    main()
