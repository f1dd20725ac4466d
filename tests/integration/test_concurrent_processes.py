"""Several processes on one data folder, as a user runs them: the window, the CLI, twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop_llm.core.store import Store


def test_processes_starting_together_on_a_fresh_folder_all_start(tmp_path: Path) -> None:
    """Before: two processes creating the tables at once, one failed in 8 of 10 runs with
    'table conversations already exists'."""
    for run in range(3):
        home = tmp_path / f"home{run}"
        env = {**os.environ, "DESKTOP_LLM_HOME": str(home)}
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "desktop_llm", "history", "list", "--json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert out.strip() == "[]"
        (db,) = (home / "data").glob("*.sqlite3")
        with Store(db) as store:
            assert store.integrity_check() == "ok"
        assert not list((home / "data").glob("*.migrating"))
