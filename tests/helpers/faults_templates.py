"""Hostile chat templates, and a way to run one where a broken limit fails a test instead of
hanging it or eating the machine's memory.

    outcome = render_in_child(template)   # a fresh Python, RLIMIT_AS and a timeout
    outcome.refused / outcome.reason / outcome.seconds

    starter_with_template(path, template)  # a copy of the starter model with this template
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Address space a rendering child may use: Python, Jinja and a few limit-sized values fit;
# the attacks (2.8 GB for 'x'*20000000 printed) do not.
CHILD_MEMORY = 1024 * 1024 * 1024
CHILD_TIMEOUT_S = 30.0

_CHILD = r"""
import json, resource, sys, time
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from desktop_llm.core.engine.chat_template import (
    TemplateLimitError, TemplateRenderError, render_chat,
)
from desktop_llm.core.engine.protocol import ChatMessage
template = sys.stdin.read()
started = time.monotonic()
try:
    text = render_chat(template, [ChatMessage("user", "hi")], bos_token="<s>", eos_token="</s>")
    result = {"refused": False, "length": len(text)}
except TemplateRenderError as exc:
    result = {
        "refused": True,
        "limit": isinstance(exc, TemplateLimitError),
        "reason": exc.reason,
        "message": str(exc),
    }
result["seconds"] = time.monotonic() - started
print(json.dumps(result))
"""


@dataclass(frozen=True)
class Outcome:
    refused: bool
    limit: bool  # refused for the limits (time, size, depth), not in the template's words
    reason: str
    message: str
    seconds: float
    length: int  # of the rendered text, when not refused


def render_in_child(template: str) -> Outcome:
    """Render template for one user message in a fresh interpreter limited to CHILD_MEMORY
    and CHILD_TIMEOUT_S; a crash, a traceback or a hang is an AssertionError naming it."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(CHILD_MEMORY)],
            input=template,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            env=env,
            cwd=root,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"the render hung past {CHILD_TIMEOUT_S:g} s") from None
    assert done.returncode == 0, f"the render crashed ({done.returncode}):\n{done.stderr[-3000:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Outcome(
        refused=result["refused"],
        limit=result.get("limit", False),
        reason=result.get("reason", ""),
        message=result.get("message", ""),
        seconds=result["seconds"],
        length=result.get("length", 0),
    )


def starter_with_template(source: Path, target: Path, template: str) -> Path:
    """A copy of the GGUF at source whose tokenizer.chat_template is `template`, padded with
    a Jinja comment to the original's byte length so that no offset in the file moves."""
    from desktop_llm.core.models.gguf_file import read_gguf

    original = read_gguf(source).chat_template
    assert original, f"{source} has no chat template"
    old = original.encode("utf-8")
    new = template.encode("utf-8")
    padding = len(old) - len(new) - len("{##}")
    assert padding >= 0, "the hostile template is longer than the model's own"
    new += b"{#" + b" " * padding + b"#}"
    shutil.copyfile(source, target)
    with target.open("r+b") as f:
        head = f.read(16 * 1024 * 1024)  # the metadata is at the start
        at = head.find(old)
        assert at > 0 and head.find(old, at + 1) < 0
        f.seek(at)
        f.write(new)
    assert read_gguf(target).chat_template == new.decode("utf-8")
    return target
