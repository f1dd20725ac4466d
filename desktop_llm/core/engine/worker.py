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
    CompleteRequest,
    Done,
    Failed,
    GenerateRequest,
    GenerationStats,
    Loaded,
    LoadRequest,
    Ready,
    SamplingParams,
    ScoreRequest,
    Scores,
    ShutdownRequest,
    Token,
    TokenCounts,
    TokenizeRequest,
    TokenLogprob,
    Unloaded,
    UnloadRequest,
    compiled_backends,
    reply_reserve,
)
from desktop_llm.core.engine.stop_strings import StopScanner
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
            elif isinstance(request, CompleteRequest):
                self.complete(request)
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

    def _fit(
        self, messages: list[ChatMessage], reserve: int, *, drop: bool = True
    ) -> tuple[list[int], int] | Failed:
        """Drop the oldest turns (never the system prompt or the last message) until the
        prompt leaves `reserve` tokens for the reply; drop=False refuses instead."""
        n_ctx = self.llm.n_ctx()
        dropped = 0
        while True:
            tokens = self._prompt_tokens(messages)
            if len(tokens) + reserve <= n_ctx:
                return tokens, dropped
            first = 1 if messages and messages[0].role == "system" else 0
            if not drop or len(messages) - first <= 1:
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
        params = request.params
        started = time.perf_counter()
        reserve = reply_reserve(self.llm.n_ctx(), params.max_tokens)
        try:
            fitted = self._fit(list(request.messages), reserve, drop=request.fit_history)
        except TemplateRenderError as exc:
            self.conn.send(Failed("bad_model", str(exc)))
            return
        if isinstance(fitted, Failed):
            self.conn.send(fitted)
            return
        prompt, dropped = fitted
        self._stream(prompt, params, request.reuse_prefix, started, dropped)

    def complete(self, request: CompleteRequest) -> None:
        """Continue a raw text: its tokens as they are (special tokens in it parsed, as
        llama.cpp's own server does, and BOS where the model wants one), no template."""
        if self.llm is None:
            self.conn.send(Failed("not_loaded", NO_MODEL))
            return
        llm = self.llm
        started = time.perf_counter()
        prompt = llm.tokenize(request.prompt.encode("utf-8"), add_bos=True, special=True)
        if not prompt:
            # An empty text without BOS: the model still needs one token to start from.
            bos = llm.token_bos()
            prompt = [bos if bos >= 0 else llm.token_eos()]
        n_ctx = llm.n_ctx()
        if len(prompt) > n_ctx - 1:
            self.conn.send(
                Failed("context_overflow", arg(TEXT_TOO_LONG, f"{len(prompt):,}", f"{n_ctx:,}"))
            )
            return
        self._stream(prompt, request.params, request.reuse_prefix, started, 0)

    def _grammar(self, params: SamplingParams) -> Any:
        """The LlamaGrammar the params ask for (json_schema first), None for none, or Failed.

        llama-cpp-python 0.3.36 parses a grammar only when sampling starts, where a broken one
        gives a null sampler that crashes the process: it is parsed here first, once."""
        lib = self.llama_cpp
        text = params.grammar
        if params.json_schema is not None:
            try:
                text = lib.llama_grammar.json_schema_to_gbnf(params.json_schema)
            except Exception as exc:  # the converter raises anything: assert, KeyError...
                return Failed("internal", arg(BAD_GRAMMAR, str(exc) or type(exc).__name__))
        if not text:
            return None
        sampler = lib.llama_sampler_init_grammar(
            self.llm._model.vocab, text.encode("utf-8"), b"root"
        )
        if not sampler:
            return Failed("internal", arg(BAD_GRAMMAR, "llama.cpp could not parse it"))
        lib.llama_sampler_free(sampler)
        return lib.LlamaGrammar.from_string(text, verbose=False)

    def _stream(
        self,
        prompt: list[int],
        params: SamplingParams,
        reuse_prefix: bool,
        started: float,
        dropped: int,
    ) -> None:
        """Generate after `prompt`, sending Token events and one Done (or one Failed)."""
        llm = self.llm
        n_ctx = llm.n_ctx()
        grammar = self._grammar(params)
        if isinstance(grammar, Failed):
            self.conn.send(grammar)
            return
        if not reuse_prefix:
            llm.reset()
        reused = llm.longest_token_prefix(llm._input_ids[: llm.n_tokens], prompt)
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
        # Text that may be a stop string's start waits in the scanner (None: no stop strings).
        scanner = StopScanner(params.stop) if params.stop else None
        if scanner is not None and not scanner.stops:
            scanner = None
        stopped = False
        # Logprobs not yet sent, each with the offset in the reply's text where its token's
        # text starts: it goes with the piece that shows that offset.
        top_n = params.logprobs
        pending: list[tuple[int, TokenLogprob]] = []
        decoded = 0  # characters the decoder has given so far
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
            if top_n is not None:
                # The first token's logits are the prompt's: llama.cpp still holds them.
                row = len(prompt) + len(completion) - 2 if len(completion) > 1 else None
                pending.append((decoded, self._token_logprob(token, row, top_n)))
                decoded += len(text)
            if scanner is not None:
                text, stopped = scanner.feed(text)
            if text:
                if top_n is None:
                    send(Token(text))
                else:
                    end = scanner.released if scanner is not None else decoded
                    send(Token(text, _take_logprobs(pending, end)))
            if stopped:
                finish = "stop"
                break
            if cancel.is_set():
                finish = "cancelled"
                break
            if len(completion) >= limit:
                finish = "length"
                break
        stream.close()  # puts back what _prompt_lookup changed
        if scanner is not None and not stopped:
            # Ended another way (length, end of text, Stop): what was held back is reply text.
            rest = scanner.flush()
            if rest:
                logprobs = None if top_n is None else _take_logprobs(pending, scanner.released)
                send(Token(rest, logprobs))
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
        if stopped and scanner is not None:
            full = full[: scanner.released]  # the stop string and what followed are not reply
        send(Done(text=full, stats=stats))

    def _token_logprob(self, token: int, row: int | None, top_n: int) -> TokenLogprob:
        """The chosen token's log-probability and the top_n likeliest, from the logits it was
        sampled from (Llama.generate evaluates a token only after yielding it, so they are
        still there). Prompt lookup evaluates several positions per batch and keeps each in
        `scores` (_logits_all): then the row of the context's position `row`; otherwise, and
        for the first token (row None: the prompt's evaluation, before prompt lookup turns
        _logits_all on), the last logits llama.cpp computed."""
        import numpy as np

        llm = self.llm
        if row is not None and llm._logits_all:
            logits = llm.scores[row]
        else:
            logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),))
        # float64: the alternatives' probabilities then sum to at most 1 without float32 noise.
        logits = logits.astype(np.float64)
        peak = float(logits.max())
        total = peak + float(np.log(np.exp(logits - peak).sum()))
        top: tuple[tuple[str, float], ...] = ()
        if top_n > 0:
            ids = np.argpartition(logits, -top_n)[-top_n:]
            ids = ids[np.argsort(-logits[ids], kind="stable")]
            top = tuple((self._piece(int(i)), float(logits[i]) - total) for i in ids)
        return TokenLogprob(self._piece(token), float(logits[token]) - total, top)

    def _piece(self, token: int) -> str:
        return self.llm.detokenize([token]).decode("utf-8", errors="replace")

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


def _take_logprobs(pending: list[tuple[int, TokenLogprob]], end: int) -> tuple[TokenLogprob, ...]:
    """The pending logprobs of the tokens whose text starts before `end` (the reply's text
    shown so far), taken out of `pending`."""
    n = 0
    while n < len(pending) and pending[n][0] < end:
        n += 1
    taken = tuple(logprob for _, logprob in pending[:n])
    del pending[:n]
    return taken


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
