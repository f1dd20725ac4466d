"""Where the bundled data tables live.

The repository's top-level resources/ folder, found the same way desktop_llm/app.py finds
resources/icons: relative to this file, so it works from a source checkout and an editable
install without any lookup at run time.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[3] / "resources" / "energy"
CARBON_INTENSITY_JSON = RESOURCES / "carbon_intensity.json"
CPU_POWER_JSON = RESOURCES / "cpu_power.json"
