"""Which country's grid to assume, without asking the network: the user's setting, else the
territory of the system locale ('fr_FR.UTF-8' -> 'FR'), else none (the world average)."""

from __future__ import annotations

import locale
import os
import re

_TERRITORY = re.compile(r"^[a-z]{2,3}[_-]([A-Z]{2})\b")


def locale_country() -> str | None:
    # LC_ALL / LC_MEASUREMENT / LANG first: getlocale() says 'C' until setlocale() is called.
    candidates = [os.environ.get(name, "") for name in ("LC_ALL", "LC_MEASUREMENT", "LANG")]
    candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        match = _TERRITORY.match(value)
        if match:
            return match.group(1)
    return None


def grid_country(setting: str) -> str | None:
    """The two-letter code to look up: the setting when given, else the locale's."""
    code = setting.strip().upper()
    return code or locale_country()
