"""The JSON Schemas and fixtures of libs/contracts, the same files the gateway's adapter tests read."""
from __future__ import annotations

import json
import pathlib
from typing import Any, Dict, List, Tuple

from jsonschema import Draft202012Validator

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]
CONTRACTS = REPO_ROOT / "libs" / "contracts"
SCHEMAS = CONTRACTS / "schemas"
FIXTURES = CONTRACTS / "fixtures"


def schema(name: str) -> Dict[str, Any]:
    """name as in the file name without .schema.json, e.g. "whisper.transcribe.response"."""
    path = SCHEMAS / f"{name}.schema.json"
    if not path.is_file():
        raise FileNotFoundError(f"contract schema {path} is missing (libs/contracts exports it)")
    return json.loads(path.read_text(encoding="utf-8"))


def validator(name: str) -> Draft202012Validator:
    spec = schema(name)
    Draft202012Validator.check_schema(spec)
    return Draft202012Validator(spec)


def assert_matches(name: str, body: Any) -> None:
    """Raise AssertionError listing every violation (by JSON path) of the named contract schema."""
    errors = sorted(validator(name).iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  {'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}" for e in errors]
        raise AssertionError(f"body does not match {name}:\n" + "\n".join(lines) + f"\nbody: {json.dumps(body)[:500]}")


def fixtures(service: str, shape: str) -> List[Tuple[str, bool, Any]]:
    """(label, valid?, body) for every fixtures/<service>/<shape>.<valid|invalid>.<label>.json."""
    found = []
    for path in sorted((FIXTURES / service).glob(f"{shape}.*.json")):
        rest = path.name[len(shape) + 1 : -len(".json")]
        verdict, _, label = rest.partition(".")
        if verdict in ("valid", "invalid"):
            found.append((label, verdict == "valid", json.loads(path.read_text(encoding="utf-8"))))
    if not found:
        raise FileNotFoundError(f"no fixtures for {service}/{shape} in {FIXTURES}")
    return found
