"""Typed messages between the app and the inference process.

Everything here crosses a multiprocessing pipe, so it is plain picklable data. Requests go
parent -> worker, events come back worker -> parent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from desktop_llm.core.i18n import QT_TRANSLATE_NOOP

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length", "cancelled"]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class LoadSpec:
    model_path: str
    n_ctx: int = 4096
    n_threads: int = 2
    n_gpu_layers: int = 0  # -1: every layer
    # Jinja source used instead of the model's own template (a per-model setting).
    chat_template: str | None = None


@dataclass(frozen=True)
class SamplingParams:
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    max_tokens: int = 1024
    seed: int | None = None
    # GBNF grammar that constrains the output (sentiment labels, tests). json_schema, when
    # given too, takes its place.
    grammar: str | None = None
    # Prompt-lookup decoding: up to this many draft tokens per step, copied from where the
    # last tokens occur earlier in the context, checked in one batch; 0 is off. The same
    # tokens at temperature 0 (tests/integration/test_prompt_lookup.py).
    prompt_lookup: int = 0
    # Generation ends where any of these strings would begin; the string is not part of the
    # reply (OpenAI's `stop`). finish_reason "stop".
    stop: tuple[str, ...] = ()
    # None: no log-probabilities. 0..20: each token's own logprob plus this many most likely
    # alternatives (OpenAI's logprobs/top_logprobs). Those of the model's distribution before
    # sampling (no repeat penalty, grammar or temperature applied).
    logprobs: int | None = None
    # A JSON schema (JSON text) the reply must follow, through llama.cpp's grammar (OpenAI's
    # response_format json_schema); {"type": "object"} style schemas and `{}` for "any JSON".
    # It replaces `grammar` when both are given (one grammar constrains a reply).
    json_schema: str | None = None


# OpenAI's limit on top_logprobs: more alternatives than this are not asked for.
MAX_TOP_LOGPROBS = 20


# The worker's pulse: a thread in the worker bumps a shared counter this often (not a message:
# the pipe is the main thread's). The client ends a worker whose counter has not moved for
# SILENCE_LIMIT_S: a stopped (SIGSTOP), frozen or deadlocked process. The thread runs while
# llama.cpp evaluates a prompt, so no allowance for long prompts is needed (docs/architecture.md).
BEAT_INTERVAL_S = 0.25
SILENCE_LIMIT_S = 30.0


def reply_reserve(n_ctx: int, max_tokens: int) -> int:
    """The tokens of the context kept free for the reply: the prompt gets the rest (the
    worker fits the history to it; chat attachments are counted against it)."""
    return max(1, min(max_tokens, n_ctx // 4))


# --- requests -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadRequest:
    spec: LoadSpec


@dataclass(frozen=True)
class GenerateRequest:
    messages: tuple[ChatMessage, ...]
    params: SamplingParams = field(default_factory=SamplingParams)
    # False forgets the KV cache first: only benchmarks want that.
    reuse_prefix: bool = True
    # True: the oldest turns are dropped until the history fits (the chat window). False: a
    # history that does not fit is refused with Failed("context_overflow") (an API client
    # must learn that, not get a reply to a silently shortened conversation).
    fit_history: bool = True


@dataclass(frozen=True)
class CompleteRequest:
    """Raw text completion: the prompt as it is, no chat template (OpenAI /v1/completions).
    A prompt longer than the context minus one token is refused (context_overflow)."""

    prompt: str
    params: SamplingParams = field(default_factory=SamplingParams)
    reuse_prefix: bool = True


@dataclass(frozen=True)
class ScoreRequest:
    """Log-likelihood of each candidate as the start of the assistant's reply."""

    messages: tuple[ChatMessage, ...]
    candidates: tuple[str, ...]
    reuse_prefix: bool = True


@dataclass(frozen=True)
class TokenizeRequest:
    """Token counts of plain texts (no template, no BOS): for chunking long inputs."""

    texts: tuple[str, ...]


@dataclass(frozen=True)
class UnloadRequest:
    pass


@dataclass(frozen=True)
class ShutdownRequest:
    pass


Request = (
    LoadRequest
    | GenerateRequest
    | CompleteRequest
    | ScoreRequest
    | TokenizeRequest
    | UnloadRequest
    | ShutdownRequest
)


