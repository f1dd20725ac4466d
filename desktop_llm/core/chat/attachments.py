"""Files attached to a chat message: reading them, and how they enter the prompt.

A text file (prose, Markdown, CSV, source code, in any encoding core/text_files.py reads) is
attached as its decoded text; a PDF as the text pypdf extracts from its pages. The kind is
told by the content, not the name (so every source-code suffix, a Makefile or a .ts that is
TypeScript all work): a PDF by its magic bytes, a binary file (image, Word document, archive,
program) by a NUL among its first bytes, and those are refused in words.

The model is given the user's message as prompt_message() writes it (see there); the store
keeps the text and the files apart (messages and attachments), so the window shows them
apart and an export has both.

Whether the files fit is counted before anything is stored (ChatService.send): the system
prompt, the message and each file's block, tokenized by the loaded model, plus the room
the engine keeps for the reply. What does not fit raises AttachmentsTooLong with the
numbers, so a front end can say so and offer to summarize the files instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from desktop_llm.core.engine.protocol import reply_reserve
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models import format_bytes
from desktop_llm.core.store import Attachment
from desktop_llm.core.text_files import (
    open_regular_file,
    read_text_file,
    readable_file_size,
    unreadable,
)

log = logging.getLogger(__name__)

# A text longer than this is not a message: it is for the Summarize page (any length).
MAX_TEXT_BYTES = 10_000_000
# PDFs carry fonts and images; their text is a small part of the file.
MAX_PDF_BYTES = 100_000_000
# The first bytes tell a PDF (its magic) or a binary file (a NUL) from text.
_PROBE_BYTES = 8192
# The chat template's tokens around each message (role markers, separators): a generous
# allowance, since the count is of the texts alone.
TEMPLATE_TOKENS_PER_MESSAGE = 16
# A file longer than this is counted on a sample and extrapolated: tokenizing megabytes that
# cannot fit anyway would only keep the user waiting.
COUNT_SAMPLE_CHARS = 200_000

# What the file dialog offers first (the rest: "All files").
DIALOG_PATTERNS = (
    "*.txt *.md *.markdown *.rst *.csv *.tsv *.json *.yaml *.yml *.toml *.xml *.html *.log "
    "*.py *.c *.h *.cpp *.hpp *.cs *.java *.kt *.go *.rs *.swift *.js *.ts *.tsx *.php *.rb "
    "*.sh *.sql *.pdf"
)
_PDF_MAGIC = b"%PDF-"
# Text files in UTF-16 or UTF-32 have NULs; their byte-order mark says they are text.
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


@dataclass(frozen=True)
class AttachedFile:
    """A file read for a message: its name (no folder), kind ("text" or "pdf"), its text as
    the model reads it, the file's size in bytes, and its tokens once counted."""

    name: str
    kind: str
    text: str
    size: int
    tokens: int | None = None


def from_row(row: Attachment) -> AttachedFile:
    """A stored attachment as the value the prompt is made from."""
    return AttachedFile(row.name, row.kind, row.text, row.size, row.tokens)


def as_row(file: AttachedFile) -> Attachment:
    """A new row for the store (Store.add_attachments)."""
    return Attachment(
        name=file.name, kind=file.kind, text=file.text, size=file.size, tokens=file.tokens
    )


class AttachmentsTooLong(UserError):
    """The attached files do not fit the model's context with the message and the reply.

    needed: the files' tokens (about); context: the model's context in tokens; room: what
    is left of it for files after the system prompt, the message and the reply's share."""

    def __init__(self, files: Sequence[AttachedFile], needed: int, context: int, room: int):
        self.files = tuple(files)
        self.needed = needed
        self.context = context
        self.room = max(0, room)
        super().__init__(
            arg(
                translate(
                    "Attachments",
                    "The attached files need about %1 tokens; the model reads %2 at once, "
                    "and %3 of them are left for files after your message and room for the "
                    "reply. Summarize the files instead, attach less, or raise the context "
                    "length in Settings.",
                ),
                f"{needed:,}",
                f"{context:,}",
                f"{self.room:,}",
            )
        )


# --- reading ---------------------------------------------------------------------------------


def read_attachment(path: Path) -> AttachedFile:
    """The file at path as an attachment; UserError in plain words when it cannot be one.

    Blocking (a large PDF takes seconds): the window calls it in a pool."""
    size = _file_size(path)
    with _open(path) as file:
        head = file.read(_PROBE_BYTES)
    if head.startswith(_PDF_MAGIC) or (path.suffix.lower() == ".pdf" and not _is_text(head)):
        if size > MAX_PDF_BYTES:
            raise _too_large(path, size, MAX_PDF_BYTES)
        return AttachedFile(path.name, "pdf", read_pdf_text(path), size)
    if not _is_text(head):
        raise UserError(
            arg(
                translate(
                    "Attachments",
                    "%1 is not a text file or a PDF, so it cannot be attached. Attach text "
                    "files (.txt, .md, .csv, source code) or PDFs.",
                ),
                path.name,
            )
        )
    if size > MAX_TEXT_BYTES:
        raise _too_large(path, size, MAX_TEXT_BYTES)
    decoded = read_text_file(path, max_bytes=MAX_TEXT_BYTES)
    return AttachedFile(path.name, "text", decoded.text, size)


