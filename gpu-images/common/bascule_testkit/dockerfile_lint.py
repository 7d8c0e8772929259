"""A few Dockerfile rules, checked in Python when hadolint is not installed (and on top of it when it is).

| rule   | what it checks                                               | hadolint equivalent |
|--------|--------------------------------------------------------------|---------------------|
| BAS001 | every FROM pins its base image by digest (a tag can move)    | DL3006              |
| BAS002 | no `latest` tag anywhere                                     | DL3007              |
| BAS003 | the final stage ends with a non-root USER                    | DL3002              |
| BAS004 | the final stage has a HEALTHCHECK (and not HEALTHCHECK NONE) | -                   |
| BAS005 | no ADD of a URL (fetch in a RUN with checksums, or COPY)     | DL3020              |
| BAS006 | no model weights downloaded at build time (they live in a volume) | -              |
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import List, Optional, Tuple

_ROOT_USERS = {"root", "0", "0:0", "root:root"}
_WEIGHT_DOWNLOADS = re.compile(r"from_pretrained|snapshot_download|huggingface-cli\s+download|hf_hub_download|WhisperModel\(|TTS\(")


@dataclass(frozen=True)
class Finding:
    rule: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.rule} {self.message}"


def instructions(text: str) -> List[Tuple[int, str, str]]:
    """(line number, INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    result: List[Tuple[int, str, str]] = []
    pending: List[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1].strip())
            continue
        pending.append(line)
        joined = " ".join(part for part in pending if part)
        pending = []
        keyword, _, args = joined.partition(" ")
        result.append((start, keyword.upper(), args.strip()))
    return result


def _image_reference(args: str) -> Tuple[str, Optional[str]]:
    words = [w for w in args.split() if not w.startswith("--")]
    image = words[0] if words else ""
    alias = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    return image, alias


def stage_chain(parsed: List[Tuple[int, str, str]], target: Optional[str] = None) -> List[Tuple[int, str, str]]:
    """The instructions that make up one target: its stage preceded by the stages it is built FROM, in order
    (`FROM base AS runtime` ... `FROM runtime AS whisper`: base's, runtime's, then whisper's). The last stage
    when target is None."""
    stages: List[Tuple[Optional[str], str, List[Tuple[int, str, str]]]] = []
    for item in parsed:
        if item[1] == "FROM":
            image, alias = _image_reference(item[2])
            stages.append(((alias or "").lower() or None, image.lower(), [item]))
        elif stages:
            stages[-1][2].append(item)
    if not stages:
        return []
    by_alias = {alias: index for index, (alias, _, _) in enumerate(stages) if alias}
    if target is None:
        index = len(stages) - 1
    elif target.lower() in by_alias:
        index = by_alias[target.lower()]
    else:
        raise KeyError(f"no stage named {target!r}")
    chain: List[List[Tuple[int, str, str]]] = []
    while True:
        alias, image, body = stages[index]
        chain.insert(0, body)
        parent = by_alias.get(image)
        if parent is None or parent >= index:
            break
        index = parent
    return [item for body in chain for item in body]


def lint(text: str, target: Optional[str] = None) -> List[Finding]:
    """The rules over the whole file; USER and HEALTHCHECK are looked for in the target (the last stage by
    default) and the stages it is built FROM."""
    found: List[Finding] = []
    parsed = instructions(text)
    stages: List[str] = []
    for line, keyword, args in parsed:
        if keyword == "FROM":
            image, alias = _image_reference(args)
            if image.lower() not in stages and image.lower() != "scratch":
                name = image.split("@")[0]
                has_digest = "@sha256:" in image
                tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else None
                if not has_digest:
                    found.append(Finding("BAS001", line, f"FROM {image}: pin the base image by digest (image:tag@sha256:...)"))
                if tag == "latest":
                    found.append(Finding("BAS002", line, f"FROM {image}: do not use the latest tag"))
            if alias:
                stages.append(alias.lower())
        elif keyword == "ADD" and re.search(r"(^|\s)(https?|ftp)://", args):
            found.append(Finding("BAS005", line, "ADD of a URL: download in a RUN and verify a checksum"))
        if keyword != "FROM" and re.search(r":latest\b", args):
            found.append(Finding("BAS002", line, f"{keyword}: do not use the latest tag"))
        if keyword == "RUN" and _WEIGHT_DOWNLOADS.search(args):
            found.append(Finding("BAS006", line, "model weights downloaded at build time: mount them in a cache volume"))
    if not parsed or parsed[0][1] not in ("FROM", "ARG"):
        found.append(Finding("BAS001", 1, "the Dockerfile does not start with FROM"))
    chain = stage_chain(parsed, target)
    last_from_line = max((line for line, keyword, _ in chain if keyword == "FROM"), default=1)
    final_user: Optional[Tuple[int, str]] = None
    final_healthcheck: Optional[Tuple[int, str]] = None
    for line, keyword, args in chain:
        if keyword == "FROM" and _image_reference(args)[0].lower() not in stages:
            final_user, final_healthcheck = None, None  # a fresh base image: nothing inherited
        elif keyword == "USER":
            final_user = (line, args.split()[0] if args else "")
        elif keyword == "HEALTHCHECK":
            final_healthcheck = (line, args)
    if final_user is None:
        found.append(Finding("BAS003", last_from_line, "the final stage has no USER: it would run as root"))
    elif final_user[1].lower() in _ROOT_USERS:
        found.append(Finding("BAS003", final_user[0], f"USER {final_user[1]}: run as a non-root user"))
    if final_healthcheck is None:
        found.append(Finding("BAS004", last_from_line, "the final stage has no HEALTHCHECK"))
    elif final_healthcheck[1].upper().startswith("NONE"):
        found.append(Finding("BAS004", final_healthcheck[0], "HEALTHCHECK NONE disables the health check"))
    return found


def hadolint(path: str, config: Optional[str] = None) -> Optional[subprocess.CompletedProcess]:
    """Run hadolint when it is on PATH; None when it is not installed."""
    exe = shutil.which("hadolint")
    if exe is None:
        return None
    cmd = [exe, "--failure-threshold", "warning"]
    if config:
        cmd += ["--config", config]
    return subprocess.run(cmd + [path], capture_output=True, text=True, timeout=60)
