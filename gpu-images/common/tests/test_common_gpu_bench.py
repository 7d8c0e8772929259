"""scripts/gpu-bench.py at tiny size on the CPU: the script runs end to end (builds the random models, starts
each service in its own process, sends an open-loop load) and prints the documented tables (docs/benchmarks.md).
The figures themselves mean nothing here: only their format is checked."""
import math
import pathlib
import subprocess
import sys

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "gpu-bench.py"
RESULT_COLUMNS = ["service", "model", "setting", "rate/s", "sent", "ok", "failed", "gpu ms/req", "p50 ms", "p95 ms"]
CAPACITY_COLUMNS = ["service", "model", "setting", "gpu ms/req", "max rate/s under target"]
SETTING = "int8 beam1 batch-on w10"


def table(output, title):
    """The rows of the markdown table under `### <title>`, as lists of cells (the header row first)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"### {title}"))
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("### "):
            break
        if line.startswith("|") and not line.startswith("| ---"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_bench_runs_at_tiny_size_and_prints_its_documented_tables():
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--size", "tiny", "--whisper-settings", SETTING, "--rates", "2", "--duration", "1",
         "--warm-timeout", "600"],
        capture_output=True, text=True, timeout=1200,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith("# gpu-bench: size tiny, device cpu")

    requests = table(out.stdout, "requests")
    assert requests[0] == RESULT_COLUMNS
    assert [(r[0], r[2]) for r in requests[1:]] == [("whisper", SETTING), ("trocr", "fp32"), ("tts", "fp32 cache-off")]
    for cells in requests[1:]:
        rate, sent, ok, failed = float(cells[3]), int(cells[4]), int(cells[5]), int(cells[6])
        gpu_ms, p50, p95 = (float(c) for c in cells[7:10])  # "inf" and "nan" parse too
        assert rate == 2.0 and sent >= 1 and ok + failed == sent
        assert ok >= 1 and gpu_ms >= 0  # the busy header came back
        assert p50 <= p95 or math.isinf(p95)

    capacity = table(out.stdout, "capacity")
    assert capacity[0] == CAPACITY_COLUMNS
    assert len(capacity) == 4
    for cells in capacity[1:]:
        assert float(cells[3]) >= 0 and float(cells[4]) in (0.0, 2.0)  # the highest tested rate under target, or 0
