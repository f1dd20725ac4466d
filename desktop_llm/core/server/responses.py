"""The JSON objects OpenAI's clients expect back: chat.completion and its chunks,
text_completion, and `usage` with our one addition, `energy` (what the reply cost, metered
like a reply in the window), which standard clients ignore."""

from __future__ import annotations

import time
from typing import Any

from desktop_llm.core.energy import EnergyRecord
from desktop_llm.core.engine.protocol import TokenLogprob
from desktop_llm.core.model_host import Reply


def energy(record: EnergyRecord | None) -> dict[str, Any] | None:
    """The reply's energy: `joules` is its share of the machine's (what the window shows per
    reply); None where nothing was measured here (a remote engine's reply)."""
    if record is None:
        return None
    return {
        "joules": record.joules_attributed,
        "source": record.source,
        "measured": record.measured,
        "label": record.label,
        "carbon_g": record.carbon_g,
        "intensity": {
            "g_per_kwh": record.intensity_g_per_kwh,
            "source": record.intensity_source,
        },
    }


def usage(reply: Reply) -> dict[str, Any]:
    stats = reply.done.stats if reply.done is not None else None
    prompt = stats.prompt_tokens if stats else 0
    completion = stats.completion_tokens if stats else 0
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "energy": energy(reply.energy),
    }


def finish_reason(reply: Reply) -> str:
    """OpenAI's words: "stop" or "length" (a reply stopped by its client ends as "stop")."""
    stats = reply.done.stats if reply.done is not None else None
    return "length" if stats is not None and stats.finish_reason == "length" else "stop"


def _token_bytes(text: str) -> list[int]:
    return list(text.encode("utf-8"))


def chat_logprobs(logprobs: tuple[TokenLogprob, ...] | None) -> dict[str, Any] | None:
    if logprobs is None:
        return None
    return {
        "content": [
            {
                "token": lp.token,
                "logprob": lp.logprob,
                "bytes": _token_bytes(lp.token),
                "top_logprobs": [
                    {"token": t, "logprob": p, "bytes": _token_bytes(t)} for t, p in lp.top
                ],
            }
            for lp in logprobs
        ],
        "refusal": None,
    }


def completion_logprobs(
    logprobs: tuple[TokenLogprob, ...] | None, offset: int
) -> dict[str, Any] | None:
    """The legacy API's logprobs object; offset: characters of the text before these."""
    if logprobs is None:
        return None
    offsets, at = [], offset
    for lp in logprobs:
        offsets.append(at)
        at += len(lp.token)
    return {
        "tokens": [lp.token for lp in logprobs],
        "token_logprobs": [lp.logprob for lp in logprobs],
        "top_logprobs": [dict(lp.top) for lp in logprobs],
        "text_offset": offsets,
    }


class Shapes:
    """The objects of one response: one id and creation time for all of its chunks."""

    def __init__(self, request_id: str, model: str, endpoint: str) -> None:
        self.id = request_id
        self.model = model
        self.endpoint = endpoint
        self.created = int(time.time())

    def _head(self, kind: str) -> dict[str, Any]:
        return {"id": self.id, "object": kind, "created": self.created, "model": self.model}

    def whole(self, reply: Reply, logprobs: tuple[TokenLogprob, ...] | None) -> dict[str, Any]:
        if self.endpoint == "chat":
            choice = {
                "index": 0,
                "message": {"role": "assistant", "content": reply.text, "refusal": None},
                "logprobs": chat_logprobs(logprobs),
                "finish_reason": finish_reason(reply),
            }
            kind = "chat.completion"
        else:
            choice = {
                "index": 0,
                "text": reply.text,
                "logprobs": completion_logprobs(logprobs, 0),
                "finish_reason": finish_reason(reply),
            }
            kind = "text_completion"
        return {**self._head(kind), "choices": [choice], "usage": usage(reply)}

    def first_chunk(self) -> dict[str, Any] | None:
        """Chat streams open with the assistant's role (what clients build the message on)."""
        if self.endpoint != "chat":
            return None
        return self._chunk({"role": "assistant", "content": ""}, None, None)

    def piece(
        self, text: str, logprobs: tuple[TokenLogprob, ...] | None, offset: int
    ) -> dict[str, Any]:
        if self.endpoint == "chat":
            return self._chunk({"content": text}, chat_logprobs(logprobs), None)
        return self._completion_chunk(text, completion_logprobs(logprobs, offset), None)

    def last_chunk(self, reply: Reply) -> dict[str, Any]:
        if self.endpoint == "chat":
            return self._chunk({}, None, finish_reason(reply))
        return self._completion_chunk("", None, finish_reason(reply))

    def usage_chunk(self, reply: Reply) -> dict[str, Any]:
        """OpenAI's stream_options.include_usage: a last chunk with no choices and the usage."""
        kind = "chat.completion.chunk" if self.endpoint == "chat" else "text_completion"
        return {**self._head(kind), "choices": [], "usage": usage(reply)}

    def _chunk(
        self, delta: dict[str, Any], logprobs: dict[str, Any] | None, finish: str | None
    ) -> dict[str, Any]:
        return {
            **self._head("chat.completion.chunk"),
            "choices": [
                {"index": 0, "delta": delta, "logprobs": logprobs, "finish_reason": finish}
            ],
        }

    def _completion_chunk(
        self, text: str, logprobs: dict[str, Any] | None, finish: str | None
    ) -> dict[str, Any]:
        return {
            **self._head("text_completion"),
            "choices": [{"index": 0, "text": text, "logprobs": logprobs, "finish_reason": finish}],
        }
