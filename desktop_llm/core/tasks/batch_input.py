"""Batch sentiment input (lines of text, or one column of a CSV file) and the CSV result.

The result keeps every input column and adds label and the three probabilities, so it can
be joined back to whatever the rows came from.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.output_files import write_atomically
from desktop_llm.core.store import Store
from desktop_llm.core.text_files import read_text_file

RESULT_COLUMNS = ("label", "p_positive", "p_negative", "p_neutral")


@dataclass(frozen=True)
class BatchRow:
    text: str
    source: dict[str, str] | None = None  # the CSV row, when the input is a CSV file


def rows_from_lines(text: str) -> list[BatchRow]:
    """One item per non-empty line."""
    return [BatchRow(line.strip()) for line in text.splitlines() if line.strip()]


def _table(text: str) -> list[list[str]]:
    """The CSV's rows as lists of cells (the dialect sniffed), blank rows left out."""
    sample = text[:64_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    return [row for row in rows if any(cell.strip() for cell in row)]


def csv_columns(text: str) -> list[str]:
    return read_csv_batch(text).columns


@dataclass(frozen=True)
class CsvBatch:
    """A CSV text read as a batch: what a front end shows before the run, and its items."""

    columns: list[str]  # every column, in the header's order ("1", "2", ... without one)
    column: str  # the column to classify: the one asked for, else the guessed text column
    rows: list[BatchRow]  # one per row with a value in `column`
    header: bool = True  # whether the first row named the columns (else it is an item too)


def read_csv_batch(text: str, column: str | None = None, header: bool | None = None) -> CsvBatch:
    """Read a CSV text; column names the one to classify (None: guess it, as the column
    whose values are longest on average over the first rows). header says whether the first
    row names the columns; None decides (first_row_is_header), so that a file without a
    header does not lose its first row."""
    table = _table(text)
    if not table:
        raise UserError(translate("Tasks", "The CSV file has no header row naming its columns."))
    if header is None:
        header = first_row_is_header(table, column)
    width = max(len(row) for row in table)
    if header:
        columns, body = table[0], table[1:]
    else:
        columns, body = [str(n) for n in range(1, width + 1)], table
    rows = [
        dict(zip(columns, row + [""] * (len(columns) - len(row)), strict=False)) for row in body
    ]
    if column is None:
        column = _likely_text_column(columns, rows)
    elif column not in columns:
        raise UserError(
            arg(
                translate("Tasks", "The CSV file has no column %1. Columns: %2."),
                repr(column),
                ", ".join(columns),
            )
        )
    items = [BatchRow(row[column].strip(), row) for row in rows if row.get(column, "").strip()]
    return CsvBatch(columns, column, items, header)


def rows_from_csv(text: str, column: str | None, header: bool | None = None) -> list[BatchRow]:
    """The items of a CSV text (see read_csv_batch)."""
    return read_csv_batch(text, column, header).rows


# A cell that is a number: 12, -3.5, 1,234, 4.5e3, 80%.
_NUMBER = re.compile(r"[-+]?(\d+([.,]\d+)*|[.,]\d+)([eE][-+]?\d+)?%?")
# A cell that ends like a sentence (a question may well be a survey's column name).
_SENTENCE_END = (".", "!", "。", "！", "…")
_HEADER_MAX_WORDS = 7
_HEADER_MAX_CHARS = 60


def first_row_is_header(table: Sequence[Sequence[str]], column: str | None = None) -> bool:
    """Whether the first row names the columns. A column asked for by a name in the first
    row says yes, by number (1, 2, ... not in that row) no. Otherwise the first row is data
    when it looks like data: two equal cells, a number over a column of numbers, a cell that
    ends like a sentence or is as long as one (a question excepted: a survey's column)."""
    first = [cell.strip() for cell in table[0]]
    if column is not None:
        if column in table[0]:
            return True
        return not (column.isdigit() and 1 <= int(column) <= max(len(r) for r in table))
    named = [cell for cell in first if cell]
    if len(set(named)) < len(named):
        return False
    below = table[1:201]
    for index, cell in enumerate(first):
        values = [row[index].strip() for row in below if index < len(row) and row[index].strip()]
        if _NUMBER.fullmatch(cell) and any(_NUMBER.fullmatch(v) for v in values):
            return False
        if cell.endswith(_SENTENCE_END):
            return False
        if not cell.endswith(("?", "？")) and (
            len(cell.split()) > _HEADER_MAX_WORDS or len(cell) > _HEADER_MAX_CHARS
        ):
            return False
    return True


def _likely_text_column(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    def average_length(name: str) -> float:
        values = [row.get(name, "") for row in rows[:200]]
        return sum(len(v) for v in values) / max(1, len(values))

    return max(columns, key=average_length)


def read_batch_file(
    path: Path, column: str | None = None, header: bool | None = None
) -> list[BatchRow]:
    """A .csv file by column, anything else one item per line."""
    return read_batch(path, column, header)[0]


def read_batch(
    path: Path, column: str | None = None, header: bool | None = None
) -> tuple[list[BatchRow], CsvBatch | None]:
    """The items of a file and, for a .csv/.tsv file, how it was read (its columns, the
    column classified, whether the first row was taken as the header), for a front end to
    say."""
    decoded = read_text_file(path)
    if path.suffix.lower() in (".csv", ".tsv"):
        batch = read_csv_batch(decoded.text, column, header)
        return batch.rows, batch
    return rows_from_lines(decoded.text), None


def sentiment_results(store: Store, conversation_id: int) -> list[Any]:
    """The stored items of a sentiment run, in order; a UserError for another kind of run."""
    if store.get_conversation(conversation_id).task != "sentiment":
        message = translate("Tasks", "Conversation %1 is not a sentiment run; only sentiment results can be exported as CSV.")  # fmt: skip  # noqa: E501
        raise UserError(arg(message, conversation_id))
    return store.sentiment_items(conversation_id)


def export_results(
    store: Store,
    conversation_id: int,
    path: Path,
    *,
    encoding: str = "utf-8",
    overwrite: bool = True,
) -> int:
    """Write a sentiment run's stored results to path as CSV, whole or not at all (core/
    output_files), for both front ends and for a run whose results sit only in the
    database. Returns the number of results written."""
    items = sentiment_results(store, conversation_id)
    write_atomically(
        path, lambda f: write_results_csv(f, items), encoding=encoding, overwrite=overwrite
    )
    return len(items)


def _probability(value: float | None) -> str:
    """A probability's cell: empty when the engine gave none (never a made-up 0)."""
    return "" if value is None else f"{value:.4f}"


def write_results_csv(out: io.TextIOBase | Any, items: Iterable[Any]) -> None:
    """items: objects with text, label, p_positive, p_negative, p_neutral, source. A
    probability the engine did not give (None) is an empty cell."""
    items = list(items)
    source_columns: list[str] = []
    for item in items:
        for name in item.source or {}:
            if name not in source_columns:
                source_columns.append(name)
    columns = (source_columns or ["text"]) + list(RESULT_COLUMNS)
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for item in items:
        row: dict[str, Any] = dict(item.source) if item.source else {"text": item.text}
        row.update(
            label=item.label,
            p_positive=_probability(item.p_positive),
            p_negative=_probability(item.p_negative),
            p_neutral=_probability(item.p_neutral),
        )
        writer.writerow(row)
