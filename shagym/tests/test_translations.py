"""The Kazakh and Russian catalogues are complete, and the compiled .mo files match the .po sources."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], and the fuzzy flag."""
    entries, entry, key = [], {}, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, key = {}, None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if match:
            key = match.group(1)
            entry[key] = _unescape(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += _unescape(line[1:-1])
    return [e for e in entries if e.get("msgid")]


def _unescape(text: str) -> str:
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in text else text


CATALOGUES = [(language, domain) for language in ("kk", "ru") for domain in ("django", "djangojs")
              if (LOCALE / language / "LC_MESSAGES" / f"{domain}.po").exists()]


@pytest.mark.parametrize(("language", "domain"), CATALOGUES)
def test_catalogue_is_complete(language, domain):
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / f"{domain}.po")
    assert entries
    fuzzy = [e["msgid"] for e in entries if e.get("fuzzy")]
    empty = [e["msgid"] for e in entries if not any(v for k, v in e.items() if k.startswith("msgstr"))]
    assert fuzzy == []
    assert empty == []


@pytest.mark.parametrize(("language", "domain"), CATALOGUES)
def test_compiled_catalogue_matches_the_source(language, domain):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / f"{domain}.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for entry in parse_po(folder / f"{domain}.po"):
        if "msgid_plural" in entry or entry.get("fuzzy"):
            continue
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if compiled._catalog.get(msgid) != entry.get("msgstr"):  # type: ignore[attr-defined]
            stale.append(entry["msgid"])
    assert stale == [], "run: manage.py compilemessages"
