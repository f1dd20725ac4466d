"""The inference process: owns the llama_cpp.Llama object and streams tokens.

Runs in a child started with multiprocessing's spawn method (see client.py). A native crash
here (bad GGUF, out of memory, a CPU kernel bug) ends only this process.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import os
import signal
import threading
import time
from collections.abc import Generator, Iterator
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event as EventType
from typing import Any

from desktop_llm.core.engine.chat_template import (
    CHATML_TEMPLATE,
    TemplateRenderError,
    prompt_tokens,
    render_prompt,
    template_refusal,
)
from desktop_llm.core.engine.protocol import (
    BAD_GRAMMAR,
    BEAT_INTERVAL_S,
    LOAD_FAILED,
    MESSAGE_TOO_LONG,
    NO_MODEL,
    TEXT_TOO_LONG,
    ChatMessage,
    Done,
    Failed,
    GenerateRequest,
    GenerationStats,
    Loaded,
    LoadRequest,
    Ready,
    ScoreRequest,
    Scores,
    ShutdownRequest,
    Token,
    TokenCounts,
    TokenizeRequest,
    Unloaded,
    UnloadRequest,
    compiled_backends,
    reply_reserve,
)
from desktop_llm.core.i18n import arg


class Worker:
    def __init__(self, conn: Connection, cancel: EventType) -> None:
        import llama_cpp  # imported here so that only the child process loads native code

        self.llama_cpp = llama_cpp
        self.conn = conn
        self.cancel = cancel
        self.llm: Any = None
        self.loaded: Loaded | None = None
        self.template = CHATML_TEMPLATE
        self.bos_text = ""
        self.eos_text = ""

    # --- requests ---------------------------------------------------------------------------

    def serve(self) -> None:
        self.conn.send(
            Ready(
                pid=os.getpid(),
                llama_cpp_version=self.llama_cpp.__version__,
                supports_gpu_offload=bool(self.llama_cpp.llama_supports_gpu_offload()),
                backends=compiled_backends(
                    self.llama_cpp.llama_print_system_info().decode("utf-8", "replace")
                ),
            )
        )
        while True:
            try:
                request = self.conn.recv()
            except (EOFError, OSError):
                return  # the parent went away
            if isinstance(request, ShutdownRequest):
                return
            if isinstance(request, LoadRequest):
                self.conn.send(self.load(request))
            elif isinstance(request, UnloadRequest):
                self.unload()
                self.conn.send(Unloaded())
            elif isinstance(request, GenerateRequest):
                self.generate(request)
            elif isinstance(request, ScoreRequest):
                self.conn.send(self.score(request))
            elif isinstance(request, TokenizeRequest):
                self.conn.send(self.count_tokens(request))
            else:
                self.conn.send(Failed("internal", f"unknown request {type(request).__name__}"))

    def unload(self) -> None:
        if self.llm is not None:
            self.llm.close()
        self.llm = None
        self.loaded = None

    def load(self, request: LoadRequest) -> Loaded | Failed:
        spec = request.spec
        self.unload()
        offload = spec.n_gpu_layers if self.llama_cpp.llama_supports_gpu_offload() else 0
        started = time.perf_counter()
        try:
            self.llm = self.llama_cpp.Llama(
                model_path=spec.model_path,
                n_ctx=spec.n_ctx,
                n_threads=spec.n_threads,
                n_threads_batch=spec.n_threads,
                n_gpu_layers=offload,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            return Failed("bad_model", arg(LOAD_FAILED, exc))
        llm = self.llm
        model_template = llm.metadata.get("tokenizer.chat_template")
        self.template = spec.chat_template or model_template or CHATML_TEMPLATE
        self.bos_text = self._token_text(llm.token_bos())
        self.eos_text = self._token_text(llm.token_eos())
        # A template past the limits (time, size, depth) on a plain exchange: the model is
        # refused, and so marked with the reason (ModelHost.prepare).
        refused = template_refusal(self.template, bos_token=self.bos_text, eos_token=self.eos_text)
        if refused is not None:
            self.unload()
            return Failed("bad_model", refused)
        self.loaded = Loaded(
            spec=spec,
            n_ctx=llm.n_ctx(),
            n_ctx_train=llm._model.n_ctx_train(),
            chat_template=(
                "override"
                if spec.chat_template
                else "gguf"
                if model_template
                else "chatml (fallback)"
            ),
            device=_device(offload),
            load_ms=(time.perf_counter() - started) * 1000,
        )
        return self.loaded

    def _token_text(self, token: int) -> str:
        if token < 0:
            return ""
        return self.llm.detokenize([token], special=True).decode("utf-8", errors="replace")

    # --- generation -------------------------------------------------------------------------

    def _prompt_tokens(self, messages: list[ChatMessage]) -> list[int]:
        """The prompt's tokens: the template's own markers as control tokens, and what the
        messages say (the user's text, a file's, a reply's) never one: `<|im_start|>` typed
        by the user is tokenized as plain text."""
        llm = self.llm
        pieces = render_prompt(
            self.template,
            messages,
            bos_token=self.bos_text,
            eos_token=self.eos_text,
            control_texts=self._control_texts(),
        )
        tokens = prompt_tokens(
            pieces, lambda data, special: llm.tokenize(data, add_bos=False, special=special)
        )
        bos = llm.token_bos()
        add_bos = llm._model.add_bos_token()
        if add_bos and bos >= 0 and (not tokens or tokens[0] != bos):
            tokens.insert(0, bos)
        return tokens

    def _control_texts(self) -> frozenset[str]:
        """The texts of the loaded model's control tokens (those llama.cpp parses only when
        asked to parse special tokens), read once per model: ~0.1 s for 256k tokens."""
        cached = getattr(self, "_controls", None)
        if cached is not None and cached[0] is self.llm:
            return cached[1]
        lib = self.llama_cpp
        vocab = self.llm._model.vocab
        wanted = lib.LLAMA_TOKEN_ATTR_CONTROL | lib.LLAMA_TOKEN_ATTR_UNKNOWN
        texts = frozenset(
            text
            for token in range(self.llm.n_vocab())
            if lib.llama_vocab_get_attr(vocab, token) & wanted
            and (text := (lib.llama_vocab_get_text(vocab, token) or b"").decode("utf-8", "replace"))
        )
        self._controls = (self.llm, texts)
        return texts

    def _fit(self, messages: list[ChatMessage], reserve: int) -> tuple[list[int], int] | Failed:
        """Drop the oldest turns (never the system prompt or the last message) until the
        prompt leaves `reserve` tokens for the reply."""
        n_ctx = self.llm.n_ctx()
        dropped = 0
        while True:
            tokens = self._prompt_tokens(messages)
            if len(tokens) + reserve <= n_ctx:
                return tokens, dropped
            first = 1 if messages and messages[0].role == "system" else 0
            if len(messages) - first <= 1:
                return Failed(
                    "context_overflow", arg(MESSAGE_TOO_LONG, f"{len(tokens):,}", f"{n_ctx:,}")
                )
            del messages[first]
            dropped += 1

    def count_tokens(self, request: TokenizeRequest) -> TokenCounts | Failed:
        if self.llm is None:
            return Failed("not_loaded", NO_MODEL)
        tokenize = self.llm.tokenize
        return TokenCounts(
            tuple(
                len(tokenize(t.encode("utf-8"), add_bos=False, special=False))
                for t in request.texts
            )
        )

    def _last_logprobs(self) -> Any:
        import numpy as np

        llm = self.llm
        logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),))
        top = float(logits.max())
        return logits - (top + np.log(np.exp(logits - top).sum()))

    def score(self, request: ScoreRequest) -> Scores | Failed:
        """Sum of token log-probabilities of each candidate after the prompt.

        The prompt is evaluated once (its common prefix with the last request re-used
        from the KV cache); each candidate's tokens are evaluated after it and then
        forgotten by rewinding n_tokens.
        """
        if self.llm is None:
            return Failed("not_loaded", NO_MODEL)
        llm = self.llm
        started = time.perf_counter()
        try:
            prompt = self._prompt_tokens(list(request.messages))
        except TemplateRenderError as exc:
            return Failed("bad_model", str(exc))
        longest = max((len(c) for c in request.candidates), default=0)
        if len(prompt) + longest + 8 > llm.n_ctx():
            return Failed(
                "context_overflow", arg(TEXT_TOO_LONG, f"{len(prompt):,}", f"{llm.n_ctx():,}")
            )
        if not request.reuse_prefix:
            llm.reset()
        # At least the prompt's last token is evaluated again: its logits are needed.
        reused = min(
            llm.longest_token_prefix(llm._input_ids[: llm.n_tokens], prompt), len(prompt) - 1
        )
        llm.n_tokens = reused
        llm.eval(prompt[reused:])
        base = llm.n_tokens
        after_prompt = self._last_logprobs()
        results = []
        for candidate in request.candidates:
            tokens = llm.tokenize(candidate.encode("utf-8"), add_bos=False, special=False)
            total = float(after_prompt[tokens[0]])
            for previous, token in itertools.pairwise(tokens):
                llm.eval([previous])
                total += float(self._last_logprobs()[token])
            llm.n_tokens = base  # forget the candidate; the next eval overwrites its cache
            results.append(total)
        # The logits now belong to a candidate, not to the prompt's end: make the next
        # generate() evaluate again rather than sample from them.
        llm._requires_eval = True
        return Scores(
            logprobs=tuple(results),
            prompt_tokens=len(prompt),
            reused_prompt_tokens=reused,
            duration_ms=(time.perf_counter() - started) * 1000,
        )

    def generate(self, request: GenerateRequest) -> None:
        if self.llm is None:
            self.conn.send(Failed("not_loaded", NO_MODEL))
            return
        llm = self.llm
        params = request.params
        started = time.perf_counter()
        n_ctx = llm.n_ctx()
        reserve = reply_reserve(n_ctx, params.max_tokens)
        try:
            fitted = self._fit(list(request.messages), reserve)
        except TemplateRenderError as exc:
            self.conn.send(Failed("bad_model", str(exc)))
            return
        if isinstance(fitted, Failed):
            self.conn.send(fitted)
            return
        prompt, dropped = fitted
        if not request.reuse_prefix:
            llm.reset()
        reused = llm.longest_token_prefix(llm._input_ids[: llm.n_tokens], prompt)
        grammar = None
        if params.grammar:
            try:
                grammar = self.llama_cpp.LlamaGrammar.from_string(params.grammar, verbose=False)
            except (ValueError, RuntimeError) as exc:
                self.conn.send(Failed("internal", arg(BAD_GRAMMAR, exc)))
                return
        if params.seed is not None:
            llm.set_seed(params.seed)

        vocab = llm._model.vocab
        is_eog = self.llama_cpp.llama_vocab_is_eog
        # Bytes of a character split across tokens wait here until the character is whole.
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        completion: list[int] = []
        limit = min(params.max_tokens, n_ctx - len(prompt))
        finish = "length"
        first_at = last_at = None
        send = self.conn.send
        cancel = self.cancel
        stream = llm.generate(
            prompt,
            top_k=params.top_k,
            top_p=params.top_p,
            min_p=params.min_p,
            temp=params.temperature,
            repeat_penalty=params.repeat_penalty,
            grammar=grammar,
        )
        if params.prompt_lookup > 0:
            stream = self._prompt_lookup(stream, params.prompt_lookup)
        for token in stream:
            if is_eog(vocab, token):
                finish = "stop"
                break
            now = time.perf_counter()
            if first_at is None:
                first_at = now
            last_at = now
            completion.append(token)
            text = decoder.decode(llm.detokenize([token]))
            if text:
                send(Token(text))
            if cancel.is_set():
                finish = "cancelled"
                break
            if len(completion) >= limit:
                finish = "length"
                break
        stream.close()  # puts back what _prompt_lookup changed
        # Bytes left in the decoder are a character the reply was cut in the middle of (by
        # max_tokens or Stop): dropped, not shown as "\ufffd".
        ended = time.perf_counter()
        n = len(completion)
        decode_s = (last_at - first_at) if first_at is not None and last_at is not None else 0.0
        stats = GenerationStats(
            prompt_tokens=len(prompt),
            completion_tokens=n,
            reused_prompt_tokens=reused,
            ttft_ms=((first_at or ended) - started) * 1000,
            duration_ms=(ended - started) * 1000,
            tokens_per_second=(n / decode_s) if decode_s > 0 else None,
            finish_reason=finish,  # type: ignore[arg-type]
            dropped_messages=dropped,
        )
        full = complete_utf8(llm.detokenize(completion))
        send(Done(text=full, stats=stats))

    def _prompt_lookup(self, tokens: Iterator[int], n: int) -> Generator[int, None, None]:
        """tokens, with prompt-lookup decoding from the second one on: Llama.generate asks
        its draft_model for up to n guesses after each token (llama-cpp-python's
        LlamaPromptLookupDecoding: what followed the last two tokens where they occur
        earlier in the context) and evaluates them in one batch, sampling each position from
        its own logits, so it keeps what the model would have chosen and drops the rest.

        That batch must return every token's logits (`_logits_all`, which a Llama made with a
        draft_model turns on for good), and Llama.eval then copies them into `scores`, a row
        per position of the context. Turned on after the first token, the prompt is still
        evaluated with the logits of its last token only; the full-size `scores` is allocated
        but touched only at the reply's rows; all three are put back when the reply ends."""
        import numpy as np
        from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

        llm = self.llm
        saved = llm.scores
        try:
            for i, token in enumerate(tokens):
                if i == 0:  # the prompt is evaluated: the guesses start with the next step
                    llm.scores = np.empty((llm.n_ctx(), llm.n_vocab()), dtype=np.single)
                    llm._logits_all = True
                    llm.draft_model = LlamaPromptLookupDecoding(num_pred_tokens=n)
                yield token
        finally:
            llm.draft_model = None
            llm._logits_all = False
            llm.scores = saved


