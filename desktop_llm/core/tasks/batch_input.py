"""Batch sentiment input (lines of text, or one column of a CSV file) and the CSV result.

The result keeps every input column and adds label and the three probabilities, so it can
be joined back to whatever the rows came from.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.text_files import read_text_file

RESULT_COLUMNS = ("label", "p_positive", "p_negative", "p_neutral")


@dataclass(frozen=True)
class BatchRow:
    text: str
    source: dict[str, str] | None = None  # the CSV row, when the input is a CSV file


def rows_from_lines(text: str) -> list[BatchRow]:
    """One item per non-empty line."""
    return [BatchRow(line.strip()) for line in text.splitlines() if line.strip()]


def _reader(text: str) -> csv.DictReader[str]:
    sample = text[:64_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)


def csv_columns(text: str) -> list[str]:
    reader = _reader(text)
    if not reader.fieldnames:
        raise UserError(translate("Tasks", "The CSV file has no header row naming its columns."))
    return [name for name in reader.fieldnames if name is not None]


@dataclass(frozen=True)
class CsvBatch:
    """A CSV text read as a batch: what a front end shows before the run, and its items."""

    columns: list[str]  # every column, in the header's order
    column: str  # the column to classify: the one asked for, else the guessed text column
    rows: list[BatchRow]  # one per row with a value in `column`


def read_csv_batch(text: str, column: str | None = None) -> CsvBatch:
    """Read a CSV text; column names the one to classify (None: guess it, as the column
    whose values are longest on average over the first rows)."""
    columns = csv_columns(text)
    rows = [{k: (v or "") for k, v in row.items() if k is not None} for row in _reader(text)]
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
    return CsvBatch(columns, column, items)


def rows_from_csv(text: str, column: str | None) -> list[BatchRow]:
    """The items of a CSV text (see read_csv_batch)."""
    return read_csv_batch(text, column).rows


def _likely_text_column(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> str:
    def average_length(name: str) -> float:
        values = [row.get(name, "") for row in rows[:200]]
        return sum(len(v) for v in values) / max(1, len(values))

    return max(columns, key=average_length)


def read_batch_file(path: Path, column: str | None = None) -> list[BatchRow]:
    """A .csv file by column, anything else one item per line."""
    decoded = read_text_file(path)
    if path.suffix.lower() in (".csv", ".tsv"):
        return rows_from_csv(decoded.text, column)
    return rows_from_lines(decoded.text)


def write_results_csv(out: io.TextIOBase | Any, items: Iterable[Any]) -> None:
    """items: objects with text, label, p_positive, p_negative, p_neutral, source."""
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
            p_positive=f"{item.p_positive:.4f}",
            p_negative=f"{item.p_negative:.4f}",
            p_neutral=f"{item.p_neutral:.4f}",
        )
        writer.writerow(row)
