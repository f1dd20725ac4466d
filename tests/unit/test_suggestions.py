"""The models the welcome page suggests: only what fits, the user's language first."""

from __future__ import annotations

from desktop_llm.core.models.catalog import load_catalog
from desktop_llm.core.models.suggestions import first_run_suggestions

GB = 1000**3


def test_a_roomy_machine_gets_the_catalogs_first_three() -> None:
    catalog = load_catalog()
    picks = first_run_suggestions(catalog, context_length=4096, free_ram=32 * GB)
    assert [s.model.id for s in picks] == [m.id for m in catalog[:3]]
    assert all(s.hint.verdict == "fits" and s.file.quantization == "Q4_K_M" for s in picks)


def test_a_small_machine_gets_only_what_fits_with_room_to_spare() -> None:
    catalog = load_catalog()
    picks = first_run_suggestions(catalog, context_length=4096, free_ram=2 * GB)
    assert picks  # the small ones still fit
    assert all(s.hint.needed_bytes <= 0.8 * 2 * GB for s in picks)
    too_big = [
        m.id for m in catalog if m.parameters.endswith("B") and float(m.parameters[:-1]) >= 3
    ]
    assert not {s.model.id for s in picks} & set(too_big)


def test_the_users_language_comes_first() -> None:
    catalog = load_catalog()
    english_only = [m.id for m in catalog if "zh" not in m.languages]
    picks = first_run_suggestions(catalog, context_length=4096, free_ram=32 * GB, language="zh")
    assert all("zh" in s.model.languages for s in picks)
    assert english_only  # the catalog has models without Chinese, and they came after
    nothing = first_run_suggestions(catalog, context_length=4096, free_ram=100_000_000)
    assert nothing == []
