"""Extract, update and compile the translations (`make translations`).

1. Extract every message of graph/, trustnet/ and templates/ (babel.cfg says which files;
   KEYWORDS which calls: gettext and friends, Flask-Babel's lazy forms, and the domain
   errors of graph/errors.py, whose first argument is a message members read).
2. Merge them into translations/<language>/LC_MESSAGES/messages.po: new messages arrive
   untranslated, messages no longer in the code are dropped.
3. Compile each .po into the .mo the app reads. The .mo files are committed, so a fresh
   clone speaks French without a build step.

Then translate the new entries (msgstr "") and run it again, to compile them.
tests/test_translations.py fails while a message is missing, untranslated or fuzzy, or a
.mo is older than its .po: `python -m scripts.translations --check` says the same.
"""

from __future__ import annotations

import argparse
import io
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from trustnet.i18n import DEFAULT_LANGUAGE
from trustnet.i18n import LANGUAGES as APP_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
MAPPING = ROOT / "babel.cfg"
SOURCE_DIRS = ("graph", "trustnet", "templates")
LANGUAGES = tuple(language for language in APP_LANGUAGES if language != DEFAULT_LANGUAGE)
DOMAIN = "messages"
ERROR_CLASSES = ("Conflict", "Forbidden", "NotFound", "Invalid", "TooLarge")
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    **{name: None for name in ERROR_CLASSES},
}


def po_path(language: str, directory: Path = TRANSLATIONS) -> Path:
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str, directory: Path = TRANSLATIONS) -> Path:
    return po_path(language, directory).with_suffix(".mo")


def _in_sources(dirpath: str) -> bool:
    relative = Path(dirpath).resolve().relative_to(ROOT)
    return not relative.parts or relative.parts[0] in SOURCE_DIRS


def extract() -> Catalog:
    """Every translatable message of the code and templates, as a template catalog."""
    with MAPPING.open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    template = Catalog(project="TrustNet", fuzzy=False)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS,
                             comment_tags=("TRANSLATORS:",), strip_comment_tags=True,
                             directory_filter=_in_sources)
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments,
                     context=context)
    return template


HEADER = {
    "project": "TrustNet",
    "version": tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"],
    "msgid_bugs_address": "",
    "copyright_holder": "TrustNet contributors",
    "last_translator": "TrustNet contributors",
}


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def update(template: Catalog, language: str) -> Catalog:
    """Merge the template into a language's catalog (created if missing) and write it."""
    path = po_path(language)
    if path.exists():
        catalog = read_catalog(path, language)
        if {m.id for m in catalog if m.id} == {m.id for m in template if m.id}:
            template.creation_date = catalog.creation_date  # no header churn when unchanged
    else:
        catalog = Catalog(locale=language, fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False
    for name, value in HEADER.items():
        setattr(catalog, name, value)
    catalog.language_team = catalog.locale.english_name if catalog.locale else language
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, ignore_obsolete=True, include_lineno=False)
    path.write_bytes(buffer.getvalue())
    return catalog


def compile_catalog(language: str, directory: Path = TRANSLATIONS) -> None:
    """Write the .mo of a language from its .po (translated, non-fuzzy messages only)."""
    catalog = read_catalog(po_path(language, directory), language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    mo_path(language, directory).write_bytes(buffer.getvalue())


def _key(message) -> object:
    ident = tuple(message.id) if isinstance(message.id, list | tuple) else message.id
    return (message.context, ident)


def _text(message) -> object:
    return tuple(message.string) if isinstance(message.string, list | tuple) else message.string


def problems(language: str, template: Catalog | None = None,
             directory: Path = TRANSLATIONS) -> Iterator[str]:
    """What keeps a language from being complete, one line each: messages of the template
    missing from its catalog, untranslated or fuzzy entries, placeholders that differ, and
    a .mo that does not hold exactly the translations of the .po."""
    po, mo = po_path(language, directory), mo_path(language, directory)
    if not po.exists():
        yield f"{po} is missing: run make translations"
        return
    catalog = read_catalog(po, language)
    if template is not None:
        known = {_key(m) for m in catalog if m.id}
        for message in template:
            if message.id and _key(message) not in known:
                yield f"not in the {language} catalog (run make translations): {message.id!r}"
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            yield f"fuzzy in {language}: {message.id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            yield f"untranslated in {language}: {message.id!r}"
    for message, errors in catalog.check():
        for error in errors:
            yield f"{language}: {message.id!r}: {error}"
    if not mo.exists():
        yield f"{mo} is missing: run make translations"
        return
    with mo.open("rb") as handle:
        compiled = {_key(m): _text(m) for m in read_mo(handle) if m.id}
    expected = {_key(m): _text(m) for m in catalog if m.id and not m.fuzzy and m.string}
    if compiled != expected:
        yield f"{mo} is not compiled from its .po: run make translations"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; list what is missing, untranslated or stale")
    args = parser.parse_args(argv)
    template = extract()
    if args.check:
        found = [line for language in LANGUAGES for line in problems(language, template)]
        print("\n".join(found) or "translations complete", file=sys.stderr)
        return 1 if found else 0
    for language in LANGUAGES:
        catalog = update(template, language)
        compile_catalog(language)
        todo = [m.id for m in catalog if m.id and (m.fuzzy or not m.string)]
        print(f"{po_path(language).relative_to(ROOT)}: {len(todo)} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
