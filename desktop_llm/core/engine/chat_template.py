"""Render a conversation into the model's prompt text with the template from its GGUF.

Templates are Jinja code taken from a downloaded file, so they run in Jinja's immutable
sandbox (llama-cpp-python CVE-2024-34359 was a template escaping a plain Environment).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from desktop_llm.core.engine.protocol import TEMPLATE_FAILED, ChatMessage
from desktop_llm.core.i18n import arg

# Used when a model carries no template: ChatML is what most small instruct models speak.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


class TemplateRenderError(Exception):
    pass


def _raise_exception(message: str) -> None:
    raise TemplateRenderError(message)


def _tojson(value: Any, indent: int | None = None, **_: Any) -> str:
    # Transformers renders tojson without escaping non-ASCII; templates expect that.
    return json.dumps(value, ensure_ascii=False, indent=indent)


@lru_cache(maxsize=8)
def _compile(source: str) -> Any:
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    env.filters["tojson"] = _tojson
    return env.from_string(source)


# What template_problem() renders a template with: a plain exchange every chat template
# must take (no system message: some templates refuse one in their own words).
_TRIAL = (
    ChatMessage("user", "Hello"),
    ChatMessage("assistant", "Hi! How can I help?"),
    ChatMessage("user", "Say something."),
)


def template_problem(template: str) -> str | None:
    """Why a chat template cannot be used, in its own (Jinja's) words; None when it
    compiles in the sandbox and renders a plain exchange into text."""
    try:
        text = render_chat(template, _TRIAL, bos_token="<s>", eos_token="</s>")
    except TemplateRenderError as exc:
        cause = exc.__cause__
        if isinstance(cause, TemplateSyntaxError):
            return f"{cause.message} (line {cause.lineno})"
        return str(cause) if cause is not None else str(exc)
    if _TRIAL[-1].content not in text:
        return "it leaves out the messages"
    return None


def render_chat(
    template: str,
    messages: Sequence[ChatMessage],
    *,
    bos_token: str,
    eos_token: str,
    add_generation_prompt: bool = True,
) -> str:
    """Return the prompt text; raise TemplateRenderError with the template's own words."""
    try:
        return _compile(template).render(
            messages=[{"role": m.role, "content": m.content} for m in messages],
            bos_token=bos_token,
            eos_token=eos_token,
            add_generation_prompt=add_generation_prompt,
        )
    except TemplateRenderError:
        raise
    except (TemplateError, TypeError, ValueError) as exc:  # a broken template in the file
        raise TemplateRenderError(arg(TEMPLATE_FAILED, exc)) from exc