def read_pdf_text(path: Path) -> str:
    """The text of every page, pages separated by a blank line."""
    from pypdf import PdfReader  # imported here: a few hundred ms nobody without PDFs pays
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            # Many PDFs are encrypted only to restrict printing or copying, with an empty
            # password that any viewer opens them with.
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                opened = 0
            if not opened:
                raise _protected(path)
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except FileNotDecryptedError:
        raise _protected(path) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
        # pypdf's own errors, and the plain ones a damaged file can raise inside it.
        log.info("pypdf could not read %s: %r", path, error)
        raise UserError(
            arg(
                translate("Attachments", "%1 could not be read as a PDF: %2"),
                path.name,
                str(error) or type(error).__name__,
            )
        ) from None
    text = "\n\n".join(page for page in pages if page)
    if not text.strip():
        raise UserError(
            arg(
                translate(
                    "Attachments",
                    "%1 has no text to read: its pages are probably scanned images. Run it "
                    "through text recognition (OCR) first, or paste the text.",
                ),
                path.name,
            )
        )
    return text


def _file_size(path: Path) -> int:
    return readable_file_size(
        path, translate("Attachments", "%1 is a folder; attach the files inside it.")
    )


def _open(path: Path) -> BinaryIO:
    try:
        return open_regular_file(path)  # a FIFO swapped in after the size check: refused
    except OSError as error:
        raise unreadable(path, error) from error


def _protected(path: Path) -> UserError:
    return UserError(
        arg(
            translate(
                "Attachments",
                "%1 is encrypted or protected by a password. Open it in a PDF reader, save "
                "a copy without the protection, and attach that.",
            ),
            path.name,
        )
    )


def _too_large(path: Path, size: int, limit: int) -> UserError:
    return UserError(
        arg(
            translate(
                "Attachments",
                "%1 is too large to attach: %2, and the limit is %3. The Summarize page "
                "takes texts of any length.",
            ),
            path.name,
            format_bytes(size),
            format_bytes(limit),
        )
    )


def _is_text(head: bytes) -> bool:
    return head.startswith(_TEXT_BOMS) or b"\x00" not in head


# --- the prompt ------------------------------------------------------------------------------

# The user's message as the model reads it, when files are attached: each file as a fenced
# block after a line with its name, then the message itself, last, so that the question is
# what the model reads just before it answers:
#
#     File: notes.md
#     ```
#     …the file's text…
#     ```
#
#     File: data.csv
#     ```
#     …
#     ```
#
#     What do these say about March?
#
# A fence is one backtick longer than the longest run of backticks in the file (CommonMark),
# so a Markdown file with its own code blocks cannot close it early.


def file_block(file: AttachedFile) -> str:
    text = file.text
    fence = "`" * max(3, _longest_backtick_run(text) + 1)
    return f"File: {file.name}\n{fence}\n{text.rstrip(chr(10))}\n{fence}"


def prompt_message(text: str, files: Sequence[AttachedFile]) -> str:
    """The message the model is given for text with files attached (format above)."""
    if not files:
        return text
    parts = [file_block(f) for f in files]
    if text.strip():
        parts.append(text)
    return "\n\n".join(parts)


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    index = text.find("`")
    while index >= 0:
        run = 1
        while index + run < len(text) and text[index + run] == "`":
            run += 1
        longest = max(longest, run)
        index = text.find("`", index + run)
    return longest


# --- fitting ---------------------------------------------------------------------------------


def count_files(
    files: Sequence[AttachedFile],
    text: str,
    system_prompt: str | None,
    *,
    context: int,
    max_tokens: int,
    count_tokens: Callable[[list[str]], list[int]],
) -> list[AttachedFile]:
    """The files with their token counts; AttachmentsTooLong when they do not fit the
    context with the system prompt, the message and the room for the reply.

    count_tokens is the loaded model's tokenizer (EngineClient.count_tokens)."""
    blocks = [file_block(f) for f in files]
    samples = [b if len(b) <= COUNT_SAMPLE_CHARS else b[:COUNT_SAMPLE_CHARS] for b in blocks]
    counts = count_tokens([system_prompt or "", text, *samples])
    system_tokens, text_tokens, *sampled = counts
    file_tokens = [
        n if len(block) == len(sample) else round(n * len(block) / max(1, len(sample)))
        for n, block, sample in zip(sampled, blocks, samples, strict=True)
    ]
    counted = [replace(f, tokens=n) for f, n in zip(files, file_tokens, strict=True)]
    overhead = TEMPLATE_TOKENS_PER_MESSAGE * (2 if system_prompt else 1)
    room = context - reply_reserve(context, max_tokens) - system_tokens - text_tokens - overhead
    needed = sum(file_tokens)
    if needed > room:
        raise AttachmentsTooLong(counted, needed, context, room)
    return counted
