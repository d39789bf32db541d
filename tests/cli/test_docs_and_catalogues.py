"""What the documentation and the translation catalogues promise stays true."""

from __future__ import annotations

import io
from pathlib import Path

import polib

from complaintdesk.policy.check import check

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src/complaintdesk/locale"


def test_the_documented_example_policy_passes_the_check() -> None:
    out = io.StringIO()
    assert check([str(ROOT / "docs/examples/example-retail.yaml")], out) == 0, out.getvalue()


def test_both_catalogues_are_complete() -> None:
    for language in ("zh_Hans", "en"):
        catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES/django.po"))
        untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
        fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
        assert untranslated == [] and fuzzy == [], (language, untranslated[:10], fuzzy[:10])
        assert len(catalogue) > 300


def test_compiled_catalogues_match_their_sources() -> None:
    for language in ("zh_Hans", "en"):
        source = polib.pofile(str(LOCALE / language / "LC_MESSAGES/django.po"))
        compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES/django.mo"))
        expected = {e.msgid: e.msgstr for e in source if not e.msgid_plural and e.msgstr}
        actual = {e.msgid: e.msgstr for e in compiled if not e.msgid_plural}
        assert {k: actual.get(k) for k in expected} == expected, f"run `make messages` ({language})"


# the names xgettext extracts in Python files when Django's makemessages runs it
EXTRACTED = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext",
             "pgettext_lazy", "npgettext", "npgettext_lazy"}


def test_translation_functions_keep_names_makemessages_extracts() -> None:
    """A string marked with a renamed gettext (``gettext as tr``) never reaches the catalogues and is
    shown in English to every reader."""
    import ast

    renamed = []
    for path in (ROOT / "src/complaintdesk").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                renamed += [f"{path.relative_to(ROOT)}: {a.name} as {a.asname}" for a in node.names
                            if a.name in EXTRACTED and (a.asname or a.name) not in EXTRACTED]
    assert renamed == []


def test_placeholders_survive_translation() -> None:
    import re

    catalogue = polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))
    pattern = re.compile(r"%\((\w+)\)[sd]")
    for entry in catalogue:
        if entry.msgid_plural:
            continue
        assert set(pattern.findall(entry.msgid)) == set(pattern.findall(entry.msgstr)), entry.msgid


def test_vendored_files_are_listed_with_versions() -> None:
    vendor = ROOT / "src/complaintdesk/static/vendor"
    listed = (vendor / "VERSIONS").read_text()
    for file in vendor.iterdir():
        if file.name != "VERSIONS":
            assert file.name in listed
