"""The shared service: warm-up gating of /health, errors, queue limits, metrics, logging and shutdown."""
import io
import json
import logging
import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from starlette.requests import Request
from starlette.responses import JSONResponse

from bascule_common.app import ServiceContext, create_service_app
from bascule_common.jsonlog import configure_logging
from bascule_common.settings import CommonSettings
from bascule_testkit.contracts import assert_matches
from bascule_testkit.engines import GatedFakeEngine
from bascule_testkit.helpers import run_in_threads, wait_until, wait_warm
from bascule_testkit.service_behaviour import assert_health_waits_for_warm_up


class EchoEngine(GatedFakeEngine):
    model_name = "echo-1"

    def echo(self, text: str) -> str:
        self._enter_inference(text=text)
        if text == "boom":
            raise RuntimeError("CUDA error: an illegal memory access")
        return text.upper()


def routes(app: FastAPI, ctx: ServiceContext) -> None:
    @app.post("/echo")
    async def echo(request: Request) -> JSONResponse:
        text = (await request.body()).decode()
        return JSONResponse({"text": await ctx.infer(ctx.engine.echo, text, request=request)})

    @app.get("/crash")
    async def crash() -> JSONResponse:
        raise ValueError("a bug")


def make(engine=None, max_waiting=1, **kw):
    engine = engine or EchoEngine()
    settings = CommonSettings(port=0, queue_concurrency=1, queue_max_waiting=max_waiting, shutdown_grace_s=5, exit_on_load_failure=False)
    return engine, create_service_app("echo", engine, settings, routes, **kw)


def test_health_is_503_while_loading_then_200_once_warm():
    engine, app = make(EchoEngine(hold_load=True))
    assert_health_waits_for_warm_up(engine, app)
    assert engine.warmed and engine.model_name == "echo-1"


def test_a_loaded_but_not_yet_warm_model_is_still_503():
    engine, app = make(EchoEngine(hold_warmup=True))
    with TestClient(app) as client:
        wait_until(lambda: engine.loaded, what="the model to load")
        response = client.get("/health")
        assert response.status_code == 503 and response.json()["warm"] is False
        assert client.post("/echo", content=b"hi").json()["error"]["code"] == "model_not_ready"
        engine.warmup_gate.set()
        wait_warm(client)
        assert client.post("/echo", content=b"hi").json() == {"text": "HI"}


def test_inference_before_warm_is_503_model_not_ready():
    engine, app = make(EchoEngine(hold_load=True))
    with TestClient(app) as client:
        response = client.post("/echo", content=b"hi")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "model_not_ready"
        assert_matches("common.error", response.json())
        engine.load_gate.set()


def test_load_failure_reports_error_and_calls_the_failure_hook():
    seen = []
    engine, app = make(EchoEngine(fail_load=RuntimeError("no CUDA device")), on_load_failure=seen.append)
    with TestClient(app) as client:
        assert app.state.context.runtime.wait_loaded(10)
        response = client.get("/health")
        assert response.status_code == 503
        assert "no CUDA device" in response.json()["error"]
        assert_matches("common.health.response", response.json())
        assert len(seen) == 1 and isinstance(seen[0], RuntimeError)


def test_load_and_inference_run_on_the_same_gpu_thread():
    engine, app = make()
    with TestClient(app) as client:
        wait_warm(client)
        assert client.post("/echo", content=b"hi").json() == {"text": "HI"}
        assert len(set(engine.threads)) == 1 and engine.threads[0].startswith("gpu")


def test_queue_full_is_503_with_retry_after_and_admitted_requests_complete():
    engine, app = make(max_waiting=1)
    results = []
    with TestClient(app) as client:
        wait_warm(client)
        engine.inference_gate.clear()
        threads = run_in_threads([lambda: results.append(client.post("/echo", content=b"a")),
                                  lambda: results.append(client.post("/echo", content=b"b"))])
        queue = app.state.context.queue
        wait_until(lambda: queue.admitted == 2, what="two admitted requests")
        refused = client.post("/echo", content=b"c")
        assert refused.status_code == 503
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.json()["error"]["code"] == "queue_full"
        assert_matches("common.error", refused.json())
        engine.inference_gate.set()
        for t in threads:
            t.join(10)
        assert sorted(r.json()["text"] for r in results) == ["A", "B"]
        metrics = client.get("/metrics").text
        assert "bascule_queue_rejected_total 1.0" in metrics


def test_engine_failure_is_a_contract_500_and_the_service_keeps_serving():
    engine, app = make()
    with TestClient(app) as client:
        wait_warm(client)
        failed = client.post("/echo", content=b"boom")
        assert failed.status_code == 500
        assert failed.json()["error"]["code"] == "inference_failed"
        assert_matches("common.error", failed.json())
        assert client.post("/echo", content=b"ok").status_code == 200


