"""The CLI's layout: every sub-command dispatches through `run`, command groups do not import
each other, headless commands never load Qt, and the progress line stays off pipes."""

from __future__ import annotations

import argparse
import ast
import io
import subprocess
import sys
from pathlib import Path

import desktop_llm.cli
from desktop_llm.cli import build_parser
from desktop_llm.cli.energy import _published_figures
from desktop_llm.cli.output import ProgressLine
from desktop_llm.core.energy.report import PUBLISHED_KWH_PER_1000

CLI = Path(desktop_llm.cli.__file__).parent
GROUPS = {"chat", "tasks", "models", "engines", "energy", "eval"}


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[str, object]:
    """The `run` default of every sub-command that has no sub-commands of its own."""
    found: dict[str, object] = {}
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        return {" ".join(path): parser.get_default("run")}
    for action in subparsers:
        for name, child in action.choices.items():
            found |= _leaves(child, (*path, name))
    return found


def test_every_sub_command_but_the_window_has_a_run_function() -> None:
    leaves = _leaves(build_parser())
    assert leaves.pop("gui") is None  # the window opens its own services
    assert {"chat", "history list", "translate", "models download", "energy meters"} <= set(leaves)
    missing = [name for name, run in leaves.items() if not callable(run)]
    assert missing == []


def test_no_command_group_imports_another() -> None:
    offenders = []
    for name in GROUPS:
        tree = ast.parse((CLI / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            imported: list[str] = []
            if isinstance(node, ast.Import):
                imported = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                # `from desktop_llm.cli import energy` names the module after `import`.
                imported = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for module in imported:
                parts = module.split(".")
                if parts[:2] == ["desktop_llm", "cli"] and parts[2:3] and parts[2] in GROUPS:
                    offenders.append(f"{name}.py: {module}")
    assert offenders == []


def test_importing_the_cli_loads_no_qt() -> None:
    modules = [f"desktop_llm.cli.{p.stem}" for p in sorted(CLI.glob("*.py"))]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_rewrites_itself_on_a_terminal_and_is_silent_elsewhere() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for err in (terminal, pipe):
        progress = ProgressLine(err)
        progress.show("item 1 of 2 (1/2)")
        progress.show("item 2 of 2 (2/2)")
        progress.clear()
    assert terminal.getvalue() == "\r\x1b[Kitem 1 of 2 (1/2)\r\x1b[Kitem 2 of 2 (2/2)\r\x1b[K"
    assert pipe.getvalue() == ""


def test_the_report_names_each_published_figure_once() -> None:
    sentence = _published_figures()
    assert sentence == "text classification 0.002, text generation 0.047, summarization 0.049"
    for _, kwh in PUBLISHED_KWH_PER_1000.values():
        assert f" {kwh:g}" in sentence
