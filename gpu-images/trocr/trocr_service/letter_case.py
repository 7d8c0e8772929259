"""The contract's rule for a handwritten letter's case, read from libs/contracts/rules/letter-case.json
(the gateway reads the same file): case counts except on letters whose capital is the small letter drawn
bigger. The image carries the file at /app/contracts/letter-case.json (see gpu-images/Dockerfile)."""
from __future__ import annotations

import json
import os
import pathlib
from functools import lru_cache
from typing import FrozenSet

_CANDIDATES = (
    pathlib.Path("/app/contracts/letter-case.json"),
    pathlib.Path(__file__).resolve().parents[3] / "libs" / "contracts" / "rules" / "letter-case.json",
)


@lru_cache(maxsize=1)
def case_blind_letters() -> FrozenSet[str]:
    override = os.environ.get("BASCULE_LETTER_CASE_RULE")
    paths = [pathlib.Path(override)] if override else list(_CANDIDATES)
    for path in paths:
        if path.is_file():
            return frozenset(json.loads(path.read_text(encoding="utf-8"))["caseBlindLetters"])
    raise FileNotFoundError(f"the letter case rule (letter-case.json) is in none of {', '.join(map(str, paths))}")


def same_letter(expected: str, seen: str) -> bool:
    if expected == seen:
        return True
    return expected.lower() == seen.lower() and expected.lower() in case_blind_letters()
