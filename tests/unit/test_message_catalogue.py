"""Every wrapped string has a Finnish translation that keeps its placeholders and compiles.

The check extracts the strings from the source itself (babel.cfg's methods,
the Makefile's keywords), so it fails as soon as someone wraps a new string
without running `make extract-messages` and translating it.
"""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
FI_PO = ROOT / "pojo/translations/fi/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def extract_keywords() -> dict:
    """The default keywords plus the ones the Makefile's extract-messages passes with -k."""
    makefile = (ROOT / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    return {**DEFAULT_KEYWORDS, **{name: None for name in re.findall(r"-k (\S+)", line)}}


@pytest.fixture(scope="module")
def source_messages() -> dict:
    """(context, msgid) -> first place it is used, for every string wrapped in the source."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=extract_keywords()
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault((context, msgid), f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def finnish():
    with FI_PO.open("rb") as po:
        return read_po(po)


def test_every_wrapped_string_has_a_finnish_translation(source_messages, finnish):
    missing = []
    for (context, msgid), where in source_messages.items():
        message = finnish.get(msgid, context)
        strings = message and (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        if not message or message.fuzzy or not all(strings):
            missing.append(f"{where}: {msgid!r}")
    assert not missing, (
        "No Finnish translation (run `make extract-messages` and translate in "
        "pojo/translations/fi/LC_MESSAGES/messages.po):\n" + "\n".join(missing)
    )


def test_translations_keep_the_placeholders_of_the_english(finnish):
    wrong = []
    for message in finnish:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = {name for text in ids for name in PLACEHOLDER.findall(text)}
        used = [set(PLACEHOLDER.findall(text)) for text in strings]
        # A plural form may leave the number out ("one row"), but none may invent a name.
        if any(names - expected for names in used) or set().union(*used) != expected:
            wrong.append(f"{message.id!r} -> {message.string!r}")
    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)


def test_finnish_catalogue_compiles_without_format_errors(finnish):
    # The same checks `pybabel compile` runs; an error there fails `make translations`.
    errors = [f"{message.id!r}: {problems}" for message, problems in finnish.check()]
    assert not errors, "\n".join(errors)
