"""Settings read from the environment, with defaults and a clear error for a bad value."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional


class SettingsError(ValueError):
    pass


def env_int(env: Mapping[str, str], name: str, default: int, minimum: int = 0, maximum: Optional[int] = None) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected an integer, got {raw!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise SettingsError(f"{name}: expected an integer {bound}, got {value}")
    return value


def env_float(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0, maximum: Optional[float] = None) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a number, got {raw!r}")
    if value < minimum or (maximum is not None and value > maximum):
        raise SettingsError(f"{name}: expected a number >= {minimum}" + (f" and <= {maximum}" if maximum is not None else "") + f", got {value}")
    return value


def env_str(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name)
    return default if raw is None or raw == "" else raw


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}: expected true or false, got {raw!r}")


@dataclass(frozen=True)
class CommonSettings:
    """What every image shares: queue bounds, shutdown grace, logging, port."""

    port: int
    queue_concurrency: int = 1
    queue_max_waiting: int = 8
    shutdown_grace_s: float = 25.0
    log_level: str = "INFO"
    exit_on_load_failure: bool = True
    # The longest any request may take, waiting and running (a gateway's X-Bascule-Deadline-Ms is capped by it).
    max_inference_s: float = 30.0
    # How long past its deadline a running inference may go before /health calls the worker stuck.
    stuck_grace_s: float = 10.0

    @classmethod
    def from_env(cls, default_port: int, env: Optional[Mapping[str, str]] = None, max_concurrency: int = 4) -> "CommonSettings":
        e = os.environ if env is None else env
        return cls(
            port=env_int(e, "PORT", default_port, 1, 65535),
            queue_concurrency=env_int(e, "BASCULE_QUEUE_CONCURRENCY", 1, 1, max_concurrency),
            queue_max_waiting=env_int(e, "BASCULE_QUEUE_MAX_WAITING", 8, 0, 1000),
            shutdown_grace_s=env_float(e, "BASCULE_SHUTDOWN_GRACE_S", 25.0, 0.0, 600.0),
            log_level=env_str(e, "BASCULE_LOG_LEVEL", "INFO"),
            exit_on_load_failure=env_bool(e, "BASCULE_EXIT_ON_LOAD_FAILURE", True),
            max_inference_s=env_float(e, "BASCULE_MAX_INFERENCE_S", 30.0, 0.1, 600.0),
            stuck_grace_s=env_float(e, "BASCULE_STUCK_GRACE_S", 10.0, 0.0, 3600.0),
        )
