"""Where the app keeps its files.

platformdirs gives the usual per-OS locations; DESKTOP_LLM_HOME=DIR puts every one of them
under DIR, which is what tests, benchmarks and portable installs use.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from desktop_llm import APP_NAME

HOME_ENV = "DESKTOP_LLM_HOME"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "desktop_llm.sqlite3"

    @property
    def settings_path(self) -> Path:
        return self.config_dir / "settings.json"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AppPaths:
        env = os.environ if env is None else env
        home = env.get(HOME_ENV)
        if home:
            root = Path(home).expanduser().resolve()
            return cls(root / "data", root / "config", root / "cache", root / "logs")
        return cls(
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    def folders(self) -> tuple[Path, ...]:
        """Every folder the app writes in, parents first."""
        return (self.data_dir, self.config_dir, self.cache_dir, self.log_dir, self.models_dir)

    def ensure(self) -> AppPaths:
        for d in self.folders():
            d.mkdir(parents=True, exist_ok=True)
        return self
