"""Request bodies read into memory with hard limits.

Starlette's own form parser spools uploads larger than 1 MiB to a temporary file; the images must never
write a child's voice or handwriting to disk, so multipart bodies are parsed here, in memory, with
python-multipart's streaming parser, and refused as soon as a limit is crossed (before reading the rest).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from starlette.requests import Request

from .errors import ServiceError, bad_request, payload_too_large, unsupported_media_type

try:  # python-multipart >= 0.0.13 renamed its module; both are supported
    from python_multipart.multipart import MultipartParser, parse_options_header  # type: ignore
except ImportError:  # pragma: no cover - depends on the installed version
    from multipart.multipart import MultipartParser, parse_options_header  # type: ignore

MAX_FIELD_BYTES = 8 * 1024  # a text field (language, prompt, letter) is far smaller


@dataclass
class FilePart:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Form:
    fields: Dict[str, str] = field(default_factory=dict)
    files: Dict[str, FilePart] = field(default_factory=dict)


def _media_type(request: Request) -> Tuple[str, Dict[bytes, bytes]]:
    raw = request.headers.get("content-type", "")
    media, params = parse_options_header(raw)
    return media.decode("latin-1").lower(), params


async def read_limited(request: Request, limit: int, name: str = "body") -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise payload_too_large(name, limit)
    chunks: List[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise payload_too_large(name, limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json_object(request: Request, limit: int) -> Dict[str, Any]:
    media, _ = _media_type(request)
    if media != "application/json":
        raise unsupported_media_type("body", f"expected application/json, got {media or 'no content type'}")
    raw = await read_limited(request, limit)
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad_request("body", f"expected a JSON object ({exc.__class__.__name__})")
    if not isinstance(value, dict):
        raise bad_request("body", "expected a JSON object")
    return value


class _FormCollector:
    """python-multipart callbacks that keep every part in memory and enforce per-part limits."""

    def __init__(self, file_limits: Dict[str, int]) -> None:
        self.form = Form()
        self._file_limits = file_limits
        self._header_name = b""
        self._header_value = b""
        self._headers: Dict[bytes, bytes] = {}
        self._data = bytearray()
        self._name = ""
        self._filename: Optional[str] = None
        self._limit = MAX_FIELD_BYTES

    def callbacks(self) -> Dict[str, Any]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
        }

    def on_part_begin(self) -> None:
        self._headers = {}
        self._data = bytearray()
        self._name = ""
        self._filename = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name = b""
        self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if b"name" not in options:
            raise bad_request("body", "a multipart part has no name in its Content-Disposition")
        self._name = options[b"name"].decode("utf-8", "replace")
        if self._name in self.form.fields or self._name in self.form.files:
            raise bad_request(self._name, "given more than once")
        if b"filename" in options:
            self._filename = options[b"filename"].decode("utf-8", "replace")
            if self._name not in self._file_limits:
                raise bad_request(self._name, f"unknown file field (expected {', '.join(sorted(self._file_limits))})")
            self._limit = self._file_limits[self._name]
        else:
            self._limit = MAX_FIELD_BYTES

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if len(self._data) + (end - start) > self._limit:
            raise payload_too_large(self._name, self._limit)
        self._data.extend(data[start:end])

    def on_part_end(self) -> None:
        if self._filename is not None:
            content_type = self._headers.get(b"content-type", b"application/octet-stream").decode("latin-1")
            self.form.files[self._name] = FilePart(self._filename, content_type.lower(), bytes(self._data))
        else:
            try:
                self.form.fields[self._name] = self._data.decode("utf-8")
            except UnicodeDecodeError:
                raise bad_request(self._name, "expected UTF-8 text")


async def read_multipart(request: Request, file_limits: Dict[str, int]) -> Form:
    """Parse multipart/form-data in memory; file_limits names the accepted file parts and their byte limits."""
    media, params = _media_type(request)
    if media != "multipart/form-data":
        raise unsupported_media_type("body", f"expected multipart/form-data, got {media or 'no content type'}")
    boundary = params.get(b"boundary")
    if not boundary:
        raise bad_request("body", "multipart/form-data without a boundary")
    total_limit = sum(file_limits.values()) + 64 * 1024  # the files plus headers and small fields
    collector = _FormCollector(file_limits)
    parser = MultipartParser(boundary, collector.callbacks())
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > total_limit:
            raise payload_too_large("body", total_limit)
        try:
            parser.write(chunk)
        except ServiceError:
            raise
        except Exception as exc:  # python-multipart's own parse errors
            raise bad_request("body", f"malformed multipart body ({exc})")
    parser.finalize()
    return collector.form
