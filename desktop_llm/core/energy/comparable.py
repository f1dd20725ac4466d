"""Which energy records can be compared: those measured while the machine was quiet.

A record marked contended (energy/contention.py) cost more than the same reply on a quiet
machine, so comparisons of models, quantizations and thread counts (the evaluations, the
model comparison, eco mode's calibration) leave it out and say so. A record with no
contention figure (stored before migration 0007) is unknown: kept by default, since
dropping every older figure would leave most comparisons empty, and counted apart so a
caller can say so or leave it out (include_unknown=False). A remote engine's reply was not
measured here at all (or only estimated from the user's figure for the server): it is always
left out, and counted (remote).

    chosen = comparable_rows(store)            # or comparable(records) for records at hand
    if chosen.none:
        show(chosen.words())   # "All 3 measurements were taken while ..."
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from desktop_llm.core.energy.reading import REMOTE
from desktop_llm.core.i18n import PLURAL, arg, translate
from desktop_llm.core.store import EnergyRow, Store

T = TypeVar("T")


@dataclass(frozen=True)
class Comparable(Generic[T]):
    records: list[T] = field(default_factory=list)  # uncontended (and unknown, if allowed)
    contended: int = 0  # left out: measured while other programs kept the CPUs busy
    unknown: int = 0  # no contention figure (before 0007); in records when allowed
    remote: int = 0  # left out: a remote engine's replies, not measured on this computer

    @property
    def none(self) -> bool:
        """True when there is nothing to compare (also when there were no records at all)."""
        return not self.records

    def words(self) -> str:
        """What was left out, in words ("" when nothing was)."""
        words = self._contention_words()
        if remote_count := self.remote:
            remote = translate(
                "Energy", "%n reply(ies) on a remote engine left out: not measured on this "
                "computer.", None, PLURAL, remote_count
            )  # fmt: skip
            words = arg(translate("Energy", "%1 %2", "a sentence, then the next"), words, remote)
            words = words.strip()
        return words

    def _contention_words(self) -> str:
        left_out = self.contended
        if self.none and left_out:
            return translate(
                "Energy", "All %n measurement(s) were taken while other programs kept the CPU "
                "busy, so none can be compared with a quiet machine's.", None, PLURAL, left_out
            )  # fmt: skip
        if left_out:
            return translate(
                "Energy", "%n measurement(s) taken while other programs kept the CPU busy "
                "left out.", None, PLURAL, left_out
            )  # fmt: skip
        return ""


def _self(item: Any) -> Any:
    return item


def comparable(
    items: Iterable[T],
    *,
    energy: Callable[[T], Any] = _self,
    include_unknown: bool = True,
) -> Comparable[T]:
    """The items whose energy record (energy(item): anything with .contended) was not
    measured under contention, in their order, and how many were left out."""
    kept: list[T] = []
    contended = unknown = remote = 0
    for item in items:
        record = energy(item)
        if getattr(record, "source", None) == REMOTE:
            remote += 1
            continue
        flag = record.contended
        if flag:
            contended += 1
            continue
        if flag is None:
            unknown += 1
            if not include_unknown:
                continue
        kept.append(item)
    return Comparable(kept, contended, unknown, remote)


def comparable_rows(
    store: Store, since: datetime | None = None, *, include_unknown: bool = True
) -> Comparable[EnergyRow]:
    """The stored generations (with model, task, tokens) whose energy can be compared."""
    return comparable(
        store.energy_rows(since), energy=lambda row: row.energy, include_unknown=include_unknown
    )
