"""Which catalog models to suggest to someone who has only the starter model.

The first-run welcome page shows two or three: the curated catalog's own order (its
recommendation), keeping only models whose usual file (Q4_K_M) fits this machine with room
to spare, the ones that speak the user's language first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop_llm.core.models.catalog import CatalogFile, CatalogModel
from desktop_llm.core.models.fit import FitHint, fit_hint

FIRST_RUN_COUNT = 3


@dataclass(frozen=True)
class Suggestion:
    model: CatalogModel
    file: CatalogFile  # the file to download
    hint: FitHint  # what it needs, against what is free


def first_run_suggestions(
    catalog: Sequence[CatalogModel],
    *,
    context_length: int,
    free_ram: int,
    language: str | None = None,
    limit: int = FIRST_RUN_COUNT,
) -> list[Suggestion]:
    """Up to `limit` catalog models that fit ("fits", not "tight"), `language` speakers first."""
    fitting = []
    for model in catalog:
        file = model.recommended_file
        hint = fit_hint(
            file.size_bytes,
            context_length,
            layers=model.layers,
            kv_heads=model.kv_heads,
            head_dim=model.head_dim,
            free_ram=free_ram,
        )
        if hint.verdict == "fits":
            fitting.append(Suggestion(model, file, hint))
    if language:
        fitting.sort(key=lambda s: language not in s.model.languages)  # stable: catalog order
    return fitting[:limit]
