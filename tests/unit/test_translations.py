"""The translations are complete and built: every string the code marks is in each .ts,
translated (none left "unfinished"), and each committed .qm is what lrelease makes of its .ts.

Runs Qt's own tools (pyside6-lupdate, pyside6-lrelease) on the source tree, so a string
added to the code without a translation fails here until `make translations` and a
translator have been through it.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TOOLS = Path(sys.executable).parent
LUPDATE_FLAGS = ["-extensions", "py", "-locations", "none", "-no-obsolete", "-silent"]

Key = tuple[str, str, str]  # context, source, disambiguation
PLACEHOLDER = re.compile(r"%\d|%L?n")


def _messages(ts: Path) -> dict[Key, ET.Element]:
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            out[key] = message
    return out


def _marked_strings(tmp_path: Path, *extra: str) -> dict[Key, ET.Element]:
    """What lupdate finds in the code now, in a fresh .ts."""
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [str(TOOLS / "pyside6-lupdate"), *LUPDATE_FLAGS, *extra, "desktop_llm", "-ts", str(fresh)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return _messages(fresh)


def _unfinished(message: ET.Element) -> bool:
    translation = message.find("translation")
    if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
        return True
    forms = translation.findall("numerusform")
    texts = [f.text for f in forms] if forms else [translation.text]
    return not all(t and t.strip() for t in texts)


def test_the_code_marks_strings_for_translation(tmp_path: Path) -> None:
    """Guards the check below against lupdate finding nothing (a changed idiom)."""
    found = _marked_strings(tmp_path)
    assert len(found) > 300
    assert ("Settings", "Threads", "") in found


def _calls_in_code() -> dict[Key, bool]:
    """Every translate()/QT_TRANSLATE_NOOP() with a literal context and text, read from the
    code with Python's own parser: key -> whether it is a plural (the PLURAL form)."""
    calls: dict[Key, bool] = {}
    for path in sorted((ROOT / "desktop_llm").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in ("translate", "QT_TRANSLATE_NOOP") or len(node.args) < 2:
                continue
            context, text = node.args[0], node.args[1]
            if not (isinstance(context, ast.Constant) and isinstance(text, ast.Constant)):
                continue
            comment = ""
            if len(node.args) > 2 and isinstance(node.args[2], ast.Constant):
                comment = node.args[2].value or ""
            calls[(context.value, text.value, comment)] = len(node.args) >= 5
    return calls


def test_lupdate_reads_every_call_as_written(tmp_path: Path) -> None:
    """lupdate's Python parser drops some calls without a word (a plural with a trailing
    comma or an attribute as its count) and reads `None, n` as no plural at all: every
    call Python sees must be in its .ts, plurals as plurals (core/i18n.py says how)."""
    found = _marked_strings(tmp_path)
    fresh = ET.parse(tmp_path / "fresh.ts").getroot()
    numerus = {
        (c.findtext("name") or "", m.findtext("source") or "", m.findtext("comment") or "")
        for c in fresh.iter("context")
        for m in c.iter("message")
        if m.get("numerus") == "yes"
    }
    calls = _calls_in_code()
    dropped = sorted(key for key in calls if key not in found)
    not_plural = sorted(key for key, plural in calls.items() if plural and key not in numerus)
    assert not dropped, f"lupdate does not see these calls: {dropped}"
    assert not not_plural, f"lupdate does not read these as plurals: {not_plural}"
    # A plural must be written with PLURAL: `translate(ctx, text, None, n)` is no plural.
    counted = [key for key in found if re.search("%L?n", key[1]) and key not in numerus]
    assert not counted, f"%n without the PLURAL form: {counted}"


@pytest.mark.parametrize(
    ("ts_name", "extra"),
    [("desktop_llm_zh_CN.ts", []), ("desktop_llm_en.ts", ["-pluralonly"])],
)
def test_every_marked_string_is_translated(tmp_path: Path, ts_name: str, extra: list[str]) -> None:
    committed = _messages(TRANSLATIONS / ts_name)
    found = _marked_strings(tmp_path, *extra)
    missing = sorted(key for key in found if key not in committed)
    unfinished = sorted(key for key in found if key in committed and _unfinished(committed[key]))
    assert not missing, (
        f"{len(missing)} strings are not in {ts_name} (make translations): {missing[:10]}"
    )
    assert not unfinished, (
        f"{len(unfinished)} strings are unfinished in {ts_name}: {unfinished[:10]}"
    )


def test_translations_keep_their_placeholders() -> None:
    """A translation that drops or invents a %1 or %n shows the wrong number, or none."""
    wrong = []
    for ts in TRANSLATIONS.glob("*.ts"):
        for (context, source, _), message in _messages(ts).items():
            translation = message.find("translation")
            assert translation is not None
            forms = translation.findall("numerusform") or [translation]
            for form in forms:
                if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(form.text or "")):
                    wrong.append((ts.name, context, source, form.text))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("ts_name", ["desktop_llm_zh_CN.ts", "desktop_llm_en.ts"])
def test_the_committed_qm_is_built_from_its_ts(tmp_path: Path, ts_name: str) -> None:
    built = tmp_path / ts_name.replace(".ts", ".qm")
    subprocess.run(
        [
            str(TOOLS / "pyside6-lrelease"),
            "-silent",
            str(TRANSLATIONS / ts_name),
            "-qm",
            str(built),
        ],
        check=True,
        capture_output=True,
    )
    committed = TRANSLATIONS / built.name
    assert committed.read_bytes() == built.read_bytes(), "run make translations"


# Widget calls whose string argument the user reads; a literal there skips translation.
TEXT_CALLS = {
    "setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "setStatusTip", "setTitle",
    "addAction", "addMenu", "addTab", "setTabText", "showMessage", "setLabelText", "addItem",
    "setHeaderLabels", "setHorizontalHeaderLabels", "information", "warning", "critical",
    "question", "setInformativeText", "setAccessibleName", "QLabel", "QPushButton",
    "QToolButton", "QCheckBox", "QRadioButton", "QAction", "QGroupBox", "QMenu",
}  # fmt: skip
MESSAGE_BOX = {"information", "warning", "critical", "question"}
WORD = re.compile(r"[A-Za-z]{2,}")


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    if isinstance(node, ast.IfExp):
        return (_literal(node.body) or "") + (_literal(node.orelse) or "")
    return None


def test_no_widget_text_bypasses_translation() -> None:
    bare = []
    for path in sorted((ROOT / "desktop_llm" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in TEXT_CALLS:
                continue
            if name in MESSAGE_BOX and not (
                isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "QMessageBox"
            ):
                continue  # log.warning(...) and the like
            for arg in node.args[:3]:
                text = _literal(arg)
                if text and WORD.search(text):
                    bare.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text!r}")
    assert not bare, "\n".join(bare)
