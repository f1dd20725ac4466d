"""The size in bytes of every model file this app knows by name: what is installed (exact)
and, for a file measured here once and removed since, the catalog's approximate size.
What the forecast of a file's cost scales by (core/energy/forecast.py)."""

from __future__ import annotations

from desktop_llm.core.errors import UserError
from desktop_llm.core.models.catalog import load_catalog
from desktop_llm.core.models.registry import ModelRegistry


def known_file_sizes(registry: ModelRegistry) -> dict[str, int]:
    """File name -> bytes (reads the catalog and lists the models folder: not on a GUI thread)."""
    sizes: dict[str, int] = {}
    try:
        for model in load_catalog():
            sizes.update({f.filename: f.size_bytes for f in model.files})
    except UserError:
        pass  # the installed files still count
    sizes.update({m.path.name: m.size_bytes for m in registry.list()})
    return sizes
