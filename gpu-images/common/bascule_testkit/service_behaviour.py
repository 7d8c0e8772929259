"""What every image's service does over HTTP, written once and run against each image.

Each image's tests/test_<image>_http.py subclasses ServiceBehaviour as `Test<Image>Service` and fills in how to
build its app around a fake engine, its route and its requests. The checks then run in that image's own test
run (and so in its Nx project, which `nx affected` picks when the image's service changes), against its app:
/health before and after warm-up, the contract fixtures, 4xx naming the field, 415 on the wrong media type,
503 + Retry-After when the GPU queue is full, the request and inference metrics, and the busy time the
gateway's capacity forecast reads (the `X-Bascule-Busy-Ms` header, `bascule_model_busy_seconds_total`,
`bascule_model_utilisation`).
"""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest
from fastapi.testclient import TestClient

from .contracts import assert_matches, fixtures
from .helpers import run_in_threads, serve, wait_warm

BUSY_HEADER = "x-bascule-busy-ms"  # libs/contracts: SERVICE_BUSY_HEADER, lower-cased as httpx gives it


def metric_value(text: str, name: str) -> float:
    """The value of an unlabelled sample in Prometheus text; AssertionError when it is absent."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")

# (case, keyword arguments of client.post to the route, expected status, the field the error must name)
BadRequest = Tuple[str, Dict[str, Any], int, str]


def multipart_without_file(field: str, value: str) -> Dict[str, Any]:
    """client.post arguments for a multipart body holding one text field and no file at all."""
    body = f'--b\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n{value}\r\n--b--\r\n'.encode()
    return {"headers": {"content-type": "multipart/form-data; boundary=b"}, "content": body}


def assert_refused(response: Any, engine: Any, status: int, field: str) -> None:
    """A clear 4xx: the status, a contract error body naming the field (code and message), the model untouched."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["field"] == field and field in error["message"], error
    assert_matches("common.error", response.json())
    assert engine.calls == []


def assert_health_waits_for_warm_up(engine: Any, app: Any) -> None:
    """/health is 503 `loading` while the engine's load gate is held, then 200 `ok` and warm once released,
    naming the engine's model both times; every body matches the contract."""
    with TestClient(app) as client:
        loading = client.get("/health")
        assert loading.status_code == 503
        assert loading.json()["status"] == "loading" and loading.json()["warm"] is False
        assert_matches("common.health.response", loading.json())
        engine.load_gate.set()
        wait_warm(client)
        ready = client.get("/health")
        assert ready.status_code == 200
        assert ready.json()["status"] == "ok" and ready.json()["warm"] is True
        assert ready.json()["model"] == loading.json()["model"] == engine.model_name
        assert_matches("common.health.response", ready.json())


def warm_fixture(make: Any) -> Any:
    """A pytest fixture (assign it to `warm` in a test module) giving (engine, client) once make()'s app is warm."""

    @pytest.fixture
    def warm():
        engine, app = make()
        with serve(app) as client:
            yield engine, client

    return warm


