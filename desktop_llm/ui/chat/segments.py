"""A reply's Markdown cut into prose and code, cheaply enough to run on every streaming frame.

Code blocks (``` and ~~~ fences, display math) become their own widgets: highlighted, with a
copy button, scrolling sideways instead of wrapping. What is left is Markdown for Qt's own
renderer (tables included), with inline math turned into code spans, so that TeX reads as
written instead of losing its backslashes and underscores to Markdown.

Pure Python and linear in the text: a reply is re-split on each frame while it streams.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

SegmentKind = Literal["markdown", "code"]

# A fence: ``` or ~~~ (three or more), any indentation (code inside list items), then the
# info string (a backtick fence's may not hold a backtick).
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$")
_BEGIN_ENV = re.compile(r"^[ \t]*\\begin\{(?P<env>[A-Za-z]+\*?)\}")
# The environments a model writes as display math outside $$ … $$.
_MATH_ENVS = frozenset(
    [
        "equation",
        "equation*",
        "align",
        "align*",
        "gather",
        "gather*",
        "multline",
        "multline*",
        "eqnarray",
        "eqnarray*",
        "displaymath",
        "math",
    ]
)

# Inline code spans, left alone; the text between them may hold inline math.
_CODE_SPAN = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)", re.DOTALL)
# \( … \), $$ … $$ on one line, and $ … $ as pandoc reads it: no space inside either dollar,
# the closing one not followed by a digit or a word character (so "$5 and $10" stays prose).
_INLINE_MATH = re.compile(
    r"\\\((?P<paren>.+?)\\\)"
    r"|\$\$(?P<display>[^$\n]+?)\$\$"
    r"|(?<![\\$\w])\$(?P<dollar>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![\w$])"
)


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    text: str  # Markdown to render, or the code exactly as it is copied
    language: str = ""  # a code block's info word ("python"); "latex" for display math
    closed: bool = True  # False for a code block still being written (no closing fence yet)


def split_segments(text: str) -> list[Segment]:
    """Prose and code blocks, in order. Prose segments keep their Markdown (inline math made
    into code spans); code segments hold the code without its fences or indentation."""
    segments: list[Segment] = []
    prose: list[str] = []
    lines = text.split("\n")
    i, count = 0, len(lines)

    def flush() -> None:
        if prose:
            markdown = "\n".join(prose)
            if markdown.strip():
                segments.append(Segment("markdown", inline_math_as_code(markdown)))
            prose.clear()

    while i < count:
        line = lines[i]
        stripped = line.strip()
        if "`" in line or "~" in line:
            fence = _FENCE.match(line)
            if fence is not None and not (
                fence["fence"][0] == "`" and "`" in fence["info"]
            ):  # "```x```" on one line is an inline span
                flush()
                end, code = _fenced_code(lines, i, fence)
                info = fence["info"].split()
                segments.append(Segment("code", code, info[0] if info else "", closed=end < count))
                i = end + 1
                continue
        if stripped.startswith(("$$", "\\[")):
            flush()
            i = _display_math(lines, i, segments)
            continue
        if stripped.startswith("\\begin{"):
            env = _BEGIN_ENV.match(line)
            if env is not None and env["env"] in _MATH_ENVS:
                flush()
                i = _environment(lines, i, env["env"], segments)
                continue
        prose.append(line)
        i += 1
    flush()
    return segments


def _fenced_code(lines: list[str], start: int, fence: re.Match[str]) -> tuple[int, str]:
    """(index of the closing fence line, or len(lines) when none yet; the code)."""
    marker = fence["fence"]
    indent = len(fence["indent"])
    closing = re.compile(rf"^[ \t]*{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$")
    code: list[str] = []
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if closing.match(line):
            break
        # The fence's indentation belongs to the list item, not to the code.
        if indent:
            spaces = len(line) - len(line.lstrip(" "))
            line = line[min(spaces, indent) :]
        code.append(line)
        i += 1
    return i, "\n".join(code)


def _display_math(lines: list[str], start: int, segments: list[Segment]) -> int:
    first = lines[start].strip()
    opener, closer = ("$$", "$$") if first.startswith("$$") else ("\\[", "\\]")
    rest = first[len(opener) :]
    if rest.rstrip().endswith(closer) and len(rest.rstrip()) >= len(closer):
        # $$ … $$ on one line.
        segments.append(Segment("code", rest.rstrip()[: -len(closer)].strip(), "latex"))
        return start + 1
    body = [rest] if rest.strip() else []
    i = start + 1
    while i < len(lines):
        line = lines[i].rstrip()
        if line.endswith(closer):
            last = line[: -len(closer)]
            if last.strip():
                body.append(last)
            segments.append(Segment("code", _dedent(body), "latex"))
            return i + 1
        body.append(lines[i])
        i += 1
    segments.append(Segment("code", _dedent(body), "latex", closed=False))
    return i


def _environment(lines: list[str], start: int, env: str, segments: list[Segment]) -> int:
    end = f"\\end{{{env}}}"
    i = start
    while i < len(lines):
        if end in lines[i]:
            segments.append(Segment("code", _dedent(lines[start : i + 1]), "latex"))
            return i + 1
        i += 1
    segments.append(Segment("code", _dedent(lines[start:]), "latex", closed=False))
    return i


def _dedent(lines: list[str]) -> str:
    indents = [len(x) - len(x.lstrip()) for x in lines if x.strip()]
    cut = min(indents, default=0)
    return "\n".join(x[cut:] for x in lines).strip("\n")


def inline_math_as_code(markdown: str) -> str:
    """Inline TeX ($x^2$, \\(a_i\\)) as code spans, delimiters kept: Markdown would read its
    backslashes as escapes and its underscores as emphasis. Existing code spans stay."""
    if "$" not in markdown and "\\(" not in markdown:
        return markdown
    out: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(markdown):
        out.append(_INLINE_MATH.sub(_as_code_span, markdown[position : span.start()]))
        out.append(span.group(0))
        position = span.end()
    out.append(_INLINE_MATH.sub(_as_code_span, markdown[position:]))
    return "".join(out)


def _as_code_span(match: re.Match[str]) -> str:
    return code_span(match.group(0))


def code_span(text: str) -> str:
    """Markdown for text shown verbatim in a code span, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"
