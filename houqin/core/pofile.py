"""A small reader for gettext .po files, enough to check that the catalog is complete (no dependency needed)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and not self.fuzzy


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text.startswith('"') else ""


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header (empty msgid) excluded."""
    entries: list[Entry] = []
    entry = Entry()
    key: tuple[str, int] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if key is not None:
                entries.append(entry)
            entry, key = Entry(), None
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,") and "fuzzy" in line:
            entry.fuzzy = True
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if key is None:
                continue
            name, index = key
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, (getattr(entry, name) or "") + _unquote(line))
            continue
        word, _, rest = line.partition(" ")
        if word.startswith("msgstr["):
            key = ("msgstr", int(word[7:-1]))
            entry.msgstr[key[1]] = _unquote(rest)
        elif word == "msgstr":
            key = ("msgstr", 0)
            entry.msgstr[0] = _unquote(rest)
        elif word in ("msgid", "msgid_plural", "msgctxt"):
            key = (word, 0)
            setattr(entry, word, _unquote(rest))
    return [e for e in entries if e.msgid and not e.obsolete]