def test_unhandled_bug_and_unknown_route_answer_the_error_contract():
    engine, app = make()
    with TestClient(app, raise_server_exceptions=False) as client:
        crash = client.get("/crash")
        assert crash.status_code == 500
        assert_matches("common.error", crash.json())
        missing = client.get("/nope")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        assert_matches("common.error", missing.json())


def test_metrics_exposition_parses_and_counts_requests():
    engine, app = make()
    with TestClient(app) as client:
        wait_warm(client)
        client.post("/echo", content=b"x")
        response = client.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        families = {f.name: f for f in text_string_to_metric_families(response.text)}
        for name in ("bascule_requests", "bascule_request_duration_seconds", "bascule_inference_duration_seconds",
                     "bascule_inference_inflight", "bascule_queue_waiting", "bascule_model_load_seconds",
                     "bascule_model_ready", "bascule_gpu_memory_bytes"):
            assert name in families, name
        echo = [s for s in families["bascule_requests"].samples
                if s.labels.get("route") == "/echo" and s.name.endswith("_total")]
        assert echo and echo[0].labels["status"] == "200" and echo[0].value == 1
        assert families["bascule_model_ready"].samples[0].value == 1
        memory = {(s.labels["kind"], s.labels["source"]): s.value for s in families["bascule_gpu_memory_bytes"].samples}
        # Whole card and this process's allocator: two labelled figures, never one mixed number.
        assert memory == {("card_used", "nvml"): 987_654_321, ("process_reserved", "torch"): 123_456_789}


def test_request_id_is_echoed_or_generated():
    engine, app = make()
    with TestClient(app) as client:
        assert client.get("/health", headers={"x-request-id": "abc"}).headers["x-request-id"] == "abc"
        assert len(client.get("/health").headers["x-request-id"]) == 32


def test_shutdown_refuses_new_work_and_frees_the_model():
    engine, app = make()
    with TestClient(app) as client:
        wait_warm(client)
    assert engine.closed
    assert app.state.context.runtime.draining
    status, body = app.state.context.runtime.health()
    assert status == 503 and body["status"] == "error" and body["draining"] is True


def test_request_log_lines_are_json_without_bodies():
    stream = io.StringIO()
    handler = configure_logging("echo", "INFO", stream)
    try:
        engine, app = make()
        with TestClient(app) as client:
            wait_warm(client)
            client.post("/echo", content=b"secret-child-words")
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        request_lines = [line for line in lines if line["msg"] == "request" and line["method"] == "POST"]
        assert request_lines and request_lines[0]["path"] == "/echo" and request_lines[0]["status"] == 200
        assert request_lines[0]["service"] == "echo" and "duration_ms" in request_lines[0]
        assert "secret-child-words" not in stream.getvalue()
    finally:
        logging.getLogger().removeHandler(handler)


def test_health_fails_while_a_worker_is_stuck_past_its_deadline():
    engine, app = make()
    with TestClient(app) as client:
        wait_warm(client)
        queue = app.state.context.queue
        assert client.get("/health").status_code == 200
        queue._clock = lambda: time.monotonic() + 3600  # an hour later, a request is still running...
        from bascule_common.gpu_queue import Ticket

        queue._running.append(Ticket(deadline=time.monotonic()))
        stuck = client.get("/health")
        assert stuck.status_code == 503 and "stuck" in stuck.json()["error"]
        assert_matches("common.health.response", stuck.json())
        queue._running.clear()
        assert client.get("/health").status_code == 200


def test_the_gateways_deadline_header_is_capped_and_checked():
    engine, app = make()
    context = app.state.context

    class FakeRequest:
        def __init__(self, value):
            self.headers = {} if value is None else {"X-Bascule-Deadline-Ms": value}

    assert context.deadline_s(FakeRequest(None)) == context.settings.max_inference_s
    assert context.deadline_s(FakeRequest("1500")) == 1.5
    assert context.deadline_s(FakeRequest("999999999")) == context.settings.max_inference_s
    from bascule_common.errors import ServiceError

    with pytest.raises(ServiceError) as bad:
        context.deadline_s(FakeRequest("soon"))
    assert bad.value.field == "X-Bascule-Deadline-Ms"


def test_a_request_past_its_deadline_gets_a_504_and_the_queued_one_never_runs():
    engine, app = make()
    engine.inference_gate.clear()
    with TestClient(app) as client:
        wait_warm(client)
        first = run_in_threads([lambda: client.post("/echo", content=b"first", headers={"X-Bascule-Deadline-Ms": "30000"})])
        engine.inference_started.acquire(timeout=10)
        late = client.post("/echo", content=b"late", headers={"X-Bascule-Deadline-Ms": "200"})
        assert late.status_code == 504 and late.json()["error"]["code"] == "deadline_exceeded"
        assert_matches("common.error", late.json())
        engine.inference_gate.set()
        first[0].join(10)
        wait_until(lambda: app.state.context.queue.admitted == 0, 10, "the queue to empty")
        assert [c["text"] for c in engine.calls] == ["first"]