def complete_utf8(data: bytes) -> str:
    """data as text, without the incomplete character a cut reply may end in (invalid bytes
    elsewhere are replaced, as the streamed text replaced them)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    return decoder.decode(data)  # not final: a trailing partial sequence stays unread


def _device(offload: int) -> str:
    """'CPU', 'GPU (n layers)', or 'GPU (all layers)' for -1."""
    if not offload:
        return "CPU"
    return "GPU (all layers)" if offload < 0 else f"GPU ({offload} layers)"


def _beat(counter: Synchronized) -> None:  # type: ignore[type-arg]
    """The worker's pulse (protocol.py): a shared counter bumped by a thread of its own. It
    runs while the main thread is inside llama.cpp (ctypes releases the GIL), so a long
    prompt evaluation beats too; it stops when the process is stopped or frozen."""
    while True:
        counter.value += 1
        time.sleep(BEAT_INTERVAL_S)


# A native log bigger than this is started afresh when the next worker starts.
NATIVE_LOG_MAX_BYTES = 2_000_000


def quiet_native_output(log_path: str | None) -> None:
    """Point file descriptors 1 and 2 at the native log (or the null device): llama.cpp and
    ggml write some lines straight to stderr, whatever the log callback says, and none of
    them belongs on the user's terminal or in the CLI's output."""
    target = -1
    if log_path:
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
            if os.path.exists(log_path) and os.path.getsize(log_path) > NATIVE_LOG_MAX_BYTES:
                flags |= os.O_TRUNC
            target = os.open(log_path, flags, 0o644)
        except OSError:
            target = -1
    if target < 0:
        target = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        # No such descriptor (a windowed build on Windows): nothing to quieten.
        with contextlib.suppress(OSError):
            os.dup2(target, fd)
    os.close(target)


def main(
    conn: Connection,
    cancel: EventType,
    beat: Synchronized | None = None,  # type: ignore[type-arg]
    native_log: str | None = None,
) -> None:
    """Entry point of the child process."""
    # Ctrl+C in a terminal reaches the whole process group. The app decides what a stop
    # means (cancel the reply, close the window) and ends this process itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    quiet_native_output(native_log)
    if beat is not None:
        threading.Thread(target=_beat, args=(beat,), name="beat", daemon=True).start()
    try:
        Worker(conn, cancel).serve()
    except (BrokenPipeError, EOFError, ConnectionResetError):
        pass  # the app went away mid-reply (killed or crashed): nobody to answer, just end
    finally:
        conn.close()
