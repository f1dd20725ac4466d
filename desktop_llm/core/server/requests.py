"""What an API client asked for, read from its JSON body and checked: a bad field is a 400
that names it (OpenAI's `param`), never a crash or a silently ignored value."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from typing import Any

from desktop_llm.core.engine.protocol import ChatMessage, SamplingParams
from desktop_llm.core.server.errors import bad_request

# OpenAI's own limits, so a request our server takes is one OpenAI would take too.
MAX_STOP_STRINGS = 4
MAX_TOP_LOGPROBS = 20
_ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}


@dataclass(frozen=True)
class ApiRequest:
    endpoint: str  # "chat" or "completions"
    model: str
    params: SamplingParams
    stream: bool
    include_usage: bool
    messages: tuple[ChatMessage, ...] = ()  # chat
    prompt: str = ""  # completions


def _number(body: dict[str, Any], name: str, low: float, high: float) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise bad_request(f"'{name}' must be a number", name)
    if not low <= value <= high:
        raise bad_request(f"'{name}' must be between {low:g} and {high:g}", name)
    return float(value)


def _integer(body: dict[str, Any], name: str, low: int, high: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"'{name}' must be an integer", name)
    if value < low or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        raise bad_request(f"'{name}' must be {bounds}", name)
    return value


def _stop(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or not all(isinstance(s, str) and s for s in value)
        or len(value) > MAX_STOP_STRINGS
    ):
        raise bad_request(
            f"'stop' must be a string or a list of up to {MAX_STOP_STRINGS} non-empty strings",
            "stop",
        )
    return tuple(value)


def _json_schema(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict) or "type" not in value:
        raise bad_request("'response_format' must be an object with a 'type'", "response_format")
    kind = value["type"]
    if kind == "text":
        return None
    if kind == "json_object":
        return "{}"  # any JSON object (llama.cpp's grammar for an empty schema)
    if kind == "json_schema":
        spec = value.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        if not isinstance(schema, dict):
            raise bad_request(
                "'response_format.json_schema.schema' must be a JSON schema object",
                "response_format",
            )
        return json.dumps(schema)
    raise bad_request(
        "'response_format.type' must be text, json_object or json_schema", "response_format"
    )


def _content(value: Any, index: int) -> str:
    """A message's text: a string, or OpenAI's list of parts of which only text is taken."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, list):
        texts = []
        for part in value:
            if not isinstance(part, dict) or part.get("type") != "text":
                raise bad_request(
                    "only text content is supported (no images, audio or files)",
                    f"messages[{index}].content",
                )
            text = part.get("text")
            if not isinstance(text, str):
                raise bad_request("a text part needs 'text'", f"messages[{index}].content")
            texts.append(text)
        return "".join(texts)
    raise bad_request("'content' must be a string or a list of parts", f"messages[{index}]")


def _messages(value: Any) -> tuple[ChatMessage, ...]:
    if not isinstance(value, list) or not value:
        raise bad_request("'messages' must be a non-empty list", "messages")
    messages = []
    for i, message in enumerate(value):
        if not isinstance(message, dict):
            raise bad_request("each message must be an object", f"messages[{i}]")
        role = _ROLES.get(message.get("role"))  # type: ignore[arg-type]
        if role is None:
            raise bad_request(
                "'role' must be system, developer, user or assistant", f"messages[{i}].role"
            )
        messages.append(ChatMessage(role, _content(message.get("content"), i)))  # type: ignore[arg-type]
    if messages[-1].role == "assistant":
        raise bad_request("the last message must not be the assistant's", "messages")
    return tuple(messages)


def parse(endpoint: str, raw: bytes, defaults: SamplingParams) -> ApiRequest:
    """The request of `endpoint` ("chat" or "completions") from its body; defaults: the
    user's own sampling settings, for what the client leaves out."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise bad_request("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise bad_request("'model' is required: a name from GET /v1/models", "model")
    n = _integer(body, "n", 1)
    if n not in (None, 1):
        raise bad_request("only n=1 is supported", "n")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise bad_request("'stream' must be true or false", "stream")
    options = body.get("stream_options") or {}
    if not isinstance(options, dict):
        raise bad_request("'stream_options' must be an object", "stream_options")
    max_tokens = _integer(body, "max_completion_tokens", 1) or _integer(body, "max_tokens", 1)
    temperature = _number(body, "temperature", 0, 2)
    top_p = _number(body, "top_p", 0, 1)
    seed = _integer(body, "seed", -(2**63))
    if endpoint == "chat":
        wants_logprobs = body.get("logprobs", False)
        if not isinstance(wants_logprobs, bool):
            raise bad_request("'logprobs' must be true or false", "logprobs")
        top = _integer(body, "top_logprobs", 0, MAX_TOP_LOGPROBS)
        if top is not None and not wants_logprobs:
            raise bad_request("'top_logprobs' needs 'logprobs': true", "top_logprobs")
        logprobs = (top or 0) if wants_logprobs else None
    else:  # the legacy API: logprobs is the number of alternatives
        logprobs = _integer(body, "logprobs", 0, 5)
    params = replace(
        defaults,
        temperature=defaults.temperature if temperature is None else temperature,
        top_p=defaults.top_p if top_p is None else top_p,
        max_tokens=max_tokens or defaults.max_tokens,
        # llama.cpp's seed is unsigned 32-bit; OpenAI's is any integer.
        seed=None if seed is None else seed % 2**32,
        stop=_stop(body.get("stop")),
        logprobs=logprobs,
        json_schema=_json_schema(body.get("response_format")) if endpoint == "chat" else None,
    )
    request = ApiRequest(
        endpoint=endpoint,
        model=model,
        params=params,
        stream=stream,
        include_usage=bool(options.get("include_usage")),
    )
    if endpoint == "chat":
        return replace(request, messages=_messages(body.get("messages")))
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str):
        raise bad_request("'prompt' must be a string (one prompt per request)", "prompt")
    return replace(request, prompt=prompt)
