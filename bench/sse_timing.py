"""One streamed chat request to an OpenAI-compatible server, its content events timed as they
arrive: what bench/remote.py and bench/server.py both measure, counted the same way (events
after the first, over the time from the first to the last)."""

from __future__ import annotations

import json
import time

from desktop_llm.core.http import httpx


def timed_stream(base_url: str, body: dict) -> dict:
    """tokens (content events), tps, ttft_ms, latency_s and `ended` (perf_counter)."""
    started = time.perf_counter()
    stamps = []
    with (
        httpx.Client(timeout=300) as client,
        client.stream("POST", f"{base_url}/chat/completions", json=body) as response,
    ):
        response.raise_for_status()
        for line in response.iter_lines():
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            for choice in json.loads(data).get("choices") or ():
                if (choice.get("delta") or {}).get("content"):
                    stamps.append(time.perf_counter())
    ended = time.perf_counter()
    assert len(stamps) > 1, "the stream carried fewer than two pieces"
    return {
        "tokens": len(stamps),
        "tps": (len(stamps) - 1) / (stamps[-1] - stamps[0]),
        "ttft_ms": (stamps[0] - started) * 1000,
        "latency_s": ended - started,
        "ended": ended,
    }
