"""The FastAPI application every image is built on: /health, /metrics, errors, request logging, lifecycle.

Each image adds its one inference route through `ServiceContext.infer`, which checks readiness, goes
through the bounded GPU queue and maps every failure to the contract's error body.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable, Optional, TypeVar

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .busy import BUSY_HEADER
from .errors import ServiceError, bad_request, busy
from .gpu_queue import Abandoned, DeadlineExceeded, GpuQueue, QueueClosed, QueueFull, Ticket
from .metrics import CONTENT_TYPE, ServiceMetrics
from .runtime import Engine, ModelRuntime, exit_process_on_load_failure
from .settings import CommonSettings

T = TypeVar("T")
log = logging.getLogger("bascule.http")

# The gateway's remaining budget for this request, in milliseconds (libs/contracts: services).
DEADLINE_HEADER = "X-Bascule-Deadline-Ms"

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type"}


class ServiceContext:
    """What an inference route needs: the engine, the queue and the runtime, behind one call."""

    def __init__(self, name: str, engine: Engine, settings: CommonSettings, metrics: ServiceMetrics, queue: GpuQueue, runtime: ModelRuntime) -> None:
        self.name = name
        self.engine = engine
        self.settings = settings
        self.metrics = metrics
        self.queue = queue
        self.runtime = runtime

    def deadline_s(self, request: Optional[Request]) -> float:
        """Seconds this request may take: the gateway's remaining budget (DEADLINE_HEADER, in ms), capped by
        BASCULE_MAX_INFERENCE_S; the cap alone when the header is absent."""
        cap = self.settings.max_inference_s
        raw = request.headers.get(DEADLINE_HEADER) if request is not None else None
        if raw is None:
            return cap
        try:
            ms = int(raw)
        except ValueError:
            ms = -1
        if ms <= 0:
            raise bad_request(DEADLINE_HEADER, f"expected a positive whole number of milliseconds, got {raw[:20]!r}")
        return min(cap, ms / 1000)

    async def infer(self, fn: Callable[..., T], *args: Any, request: Optional[Request] = None) -> T:
        """fn(*args) through the GPU queue, within the request's deadline; dropped if the client leaves first."""
        return await self._guarded(lambda ticket: self.queue.run(fn, *args, ticket=ticket), request)

    async def infer_batched(self, batcher: Any, item: Any, request: Optional[Request] = None) -> Any:
        """item through a micro-batcher (`await batcher.submit(item, ticket)`, which admits it to the same GPU
        queue), with the same deadline, disconnect and error handling as `infer`."""
        return await self._guarded(lambda ticket: batcher.submit(item, ticket), request)

    @staticmethod
    def report_busy(request: Optional[Request], seconds: float) -> None:
        """The model's compute time for this request, sent back as BUSY_HEADER on its successful answer (an
        answer that needed no model, such as a cache hit, reports 0)."""
        if request is not None:
            request.state.bascule_busy_ms = seconds * 1000

    async def _guarded(self, run: Callable[[Ticket], Awaitable[T]], request: Optional[Request]) -> T:
        if not self.runtime.ready:
            status = "shutting down" if self.runtime.draining else f"{self.runtime.status}"
            raise ServiceError(503, "model_not_ready", f"the model is not ready ({status})", headers={"Retry-After": "5"})
        ticket = self.queue.ticket(self.deadline_s(request))
        watcher = asyncio.ensure_future(_watch_disconnect(request, ticket)) if request is not None else None
        try:
            result = await run(ticket)
            self.report_busy(request, ticket.busy_s or 0.0)
            return result
        except QueueFull as full:
            raise busy(full.retry_after_s)
        except QueueClosed:
            raise ServiceError(503, "shutting_down", "the service is shutting down", headers={"Retry-After": "5"})
        except DeadlineExceeded:
            raise ServiceError(504, "deadline_exceeded", "the request's deadline passed before the model answered")
        except Abandoned:
            raise ServiceError(499, "client_closed_request", "the client went away before the model started")
        except ServiceError:
            raise
        except Exception as exc:
            log.error("inference failed", exc_info=True, extra={"service": self.name})
            raise ServiceError(500, "inference_failed", f"the model failed on this input ({exc.__class__.__name__})")
        finally:
            if watcher is not None:
                watcher.cancel()


