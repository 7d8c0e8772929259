"""Load an image's service over real HTTP and print requests/s and latency at 1, 4 and 16 concurrent clients.

    gpu-images/.venv/bin/python gpu-images/scripts/bench.py --image whisper --tiny            # CPU, tiny model
    python gpu-images/scripts/bench.py --image whisper --weights /models/whisper/faster-whisper-large-v3 \
        --device cuda                                                                          # a GPU host

With --tiny the model is a tiny random one of the real architecture (built in a temporary folder): the
figures are then what the service costs around the model (HTTP, multipart parsing, decoding, the queue),
the model's own share being small. With --weights the same load runs against the real model. Each client
sends its requests one after another (a closed loop); the service runs under uvicorn on 127.0.0.1 with its
production settings except the waiting room, sized to the largest client count so that no request is
refused (a refusal is counted, never timed). Model time and queue wait come from the service's /metrics.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import socket
import statistics
import sys
import tempfile
import threading
import time
from typing import Any, Callable, Dict, List, Tuple

HERE = pathlib.Path(__file__).resolve().parents[1]
for folder in ("common", "whisper", "tts", "trocr"):
    sys.path.insert(0, str(HERE / folder))


def whisper_case(args: argparse.Namespace, work: pathlib.Path):
    from bascule_testkit.audio_files import encode
    from whisper_service.app import create_app
    from whisper_service.engine import FasterWhisperEngine
    from whisper_service.settings import WhisperSettings

    model = args.weights or str(__import__("bascule_testkit.tiny_models", fromlist=["x"]).build_tiny_whisper(work))
    # A tiny random model never writes its end token: its decoding is capped at 32 tokens, about what a
    # child's short read gives, so that it costs what real decoding costs (the real model stops by itself).
    settings = WhisperSettings(model=model, device=args.device, compute_type="float32" if args.device == "cpu" else "float16",
                               local_files_only=True, max_new_tokens=None if args.weights else 32)
    audio = encode("webm", seconds=2.0)  # what a browser sends: a two-second WebM/Opus reading
    request = {"files": {"audio": ("lecture.webm", audio, "audio/webm")}, "data": {"language": "fr"}}
    return create_app(FasterWhisperEngine(settings), settings, common(args)), "/transcribe", request


def tts_case(args: argparse.Namespace, work: pathlib.Path):
    from tts_service.app import create_app
    from tts_service.engine import CoquiEngine
    from tts_service.settings import TtsSettings

    if args.weights:
        os.environ["TTS_HOME"] = args.weights
    else:
        from bascule_testkit.tiny_models import build_tiny_vits

        build_tiny_vits(work)
        os.environ["TTS_HOME"] = str(work)
    # The audio cache off: every request is synthesised (with it, the same sentence would be one synthesis).
    settings = TtsSettings(voices={"fr-female-clear": "tts_models/fr/css10/vits"}, device=args.device, cache_max_bytes=0)
    request = {"json": {"text": "Le petit chat boit du lait.", "voice": "fr-female-clear", "speed": 1.0}}
    return create_app(CoquiEngine(settings), settings, common(args)), "/synthesize", request


def trocr_case(args: argparse.Namespace, work: pathlib.Path):
    from bascule_testkit.handwriting import draw_a, page
    from bascule_testkit.helpers import png_bytes
    from trocr_service.app import create_app
    from trocr_service.engine import TrOcrEngine
    from trocr_service.settings import TrocrSettings

    model = args.weights or str(__import__("bascule_testkit.tiny_models", fromlist=["x"]).build_tiny_trocr(work))
    settings = TrocrSettings(model=model, device=args.device, local_files_only=True)
    image, draw = page()
    draw_a(draw, 250, 150)
    request = {"files": {"image": ("a.png", png_bytes(image), "image/png")}, "data": {"target_letter": "a"}}
    return create_app(TrOcrEngine(settings), settings, common(args)), "/analyze_writing", request


CASES: Dict[str, Callable] = {"whisper": whisper_case, "tts": tts_case, "trocr": trocr_case}


def common(args: argparse.Namespace):
    from bascule_common.settings import CommonSettings

    return CommonSettings(port=0, queue_concurrency=1, queue_max_waiting=max(args.clients), exit_on_load_failure=False,
                          max_inference_s=600.0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(app: Any) -> Tuple[Any, str]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"


def metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


async def level(base: str, route: str, request: Dict[str, Any], clients: int, per_client: int) -> Dict[str, float]:
    import httpx

    latencies: List[float] = []
    refused = 0
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        before = (await client.get("/metrics")).text

        async def one_client() -> None:
            nonlocal refused
            for _ in range(per_client):
                started = time.perf_counter()
                response = await client.post(route, **request)
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    refused += 1

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
        after = (await client.get("/metrics")).text
    done = metric(after, "bascule_inference_duration_seconds_count") - metric(before, "bascule_inference_duration_seconds_count")
    model_s = metric(after, "bascule_inference_duration_seconds_sum") - metric(before, "bascule_inference_duration_seconds_sum")
    wait_s = metric(after, "bascule_queue_wait_seconds_sum") - metric(before, "bascule_queue_wait_seconds_sum")
    latencies.sort()
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)] if latencies else float("nan")
    return {"clients": clients, "requests": clients * per_client, "refused": refused, "rps": len(latencies) / elapsed,
            "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"), "p95_ms": p95 * 1000,
            "model_ms": model_s / done * 1000 if done else float("nan"), "wait_ms": wait_s / done * 1000 if done else float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark one model image's service over HTTP.")
    parser.add_argument("--image", choices=sorted(CASES), required=True)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--tiny", action="store_true", help="a tiny random model of the real architecture (CPU)")
    source.add_argument("--weights", help="the real model's local folder (tts: the TTS_HOME holding tts/...)")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    parser.add_argument("--clients", default="1,4,16", help="concurrent clients per level")
    parser.add_argument("--requests", type=int, default=48, help="requests per level (split among the clients)")
    args = parser.parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    os.environ.setdefault("BASCULE_VERIFY_WEIGHTS", "true")
    from bascule_testkit.helpers import wait_until

    with tempfile.TemporaryDirectory() as tmp:
        app, route, request = CASES[args.image](args, pathlib.Path(tmp))
        server, base = start(app)
        import httpx

        wait_until(lambda: _healthy(httpx, base), timeout_s=600, what="the service to be warm")
        rows = []
        for clients in args.clients:
            asyncio.run(level(base, route, request, clients, max(1, args.requests // clients // 4)))  # warm the level
            rows.append(asyncio.run(level(base, route, request, clients, max(1, args.requests // clients))))
        server.should_exit = True
    load = os.getloadavg()
    source = args.weights or "tiny random model"
    print(f"\n{args.image} on {args.device}, {source}, {os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print("| clients | requests | refused | req/s | p50 ms | p95 ms | model ms (mean) | queue wait ms (mean) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['clients']} | {r['requests']} | {r['refused']} | {r['rps']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} "
              f"| {r['model_ms']:.0f} | {r['wait_ms']:.0f} |")


def _healthy(httpx: Any, base: str) -> bool:
    try:
        return httpx.get(base + "/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


if __name__ == "__main__":
    main()
