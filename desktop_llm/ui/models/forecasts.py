"""What the Discover tab and the welcome page forecast of a file before it is downloaded.

`basis_source(services)` gives the function the views run in their pools (it reads the store,
the models folder and the catalog): core/energy/forecast.py scales the models measured here
to any file's size. `show_forecast()` puts a file's forecast, or why there is none, in a
label; `hide_when_none` leaves the label hidden instead of saying why (the welcome page,
which a new user sees before anything could be measured).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel

from desktop_llm.core.energy.forecast import (
    ForecastBasis,
    basis_from_store,
    forecast_details,
    forecast_words,
    why_not_words,
)
from desktop_llm.core.models.sizes import known_file_sizes
from desktop_llm.core.services import Services
from desktop_llm.ui.common.style import set_tone

BasisSource = Callable[[], ForecastBasis]


def basis_source(services: Services) -> BasisSource:
    """A function for a pool: the forecast basis from this computer's measured replies."""
    store, registry = services.store, services.registry

    def compute() -> ForecastBasis:
        return basis_from_store(store, known_file_sizes(registry))

    return compute


def show_forecast(
    label: QLabel,
    basis: ForecastBasis | None,
    size: int | None,
    filename: str,
    *,
    hide_when_none: bool = False,
) -> None:
    """The file's forecast in the label; why there is none (or nothing, hidden)."""
    forecast = basis.forecast(size, filename) if basis is not None else None
    words = forecast_words(forecast) if forecast is not None else ""
    if words:
        label.setText(words)
        label.setToolTip(forecast_details(forecast))  # type: ignore[arg-type]
        set_tone(label, "note")
    elif basis is not None and basis.why_not is not None and not hide_when_none:
        label.setText(why_not_words(basis.why_not))
        label.setToolTip("")
        set_tone(label, "muted")
    else:
        label.setText("")
        label.setToolTip("")
    label.setVisible(bool(label.text()))
