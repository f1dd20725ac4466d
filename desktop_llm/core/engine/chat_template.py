"""Render a conversation into the model's prompt text with the template from its GGUF.

Templates are Jinja code taken from a downloaded file, so they run in Jinja's immutable
sandbox (llama-cpp-python CVE-2024-34359 was a template escaping a plain Environment), and
with limits, since the sandbox keeps a template from reaching Python but not from spending
time and memory without end:

- time: a render that runs past RENDER_SECONDS stops at its next step (every call, operator,
  attribute, item and loop turn checks the clock);
- size: no value a template makes (text, list, the output) may weigh more than
  size_limit() (a few million characters, more for a long conversation), where a list
  weighs its items and what they hold, counted again for each reference, so that printing
  it cannot multiply it; the operations that multiply in one step (`*`, `**`, `%` and
  format widths, join, replace, center, indent...) are checked BEFORE they run;
- work: all the values a render makes together may not weigh more than WORK_PER_SIZE times
  that (a loop that keeps making large texts ends);
- depth: calls (macros, recursive loops) nest at most MAX_CALL_DEPTH deep; Python's own
  RecursionError, MemoryError and any other exception end the render too.

Every way a render fails is a TemplateRenderError, in words; TemplateLimitError when it is
the limits. A model whose template breaks them on a plain exchange is refused at load
(template_refusal(), called by the worker), so the model is marked with the reason.

User text never becomes control tokens: render_prompt() hands each message's content to the
template with every control token's text (the model's `<|im_start|>`, `<|eot_id|>`,
`<start_of_turn>`...) replaced by a placeholder of private-use characters, and returns the
prompt as pieces: template text (tokenized with special tokens parsed) and the user's
control-token strings (tokenized as plain text).
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import string
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from desktop_llm.core.engine.protocol import TEMPLATE_FAILED, ChatMessage
from desktop_llm.core.i18n import arg

# Used when a model carries no template: ChatML is what most small instruct models speak.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# --- limits ---------------------------------------------------------------------------------

RENDER_SECONDS = 2.0
# The largest value (and output) a render may make: this, plus OUTPUT_PER_INPUT characters
# for each character of the conversation.
MIN_SIZE_LIMIT = 4 * 1024 * 1024
OUTPUT_PER_INPUT = 4
WORK_PER_SIZE = 16
MAX_CALL_DEPTH = 64
MAX_INT_BITS = 1 << 16
MAX_COUNT = 100_000  # slices of a |slice, like Jinja's own cap on range()
MAX_JSON_INDENT = 16
MAX_TEMPLATE_CHARS = 1024 * 1024


class TemplateRenderError(Exception):
    """A template failed; str() is the message for the user, `reason` the template's (or
    the limits') own words."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = message if reason is None else reason


class TemplateLimitError(TemplateRenderError):
    """The template went past the limits (time, size, depth): raised inside the render."""

    def __init__(self, reason: str) -> None:
        super().__init__(arg(TEMPLATE_FAILED, reason), reason)


def size_limit(input_chars: int) -> int:
    return MIN_SIZE_LIMIT + OUTPUT_PER_INPUT * input_chars


class _Budget:
    """What one render may still spend; the environment's hooks charge it."""

    def __init__(self, size: int, seconds: float) -> None:
        self.size = size
        self.work = size * WORK_PER_SIZE
        self.spent = 0
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.depth = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(f"it ran longer than {self.seconds:g} seconds")

    def too_big(self) -> TemplateLimitError:
        return TemplateLimitError(f"it made a value larger than {self.size:,} characters")

    def allow(self, estimate: int) -> None:
        """Refuse an operation before it runs when its result would be too large."""
        if estimate > self.size:
            raise self.too_big()

    def charge(self, value: Any) -> Any:
        """Check a value the template made and count it against the render's work."""
        self.tick()
        if weight(value, self.size) > self.size:
            raise self.too_big()
        self.spent += shallow_size(value)
        if self.spent > self.work:
            raise TemplateLimitError(f"it made more than {self.work:,} characters of values in all")
        return value


