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


@pytest.mark.parametrize(
    "text",
    [
        '1,"I love it, wonderful!"\n2,"Awful, I hate it."\n3,"Fine."\n',  # numbered rows
        "Great value for the money.\nNever again!\nIt works\n",  # one column of sentences
        "positive,It was a long and tiring trip but the hotel made up for it\nneg,bad\n",
        "good,good\nbad,fine\n",  # two equal cells are no header
    ],
)
def test_a_csv_without_a_header_keeps_its_first_row(text: str) -> None:
    batch = read_csv_batch(text)
    first = text.splitlines()[0]
    assert not batch.header
    assert batch.columns == [str(n) for n in range(1, len(batch.columns) + 1)]
    assert len(batch.rows) == len(text.splitlines())  # no row lost
    assert batch.rows[0].source is not None
    assert ",".join(batch.rows[0].source.values()).replace('"', "") in first.replace('"', "")


@pytest.mark.parametrize(
    "text",
    [
        REVIEWS,
        "review\nGreat value for the money.\nNever again!\n",
        "What did you like most about our service?\nThe staff.\nNothing at all!\n",
        "评论\n这个产品很好用。\n太差了！\n",
        "a,b\n",
    ],
)
def test_a_header_is_still_taken_as_the_header(text: str) -> None:
    batch = read_csv_batch(text)
    assert batch.header
    assert batch.columns[0] == text.split("\n")[0].split(";")[0].split(",")[0]


def test_the_choice_can_be_made_explicit() -> None:
    text = "id,review\n1,fine\n"
    assert [r.text for r in read_csv_batch(text, header=False).rows] == ["review", "fine"]
    assert [r.text for r in read_csv_batch("Great\nBad\n", header=True).rows] == ["Bad"]
    # A column asked for by name means a header; by number (not a name there), none.
    assert read_csv_batch("1,great\n2,bad\n", "2").header is False
    assert [r.text for r in read_csv_batch("1,great\n2,bad\n", "2").rows] == ["great", "bad"]
    assert read_csv_batch(text, "review").header is True