class ServiceBehaviour:
    """Subclass as Test<Image>Service; the attributes and methods below without a body are the image's part."""

    service: str  # the image's name: its fixtures folder in libs/contracts and its service label in the metrics
    route: str  # the one inference route, e.g. "/transcribe"
    fake_engine: type  # a GatedFakeEngine subclass with the image's inference method
    request_fixtures: str  # the contract's fixtures of requests, e.g. "transcribe.fields"
    answer_fixtures: Tuple[str, ...]  # shapes the image answers with; fixtures checked against "<service>.<shape>"
    wrong_media_type: Dict[str, Any]  # client.post arguments with a body in a media type the route refuses

    def make(self, engine: Any = None, max_waiting: int = 4) -> Tuple[Any, Any]:
        """(engine, app): the image's app around engine (a fresh fake when None)."""
        raise NotImplementedError

    def post_valid(self, client: TestClient) -> Any:
        raise NotImplementedError

    def post_invalid(self, client: TestClient) -> Any:
        """A request refused with 400 before reaching the model."""
        raise NotImplementedError

    def post_fixture(self, client: TestClient, body: Any) -> Any:
        """Send one of the contract's request fixtures."""
        raise NotImplementedError

    def assert_answers(self, response: Any) -> None:
        """A 200 answers the contract."""
        raise NotImplementedError

    def bad_requests(self) -> List[BadRequest]:
        raise NotImplementedError

    # ------------------------------------------------------------------------------------------------------

    def pytest_generate_tests(self, metafunc: Any) -> None:
        if "bad_request" in metafunc.fixturenames:
            cases = self.bad_requests()
            metafunc.parametrize("bad_request", cases, ids=[case[0] for case in cases])
        if "request_fixture" in metafunc.fixturenames:
            found = fixtures(self.service, self.request_fixtures)
            ids = [f"{'valid' if valid else 'invalid'}-{label}" for label, valid, _ in found]
            metafunc.parametrize("request_fixture", found, ids=ids)

    @pytest.fixture
    def warm(self):
        engine, app = self.make()
        with serve(app) as client:
            yield engine, client

    def test_health_is_503_loading_then_200_warm(self):
        engine, app = self.make(self.fake_engine(hold_load=True))
        assert_health_waits_for_warm_up(engine, app)

    def test_contract_request_fixtures_are_accepted_or_refused(self, warm, request_fixture):
        engine, client = warm
        label, valid, body = request_fixture
        response = self.post_fixture(client, body)
        if valid:
            assert response.status_code == 200, (label, response.text)
            self.assert_answers(response)
        else:
            assert response.status_code == 400, (label, response.text)
            assert_matches("common.error", response.json())

    def test_the_contract_answer_fixtures_agree_with_the_schema(self):
        for shape in self.answer_fixtures:
            schema = f"{self.service}.{shape}"
            for label, valid, body in fixtures(self.service, shape):
                if valid:
                    assert_matches(schema, body)
                else:
                    with pytest.raises(AssertionError):
                        assert_matches(schema, body)

    def test_bad_requests_are_clear_4xx_naming_the_field(self, warm, bad_request):
        engine, client = warm
        case, request, status, field = bad_request
        assert_refused(client.post(self.route, **request), engine, status, field)

    def test_a_body_in_the_wrong_media_type_is_415(self, warm):
        engine, client = warm
        response = client.post(self.route, **self.wrong_media_type)
        assert response.status_code == 415 and response.json()["error"]["code"] == "unsupported_media_type"
        assert_matches("common.error", response.json())
        assert engine.calls == []

    def test_queue_full_is_503_with_retry_after(self):
        engine, app = self.make(max_waiting=0)
        with serve(app) as client:
            engine.inference_gate.clear()
            results = []
            threads = run_in_threads([lambda: results.append(self.post_valid(client))])
            assert engine.inference_started.acquire(timeout=10)
            refused = self.post_valid(client)
            assert refused.status_code == 503 and int(refused.headers["retry-after"]) >= 1
            assert refused.json()["error"]["code"] == "queue_full"
            assert_matches("common.error", refused.json())
            engine.inference_gate.set()
            threads[0].join(10)
            assert results[0].status_code == 200

    def test_metrics_count_requests_by_status_and_inferences(self, warm):
        engine, client = warm
        assert self.post_valid(client).status_code == 200
        assert self.post_invalid(client).status_code == 400
        text = client.get("/metrics").text
        for status in ("200", "400"):
            assert f'bascule_requests_total{{method="POST",route="{self.route}",status="{status}"}} 1.0' in text
        assert f'bascule_model_info{{model="{self.fake_engine.model_name}",service="{self.service}"}} 1.0' in text
        assert "bascule_inference_duration_seconds_count 1.0" in text

    def test_a_successful_inference_reports_its_busy_time_and_the_metrics_add_it_up(self, warm):
        engine, client = warm
        answers = [self.post_valid(client) for _ in range(2)]
        assert [a.status_code for a in answers] == [200, 200]
        busy_ms = [float(a.headers[BUSY_HEADER]) for a in answers]  # a float in milliseconds
        assert all(ms >= 0 for ms in busy_ms)
        refused = self.post_invalid(client)
        assert refused.status_code == 400 and BUSY_HEADER not in refused.headers  # no inference, no busy time
        text = client.get("/metrics").text
        # The counter is the sum of what the answers reported (each header is rounded to a microsecond).
        assert metric_value(text, "bascule_model_busy_seconds_total") * 1000 == pytest.approx(sum(busy_ms), abs=0.01)
        assert 0.0 <= metric_value(text, "bascule_model_utilisation") <= 1.0
