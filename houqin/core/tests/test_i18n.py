"""The zh_Hans catalog is complete, compiled, and covers every msgid in the code."""

import gettext
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from houqin.core.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2]
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def untranslated(entries):
    return [e.msgid for e in entries if not e.translated]


def test_every_msgid_has_a_chinese_translation():
    entries = read_po(PO)
    assert entries, "the zh_Hans catalog is empty"
    missing = untranslated(entries)
    assert not missing, f"{len(missing)} msgids lack a zh_Hans translation (or are fuzzy): {missing[:20]}"


def test_compiled_catalog_matches_the_po_file():
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(PO):
        if entry.msgid_plural:
            got = (
                catalog.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                if entry.msgctxt
                else catalog.ngettext(entry.msgid, entry.msgid_plural, 1)
            )
        else:
            got = catalog.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else catalog.gettext(entry.msgid)
        if got != entry.msgstr[0]:
            stale.append(entry.msgid)
    assert not stale, f"django.mo is out of date (run `make messages`): {stale[:10]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_catalog_covers_every_msgid_in_the_code():
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "houqin"
        shutil.copytree(PACKAGE, work, ignore=shutil.ignore_patterns("__pycache__", "static"))
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from django.core.management import execute_from_command_line as m; m()",
                "makemessages",
                "-l",
                "zh_Hans",
                "--no-obsolete",
                "--ignore",
                "tests/*",
                "--ignore",
                "*/tests/*",
            ],
            cwd=work,
            check=True,
            capture_output=True,
            env={
                "DJANGO_SETTINGS_MODULE": "houqin.settings",
                "PYTHONPATH": str(Path(tmp)),
                "PATH": "/usr/bin:/bin:/usr/local/bin",
                "HOUQIN_DATA_DIR": tmp,
            },
        )
        fresh = read_po(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    known = {(e.msgctxt, e.msgid) for e in read_po(PO)}
    new = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known)
    assert not new, f"{len(new)} msgids in the code are not in the catalog (run `make messages`): {new[:20]}"


def test_message_constants_are_marked_for_translation():
    """A module-level message such as NOT_ENOUGH = "Not enough …" is invisible to makemessages unless it is wrapped
    in gettext_noop(); it would then reach users in English."""
    import ast
    import re

    sentence = re.compile(r"^[A-Z][^\n]* [^\n]*(\.|%\(\w+\)[sd])$")
    unmarked = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "settings.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                continue
            name, value = node.targets[0].id, node.value
            is_text = isinstance(value, ast.Constant) and isinstance(value.value, str)
            if name.isupper() and is_text and sentence.match(value.value):
                unmarked.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert not unmarked, f"wrap these message constants in gettext_noop(): {unmarked}"
