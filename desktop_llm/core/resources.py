"""The bundled data files (resources/ at the top of the repository): the one way to find them.

The folder is installed as the package ``desktop_llm.resources`` (see setup.py), so
importlib.resources finds it in every install: a checkout with `make venv` (editable: the
folder itself), a wheel (package data) and a frozen build. Nothing computes a path from
``__file__``.

Names are "/"-separated paths inside the folder: ``"energy/cpu_power.json"``.
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "desktop_llm.resources"

CATALOG = "catalog.json"
CARBON_INTENSITY = "energy/carbon_intensity.json"
CPU_POWER = "energy/cpu_power.json"
APP_ICON = "icons/desktop-llm.svg"


def resource(name: str) -> Traversable:
    """The bundled file `name`; it may not exist (check with .is_file())."""
    node = files(PACKAGE)
    for part in name.split("/"):
        node = node / part
    return node


def read_text(name: str) -> str:
    """The bundled text file `name`, decoded as UTF-8; OSError when it cannot be read."""
    return resource(name).read_text(encoding="utf-8")


_extracted = ExitStack()
atexit.register(_extracted.close)


def resource_path(name: str) -> Path:
    """A file system path to `name`, for APIs that take a file name (Qt's QIcon).

    Every install form this project has (editable, wheel, PyInstaller) keeps the files on
    disk, so this is the file itself. Were the package ever imported from a zip, it would be
    a temporary copy, kept until the process exits (Qt may read the file lazily).
    """
    node = resource(name)
    if isinstance(node, Path):
        return node
    return _extracted.enter_context(as_file(node))
