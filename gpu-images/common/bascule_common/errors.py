"""The error body every image answers with: {"error": {"code", "message", "field"?}} (libs/contracts common.error)."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional


class ServiceError(Exception):
    """An error with an HTTP status and a stable machine-readable code, rendered as the contract's error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def body(self) -> Dict[str, Any]:
        error: Dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        error.update(self.extra)
        return {"error": error}


def bad_request(field: str, message: str, code: str = "invalid_request") -> ServiceError:
    """400 naming the field at fault; the message starts with the field so it reads well in a log line."""
    return ServiceError(400, code, f"{field}: {message}", field=field)


def unsupported_media_type(field: str, message: str) -> ServiceError:
    return ServiceError(415, "unsupported_media_type", f"{field}: {message}", field=field)


def payload_too_large(field: str, limit_bytes: int) -> ServiceError:
    return ServiceError(
        413, "payload_too_large", f"{field}: larger than the limit of {limit_bytes} bytes", field=field
    )


def busy(retry_after_s: int, message: str = "the GPU queue is full, retry later", code: str = "queue_full") -> ServiceError:
    return ServiceError(503, code, message, headers={"Retry-After": str(retry_after_s)})