# --- events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ready:
    pid: int
    llama_cpp_version: str
    supports_gpu_offload: bool
    # The ggml backends this llama.cpp build was compiled with: ("CPU",), ("CPU", "CUDA")...
    backends: tuple[str, ...] = ("CPU",)


def compiled_backends(system_info: str) -> tuple[str, ...]:
    """The backends named in llama_print_system_info(): each starts a section 'NAME : '."""
    found = re.findall(r"(?:^|\| )([A-Za-z][A-Za-z0-9_]*) : ", system_info)
    return tuple(dict.fromkeys(found)) or ("CPU",)


@dataclass(frozen=True)
class Loaded:
    spec: LoadSpec
    n_ctx: int
    n_ctx_train: int
    # "gguf" (the model's own), "override" (a per-model setting) or the fallback's name.
    chat_template: str
    device: str  # "CPU", "GPU (n layers)" or "GPU (all layers)"
    load_ms: float


@dataclass(frozen=True)
class Unloaded:
    pass


@dataclass(frozen=True)
class TokenLogprob:
    token: str  # the token's text (may be part of a UTF-8 character: decoded with "replace")
    logprob: float  # natural log
    top: tuple[tuple[str, float], ...] = ()  # the alternatives, most likely first


@dataclass(frozen=True)
class Token:
    text: str  # always whole UTF-8 characters; may be empty never
    # One per model token this piece of text covers, when params.logprobs is not None (a
    # token whose text straddles a stop string's start counts; those wholly in it do not).
    logprobs: tuple[TokenLogprob, ...] | None = None


@dataclass(frozen=True)
class GenerationStats:
    prompt_tokens: int
    completion_tokens: int
    reused_prompt_tokens: int  # prompt tokens whose KV cache was kept from the last request
    ttft_ms: float
    duration_ms: float
    tokens_per_second: float | None  # completion tokens / time from first to last token
    finish_reason: FinishReason
    dropped_messages: int = 0  # oldest turns left out because the history did not fit


@dataclass(frozen=True)
class Done:
    text: str  # the whole reply, decoded at once from its tokens
    stats: GenerationStats


@dataclass(frozen=True)
class Scores:
    logprobs: tuple[float, ...]  # natural log, one per candidate, summed over its tokens
    prompt_tokens: int
    reused_prompt_tokens: int
    duration_ms: float


@dataclass(frozen=True)
class Classified:
    """One text's label among candidates (sentiment): the reply's text, the log-likelihood
    of each candidate (None when the engine could not say: a server without logprobs), and
    the request's figures."""

    text: str
    logprobs: tuple[float, ...] | None
    stats: GenerationStats


@dataclass(frozen=True)
class TokenCounts:
    counts: tuple[int, ...]


ErrorKind = Literal["bad_model", "not_loaded", "context_overflow", "internal"]


@dataclass(frozen=True)
class Failed:
    kind: ErrorKind
    message: str  # plain words for the user


# What a Failed says, in English: the worker fills these in with arg() (it has no
# translator), and the parent words them in the window's language (client.EngineError).
NO_MODEL = QT_TRANSLATE_NOOP("Engine", "No model is loaded.")
LOAD_FAILED = QT_TRANSLATE_NOOP("Engine", "llama.cpp could not load the model: %1")
MESSAGE_TOO_LONG = QT_TRANSLATE_NOOP(
    "Engine",
    "The message is %1 tokens long, but this model's context holds %2 tokens including room "
    "for the reply. Shorten it, or raise the context length in Settings.",
)
TEXT_TOO_LONG = QT_TRANSLATE_NOOP(
    "Engine", "The text is %1 tokens long, but this model's context holds %2."
)
BAD_GRAMMAR = QT_TRANSLATE_NOOP("Engine", "The grammar is not valid: %1")
TEMPLATE_FAILED = QT_TRANSLATE_NOOP("Engine", "the model's chat template failed: %1")
FAILURE_TEXTS = (
    NO_MODEL,
    LOAD_FAILED,
    MESSAGE_TOO_LONG,
    TEXT_TOO_LONG,
    BAD_GRAMMAR,
    TEMPLATE_FAILED,
)


Event = Ready | Loaded | Unloaded | Token | Done | Scores | TokenCounts | Failed
