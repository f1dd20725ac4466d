"""batch_input: a CSV read as a batch, with the guessed text column exposed."""

from __future__ import annotations

import pytest

from desktop_llm.core.errors import UserError
from desktop_llm.core.tasks.batch_input import read_csv_batch, rows_from_csv

REVIEWS = (
    "id;stars;review\n"
    "1;5;Wonderful little shop, friendly staff\n"
    "2;1;Cold food and a long wait\n"
    "3;3;\n"
)


def test_the_text_column_is_guessed_and_said() -> None:
    batch = read_csv_batch(REVIEWS)
    assert batch.columns == ["id", "stars", "review"]
    assert batch.column == "review"
    assert [row.text for row in batch.rows] == [
        "Wonderful little shop, friendly staff",
        "Cold food and a long wait",
    ]
    assert batch.rows[0].source == {
        "id": "1",
        "stars": "5",
        "review": "Wonderful little shop, friendly staff",
    }
    assert rows_from_csv(REVIEWS, None) == batch.rows


def test_a_chosen_column_is_used_and_an_unknown_one_refused() -> None:
    batch = read_csv_batch(REVIEWS, "stars")
    assert batch.column == "stars"
    assert [row.text for row in batch.rows] == ["5", "1", "3"]
    with pytest.raises(UserError, match="no column 'text'"):
        read_csv_batch(REVIEWS, "text")


def test_without_values_the_first_column_is_the_guess() -> None:
    batch = read_csv_batch("a,b\n")
    assert (batch.column, batch.rows) == ("a", [])