async def _watch_disconnect(request: Request, ticket: Ticket, every_s: float = 0.05) -> None:
    """Marks the ticket abandoned when the client disconnects while its work waits (uvicorn does not cancel
    the handler on a disconnect, so nobody else would notice)."""
    while ticket.started_at is None and not ticket.abandoned:
        if await request.is_disconnected():
            ticket.abandoned = True
            return
        await asyncio.sleep(every_s)


class RequestObserver:
    """Pure ASGI middleware: request id, one JSON log line and the metrics of every request."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics, known_paths: Callable[[], set]) -> None:
        self.app = app
        self.metrics = metrics
        self.known_paths = known_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        request_id = headers.get(b"x-request-id", b"").decode("latin-1")[:64] or uuid.uuid4().hex
        status = {"code": 500}

        state = scope.setdefault("state", {})  # request.state of the route writes here (ServiceContext.report_busy)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["started"] = True
                message.setdefault("headers", [])
                extra = [(b"x-request-id", request_id.encode("latin-1"))]
                busy_ms = state.get("bascule_busy_ms")
                if busy_ms is not None and 200 <= message["status"] < 300:
                    extra.append((BUSY_HEADER.lower().encode("latin-1"), f"{busy_ms:.3f}".encode("latin-1")))
                message["headers"] = list(message["headers"]) + extra
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Last line of defence: the contract's error body, never a stack trace or a plain-text 500.
            log.error("unhandled error", exc_info=True, extra={"path": scope["path"], "request_id": request_id})
            if status["code"] == 500 and not status.get("started"):
                await _error_response(ServiceError(500, "internal_error", "internal error"))(scope, receive, send_with_id)
        finally:
            path = scope["path"]
            route = path if path in self.known_paths() else "other"
            elapsed = time.perf_counter() - started
            self.metrics.requests.labels(route=route, method=scope["method"], status=str(status["code"])).inc()
            self.metrics.request_seconds.labels(route=route).observe(elapsed)
            if route not in ("/health", "/metrics") or status["code"] >= 500:
                log.info(
                    "request",
                    extra={"method": scope["method"], "path": route, "status": status["code"],
                           "duration_ms": round(elapsed * 1000, 1), "request_id": request_id},
                )


def _error_response(error: ServiceError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


def create_service_app(
    name: str,
    engine: Engine,
    settings: CommonSettings,
    register_routes: Callable[[FastAPI, ServiceContext], None],
    on_load_failure: Optional[Callable[[BaseException], None]] = None,
) -> FastAPI:
    metrics = ServiceMetrics(name, engine.model_name, engine.gpu_memory)
    queue = GpuQueue(settings.queue_concurrency, settings.queue_max_waiting, metrics, default_timeout_s=settings.max_inference_s)
    if on_load_failure is None and settings.exit_on_load_failure:
        on_load_failure = exit_process_on_load_failure
    runtime = ModelRuntime(engine, queue, metrics, on_load_failure, stuck_grace_s=settings.stuck_grace_s)
    context = ServiceContext(name, engine, settings, metrics, queue, runtime)

    app = FastAPI(title=f"bascule-{name}", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.context = context

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        runtime.start()
        log.info("starting", extra={"service": name, "model": engine.model_name, "port": settings.port})
        try:
            yield
        finally:
            # uvicorn has stopped accepting connections and let open requests finish; refuse anything left,
            # wait for the GPU to go idle, then free the model.
            runtime.draining = True
            drained = await queue.drain(settings.shutdown_grace_s)
            try:
                engine.close()
            except Exception:
                log.warning("engine close failed", exc_info=True)
            log.info("stopped", extra={"service": name, "drained": drained})

    # Works with FastAPI 0.92 (no `lifespan=` argument yet) and later versions alike.
    app.router.lifespan_context = lifespan

    @app.exception_handler(ServiceError)
    async def on_service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": ("body",), "msg": "invalid"}
        field = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "form"))
        return _error_response(ServiceError(400, "invalid_request", f"{field or 'body'}: {first.get('msg')}", field=field or "body"))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return _error_response(ServiceError(exc.status_code, code, str(exc.detail) or code))

    @app.get("/health")
    async def health() -> JSONResponse:
        status, body = runtime.health()
        return JSONResponse(body, status_code=status)

    @app.get("/metrics")
    async def prometheus_metrics() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE)

    register_routes(app, context)
    known = {getattr(r, "path", "") for r in app.routes}
    app.add_middleware(RequestObserver, metrics=metrics, known_paths=lambda: known)
    return app
