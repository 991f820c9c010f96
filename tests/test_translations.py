"""The catalogs are complete and compiled: every message of the code and templates is
translated (not fuzzy, same placeholders), and each committed .mo matches its .po.

When this fails: run `make translations`, fill in every new msgstr "" of
translations/<language>/LC_MESSAGES/messages.po, and run it again to compile.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from scripts.translations import (
    LANGUAGES,
    TRANSLATIONS,
    compile_catalog,
    extract,
    po_path,
    problems,
)

HINT = ("\nRun `make translations`, translate every new msgstr \"\" in the .po, "
        "then run it again to compile the .mo.")


@pytest.fixture(scope="module")
def template() -> Catalog:
    """Every message of graph/, trustnet/ and templates/, freshly extracted."""
    return extract()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_compiled(template: Catalog, language: str) -> None:
    found = list(problems(language, template))
    assert not found, "\n".join(found) + HINT


def test_extraction_finds_templates_mails_forms_and_domain_errors(template: Catalog) -> None:
    ids = {message.id for message in template}
    assert "Sign in" in ids  # a template
    assert "To accept, open this link within %(days)d days:" in ids  # a mail template
    assert "Keep me signed in on this device" in ids  # a lazy form label
    assert "you have used all %(quota)d of your invitations" in ids  # a graph/ domain error


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy)
    return copy


def _rewrite(path: Path, change) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    change(catalog)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_the_check_reports_untranslated_fuzzy_and_stale(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    po = po_path("fr", directory)

    def damage(catalog: Catalog) -> None:
        catalog["Sign in"].string = ""
        catalog["Sign out"].flags.add("fuzzy")
        catalog["Settings"].string = "Réglages"  # changed but not compiled: .mo is stale

    _rewrite(po, damage)
    found = "\n".join(problems("fr", directory=directory))
    assert "untranslated in fr: 'Sign in'" in found
    assert "fuzzy in fr: 'Sign out'" in found
    assert "is not compiled from its .po" in found


def test_the_check_reports_a_new_message_and_a_wrong_placeholder(
        tmp_path: Path, template: Catalog) -> None:
    directory = _copy(tmp_path)
    template.add("A message nobody translated yet")
    _rewrite(po_path("fr", directory),
             lambda catalog: setattr(catalog["Hello %(name)s,"], "string", "Bonjour %(nom)s,"))
    found = "\n".join(problems("fr", template, directory))
    assert "not in the fr catalog (run make translations): 'A message nobody" in found
    assert "'Hello %(name)s,'" in found and "placeholder" in found


def test_compiling_makes_the_mo_match_again(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _rewrite(po_path("fr", directory),
             lambda catalog: setattr(catalog["Settings"], "string", "Réglages"))
    compile_catalog("fr", directory)
    assert list(problems("fr", directory=directory)) == []