_local = threading.local()


def _budget() -> _Budget:
    budget: _Budget | None = getattr(_local, "budget", None)
    if budget is None:  # the environment used outside _render(): each step on its own
        return _Budget(MIN_SIZE_LIMIT, RENDER_SECONDS)
    return budget


def shallow_size(value: Any) -> int:
    """What making this value allocated: its characters, or its slots."""
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        return len(value)
    return 1


def weight(value: Any, cap: int) -> int:
    """How many characters and items value holds, each reference counted again (what
    printing or comparing it walks); stops counting once past cap."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
            continue
        if isinstance(item, Namespace):
            item = item._Namespace__attrs  # type: ignore[attr-defined]
        if isinstance(item, dict):
            total += len(item)
            if total > cap:
                return total
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item)
            if total > cap:
                return total
            stack.extend(item)
        else:
            total += 1
        if total > cap:
            return total
    return total


# --- checks before an operation runs --------------------------------------------------------

_PERCENT = re.compile(r"%(?:\(([^)]*)\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)?", re.DOTALL)


def _text_weight(value: Any, cap: int) -> int:
    """An upper bound of len(str(value)): repr() writes at most 10 characters for one."""
    return len(value) if isinstance(value, str) else 10 * weight(value, cap)


def _percent_estimate(fmt: str, values: Any, cap: int) -> int:
    """An upper bound of the length of fmt % values; widths given by `*` are refused."""
    total = len(fmt)
    for match in _PERCENT.finditer(fmt):
        key, width, precision, _kind = match.groups()
        if width == "*" or precision == "*":
            raise TemplateLimitError("its % format takes a width from its arguments")
        total += int(width or 0) + int(precision or 0)
        if key is not None and isinstance(values, dict):
            total += _text_weight(values.get(key), cap)
    if not isinstance(values, dict):
        total += _text_weight(values, cap)
    return total


def _format_estimate(fmt: str, args: Sequence[Any], kwargs: dict[str, Any], cap: int) -> int:
    """An upper bound of the length of fmt.format(*args, **kwargs)."""
    total = len(fmt)
    auto = 0
    for _literal, field, spec, _conversion in string.Formatter().parse(fmt):
        if field is None:
            continue
        if spec and "{" in spec:
            raise TemplateLimitError("its format takes a width from its arguments")
        total += sum(int(n) for n in re.findall(r"\d+", spec or ""))
        head = re.split(r"[.\[]", field, maxsplit=1)[0]
        if head == "":
            head, auto = str(auto), auto + 1
        value = args[int(head)] if head.isdigit() and int(head) < len(args) else kwargs.get(head)
        total += _text_weight(value, cap)
        if total > cap:
            break
    return total


def _join_estimate(separator: str, items: list[Any], cap: int) -> int:
    total = len(separator) * max(len(items) - 1, 0)
    for item in items:
        total += _text_weight(item, cap)
        if total > cap:
            break
    return total


def _replace_estimate(text: str, old: str, new: str, count: int | None) -> int:
    found = len(text) + 1 if old == "" else text.count(old)
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _check_str_method(budget: _Budget, method: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Pre-checks for the str methods that can multiply a text; returns the arguments to
    call with (join's iterable made a list first)."""
    text: str = method.__self__
    name = method.__name__
    size = budget.size
    if name in ("center", "ljust", "rjust", "zfill") and args and isinstance(args[0], int):
        budget.allow(args[0])
    elif name == "expandtabs":
        tab = args[0] if args and isinstance(args[0], int) else 8
        budget.allow(len(text) + text.count("\t") * max(tab, 0))
    elif name == "join" and args:
        items = list(_guard_iter(args[0]))
        budget.allow(_join_estimate(text, items, size))
        return (items, *args[1:])
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str):
        count = args[2] if len(args) > 2 and isinstance(args[2], int) else None
        budget.allow(_replace_estimate(text, args[0], str(args[1]), count))
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((weight(v, size) for v in args[0].values()), default=1)
        budget.allow(len(text) * max(longest, 1))
    return args


