"""What every `desktop-llm` sub-command prints with --json: one JSON document per line."""

from __future__ import annotations

import json
from typing import Any, TextIO


def print_json(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    out.flush()
