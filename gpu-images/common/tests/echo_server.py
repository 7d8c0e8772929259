"""A tiny image served by the real `serve()` (uvicorn), for the graceful-shutdown test."""
import sys
import time

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse

from bascule_common.app import ServiceContext, create_service_app
from bascule_common.server import serve
from bascule_common.settings import CommonSettings


class SlowEngine:
    model_name = "slow-echo"
    device = "cpu"

    def load(self):
        pass

    def warmup(self):
        pass

    def close(self):
        print("ENGINE_CLOSED", file=sys.stderr, flush=True)

    def gpu_memory(self):
        return {}

    def health_details(self):
        return {}

    def slow(self, text):
        print("INFERENCE_STARTED", file=sys.stderr, flush=True)
        time.sleep(1.0)  # long enough for the test's SIGTERM to arrive mid-inference
        return text


def routes(app: FastAPI, ctx: ServiceContext) -> None:
    @app.post("/slow")
    async def slow(request: Request):
        return JSONResponse({"text": await ctx.infer(ctx.engine.slow, (await request.body()).decode())})


if __name__ == "__main__":
    settings = CommonSettings(port=int(sys.argv[1]), shutdown_grace_s=10, exit_on_load_failure=False)
    serve(create_service_app("echo", SlowEngine(), settings, routes), "echo", settings)