def _check_filter(budget: _Budget, name: str, bound: inspect.BoundArguments) -> None:
    """Pre-checks for the filters that can multiply their input; join's and sum's input is
    made a list first (in bound)."""
    given = bound.arguments
    size = budget.size
    if name == "center":
        width = given.get("width", 80)
        if isinstance(width, int):
            budget.allow(width)
    elif name == "indent":
        width = given.get("width", 4)
        step = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        text = str(given.get("s", ""))
        budget.allow(len(text) + step * (text.count("\n") + 1))
    elif name == "replace":
        old, new = given.get("old"), given.get("new")
        if isinstance(old, str):
            count = given.get("count")
            count = count if isinstance(count, int) else None
            budget.allow(_replace_estimate(str(given.get("s", "")), old, str(new), count))
    elif name == "join":
        items = list(_guard_iter(given.get("value", ())))
        given["value"] = items
        budget.allow(_join_estimate(str(given.get("d", "")), items, size))
    elif name == "format":
        args, kwargs = given.get("args", ()), given.get("kwargs", {})
        budget.allow(_percent_estimate(str(given.get("value", "")), kwargs or args, size))
    elif name == "sum":
        items = list(_guard_iter(given.get("iterable", ())))
        given["iterable"] = items
        start = given.get("start", 0)
        if not isinstance(start, (int, float)) or any(
            not isinstance(i, (int, float)) for i in items
        ):
            budget.allow(sum(weight(i, size) for i in items) + weight(start, size))
    elif name == "wordwrap":
        text, width = str(given.get("s", "")), given.get("width", 79)
        wrap = given.get("wrapstring") or "\n"
        if isinstance(width, int) and width > 0:
            budget.allow(len(text) * 2 + len(str(wrap)) * (len(text) // width + 1))
    elif name in ("slice", "batch"):
        count = given.get("slices", given.get("linecount"))
        if name == "slice" and isinstance(count, int) and count > MAX_COUNT:
            raise TemplateLimitError(f"it asked for more than {MAX_COUNT:,} slices")
        if isinstance(count, int) and given.get("fill_with") is not None and count > MAX_COUNT:
            raise TemplateLimitError(f"it asked for more than {MAX_COUNT:,} items")
    elif name == "tojson":
        indent = given.get("indent")
        if isinstance(indent, int) and indent > MAX_JSON_INDENT:
            raise TemplateLimitError(f"it indents JSON by more than {MAX_JSON_INDENT}")
        if isinstance(indent, str) and len(indent) > MAX_JSON_INDENT:
            raise TemplateLimitError(f"it indents JSON by more than {MAX_JSON_INDENT}")


def _guard_iter(iterable: Any) -> Any:
    """Iterate with the clock checked at every turn (each `for` of a template goes here)."""
    budget = _budget()
    budget.tick()
    for item in iterable:
        budget.tick()
        yield item


def _guarded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    try:
        signature: inspect.Signature | None = inspect.signature(func)
    except (TypeError, ValueError):
        signature = None
    # Jinja's async-ready filters (join, sum, slice...) wrap a plain one and take an extra
    # first argument (the eval context) that the signature, the plain one's, lacks.
    extra = int(
        getattr(func, "jinja_pass_arg", None) is not None
        and getattr(inspect.unwrap(func), "jinja_pass_arg", None) is None
    )

    @functools.wraps(func)  # keeps jinja_pass_arg (context, environment...)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.tick()
        if signature is not None:
            head, rest = args[:extra], args[extra:]
            try:
                bound = signature.bind(*rest, **kwargs)
            except TypeError:
                pass  # the filter itself says what is wrong with its arguments
            else:
                _check_filter(budget, name, bound)
                args, kwargs = (*head, *bound.args), bound.kwargs
        return budget.charge(func(*args, **kwargs))

    return guarded


def _guarded_test(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _budget().tick()
        return func(*args, **kwargs)

    return guarded


# --- the environment ------------------------------------------------------------------------


class _LimitedCodeGenerator(CodeGenerator):
    """Literals and `~` go through the environment's checks too."""

    def _checked(self, visit: Callable[[Any, Frame], None], node: Any, frame: Frame) -> None:
        self.write("environment.checked(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._checked(super().visit_List, node, frame)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._checked(super().visit_Dict, node, frame)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx == "load":
            self._checked(super().visit_Tuple, node, frame)
        else:  # a target: `{% for a, b in ... %}`
            super().visit_Tuple(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.joined((")
        for item in node.nodes:
            self.visit(item, frame)
            self.write(", ")
        self.write("))")


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, charging each step of a render to its _Budget."""

    code_generator_class = _LimitedCodeGenerator
    # Intercepted operators are also never folded at compile time ('x' * 10**9 included).
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {n: _guarded_filter(n, f) for n, f in self.filters.items()}
        self.tests = {n: _guarded_test(f) for n, f in self.tests.items()}
        self.globals.pop("lipsum", None)  # lipsum(n=10**6): no chat template needs it

    # Hooks the compiled template calls.
    def checked(self, value: Any) -> Any:
        return _budget().charge(value)

    def joined(self, parts: tuple[Any, ...]) -> str:
        budget = _budget()
        texts = [str(p) for p in parts]
        budget.allow(sum(len(t) for t in texts))
        return budget.charge("".join(texts))

    def concat(self, parts: Iterable[Any]) -> str:  # type: ignore[override]
        # Macro bodies and {% set %} blocks: their pieces are checked, their sum here.
        budget = _budget()
        texts = list(parts)
        budget.allow(sum(len(t) for t in texts))
        return budget.charge("".join(texts))

    @staticmethod
    def guard_iter(iterable: Any) -> Any:
        return _guard_iter(iterable)

    def _generate(self, source: nodes.Template, *args: Any, **kwargs: Any) -> str:
        for loop in source.find_all(nodes.For):
            # Jinja allows no new node types: a call of environment.guard_iter.
            guard = nodes.EnvironmentAttribute("guard_iter", lineno=loop.iter.lineno)
            loop.iter = nodes.Call(guard, [loop.iter], [], None, None, lineno=loop.iter.lineno)
        return super()._generate(source, *args, **kwargs)

    # The sandbox's own hooks.
    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.tick()
        if isinstance(getattr(obj, "__self__", None), str) and callable(obj):
            args = _check_str_method(budget, obj, args)
        budget.depth += 1
        try:
            if budget.depth > MAX_CALL_DEPTH:
                raise TemplateLimitError(
                    f"its calls nest more than {MAX_CALL_DEPTH} deep (endless recursion?)"
                )
            result = super().call(context, obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        return budget.charge(result)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = _budget()
        budget.tick()
        ints = isinstance(left, int) and isinstance(right, int)
        if operator == "*":
            if ints:
                if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise TemplateLimitError(f"it made a number of more than {MAX_INT_BITS:,} bits")
            elif isinstance(right, int) and not isinstance(left, (int, float)):
                budget.allow(weight(left, budget.size) * right)
            elif isinstance(left, int) and not isinstance(right, (int, float)):
                budget.allow(weight(right, budget.size) * left)
        elif operator == "**" and ints and right > 0 and abs(left) > 1:
            if left.bit_length() * right > MAX_INT_BITS:
                raise TemplateLimitError(f"it made a number of more than {MAX_INT_BITS:,} bits")
        elif operator == "%" and isinstance(left, str):
            budget.allow(_percent_estimate(left, right, budget.size))
        elif operator == "+" and not ints:
            budget.allow(weight(left, budget.size) + weight(right, budget.size))
        return budget.charge(super().call_binop(context, operator, left, right))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _budget().tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        budget = _budget()
        budget.tick()
        value = super().getitem(obj, argument)
        return budget.charge(value) if isinstance(argument, slice) else value

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text: str = value.__self__
        format_map = value.__name__ == "format_map"

        @functools.wraps(wrapper)
        def checked(*args: Any, **kwargs: Any) -> str:
            budget = _budget()
            if format_map and len(args) == 1 and isinstance(args[0], dict):
                budget.allow(_format_estimate(text, (), args[0], budget.size))
            else:
                budget.allow(_format_estimate(text, args, kwargs, budget.size))
            return wrapper(*args, **kwargs)

        return checked


def _raise_exception(message: str) -> None:
    raise TemplateRenderError(message)


def _tojson(value: Any, indent: int | None = None, **_: Any) -> str:
    # Transformers renders tojson without escaping non-ASCII; templates expect that.
    return json.dumps(value, ensure_ascii=False, indent=indent)


@lru_cache(maxsize=8)
def _compile(source: str) -> Any:
    env = LimitedSandbox(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    env.filters["tojson"] = _guarded_filter("tojson", _tojson)
    return env.from_string(source)


# --- rendering ------------------------------------------------------------------------------


def _render(
    template: str,
    messages: Sequence[ChatMessage],
    *,
    bos_token: str,
    eos_token: str,
    add_generation_prompt: bool,
    seconds: float = RENDER_SECONDS,
) -> str:
    """The prompt text, within the limits; every failure a TemplateRenderError."""
    if len(template) > MAX_TEMPLATE_CHARS:
        raise TemplateLimitError(f"it is longer than {MAX_TEMPLATE_CHARS:,} characters")
    input_chars = sum(len(m.content) + len(m.role) for m in messages)
    budget = _Budget(size_limit(input_chars), seconds)
    outer = getattr(_local, "budget", None)
    _local.budget = budget
    try:
        compiled = _compile(template)  # compiling may fold constants: under the budget too
        chunks: list[str] = []
        length = 0
        for chunk in compiled.generate(
            messages=[{"role": m.role, "content": m.content} for m in messages],
            bos_token=bos_token,
            eos_token=eos_token,
            add_generation_prompt=add_generation_prompt,
        ):
            length += len(chunk)
            if length > budget.size:
                raise TemplateLimitError(f"its output grew past {budget.size:,} characters")
            budget.charge(chunk)
            chunks.append(chunk)
        return "".join(chunks)
    except TemplateRenderError:
        raise
    except RecursionError as exc:
        raise TemplateLimitError("it recursed too deeply") from exc
    except MemoryError as exc:
        raise TemplateLimitError("it ran out of memory") from exc
    except Exception as exc:  # a broken template in the file: in its own (Jinja's) words
        raise TemplateRenderError(arg(TEMPLATE_FAILED, exc), str(exc)) from exc
    finally:
        _local.budget = outer


def render_chat(
    template: str,
    messages: Sequence[ChatMessage],
    *,
    bos_token: str,
    eos_token: str,
    add_generation_prompt: bool = True,
) -> str:
    """Return the prompt text; raise TemplateRenderError with the template's own words."""
    return _render(
        template,
        messages,
        bos_token=bos_token,
        eos_token=eos_token,
        add_generation_prompt=add_generation_prompt,
    )


# What template_problem() renders a template with: a plain exchange every chat template
# must take (no system message: some templates refuse one in their own words).
_TRIAL = (
    ChatMessage("user", "Hello"),
    ChatMessage("assistant", "Hi! How can I help?"),
    ChatMessage("user", "Say something."),
)


def template_problem(template: str) -> str | None:
    """Why a chat template cannot be used, in its own (Jinja's) words; None when it
    compiles in the sandbox and renders a plain exchange into text within the limits."""
    try:
        text = render_chat(template, _TRIAL, bos_token="<s>", eos_token="</s>")
    except TemplateRenderError as exc:
        cause = exc.__cause__
        if isinstance(cause, TemplateSyntaxError):
            return f"{cause.message} (line {cause.lineno})"
        return exc.reason
    if _TRIAL[-1].content not in text:
        return "it leaves out the messages"
    return None


def template_refusal(template: str, *, bos_token: str, eos_token: str) -> str | None:
    """The words a model is refused with at load when its template breaks the limits on a
    plain exchange; None otherwise (a template that fails in its own words is left to
    say so at each reply)."""
    try:
        render_chat(template, _TRIAL, bos_token=bos_token, eos_token=eos_token)
    except TemplateLimitError as exc:
        return str(exc)
    except TemplateRenderError:
        return None
    return None


# --- user text never becomes control tokens -------------------------------------------------

# Placeholders: one character of Supplementary Private Use Area-A and one of -B per
# escaped string (65,534 squared of them), never changed by trim/split/upper in templates.
_HIGH, _LOW, _SPAN = 0xF0000, 0x100000, 0xFFFE
_PLACEHOLDER = re.compile("([\U000f0000-\U000ffffd])([\U00100000-\U0010fffd])")
_PRIVATE = "[\U000f0000-\U000ffffd\U00100000-\U0010fffd]"


@lru_cache(maxsize=8)
def _control_pattern(control_texts: frozenset[str]) -> re.Pattern[str]:
    texts = sorted((t for t in control_texts if t), key=len, reverse=True)
    return re.compile("|".join([*(re.escape(t) for t in texts), _PRIVATE]))


def render_prompt(
    template: str,
    messages: Sequence[ChatMessage],
    *,
    bos_token: str,
    eos_token: str,
    control_texts: Collection[str],
    add_generation_prompt: bool = True,
) -> list[tuple[str, bool]]:
    """The prompt as (text, special) pieces: special=True for the template's text, whose
    control tokens are parsed; False for control-token strings that came from the messages,
    to be tokenized as plain text. Joined, the texts are the rendered prompt."""
    pattern = _control_pattern(frozenset(control_texts))
    table: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        k = len(table)
        table.append(match.group(0))
        return chr(_HIGH + k // _SPAN) + chr(_LOW + k % _SPAN)

    escaped = [ChatMessage(m.role, pattern.sub(placeholder, m.content)) for m in messages]
    text = _render(
        template,
        escaped,
        bos_token=bos_token,
        eos_token=eos_token,
        add_generation_prompt=add_generation_prompt,
    )
    pieces: list[tuple[str, bool]] = []

    def add(piece: str, special: bool) -> None:
        if not piece:
            return
        if pieces and pieces[-1][1] == special:
            pieces[-1] = (pieces[-1][0] + piece, special)
        else:
            pieces.append((piece, special))

    at = 0
    for match in _PLACEHOLDER.finditer(text):
        k = (ord(match.group(1)) - _HIGH) * _SPAN + ord(match.group(2)) - _LOW
        add(_strip_private(text[at : match.start()]), True)
        add(table[k] if k < len(table) else match.group(0), False)
        at = match.end()
    add(_strip_private(text[at:]), True)
    return pieces


def _strip_private(text: str) -> str:
    # A half placeholder (a template that cut a message mid-way): nothing of the user's,
    # and no control token either.
    return re.sub(_PRIVATE, "", text)


def prompt_tokens(
    pieces: Sequence[tuple[str, bool]], tokenize: Callable[[bytes, bool], list[int]]
) -> list[int]:
    """The tokens of render_prompt()'s pieces; tokenize(data, special)."""
    tokens: list[int] = []
    for text, special in pieces:
        tokens.extend(tokenize(text.encode("utf-8"), special))
    return tokens
