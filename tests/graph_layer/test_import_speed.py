"""What makes `trustnet import` read a large file fast without checking any less."""

from __future__ import annotations

import json
from email.errors import HeaderParseError
from email.headerregistry import Address

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from graph import emails, importer

# Characters of addresses, plain and not: atext, dots, specials, spaces, quotes, non-ASCII.
ADDRESS_CHARACTERS = "abcXYZ019!#$%&'*+/=?^_`{|}~-.@ \"()<>[]\\,;:é"


def read_by_the_mail_library_as_itself(address: str) -> bool:
    """The reference: the mail library parses the address into exactly this one mailbox."""
    try:
        return Address(addr_spec=address).addr_spec == address
    except (HeaderParseError, ValueError, IndexError, AttributeError):
        return False


@given(st.text(alphabet=ADDRESS_CHARACTERS, min_size=1, max_size=24)
       .map(lambda local: f"{local}@example.org")
       | st.text(alphabet=ADDRESS_CHARACTERS, min_size=3, max_size=30))
@example("0@[@example.org")  # the library's parser fails on it with an AttributeError
def test_an_address_is_one_plain_mailbox_exactly_when_the_mail_library_reads_it_so(address):
    assert emails.is_one_plain_mailbox(address) == read_by_the_mail_library_as_itself(address)


def test_reading_a_file_of_plain_addresses_never_parses_them_with_the_mail_library(
        engine, monkeypatch):
    parsed: list[str] = []

    class CountedAddress(Address):
        """The mail library's Address, counting the addresses it is asked to parse."""

        def __init__(self, *args, addr_spec=None, **kwargs):
            parsed.append(addr_spec)
            super().__init__(*args, addr_spec=addr_spec, **kwargs)

    monkeypatch.setattr(emails, "Address", CountedAddress)
    lines = [json.dumps({"type": "member", "email": f"Member.{n}+x@Example.org",
                         "name": f"Member {n}", "founder": n == 0}) for n in range(300)]
    lines += [json.dumps({"type": "sponsorship", "sponsor": "member.0+x@example.org",
                          "sponsee": f"member.{n}+x@example.org"}) for n in range(1, 300)]

    plan = importer.validate(engine, lines)

    assert len(plan.members) == 300 and plan.members[5]["email_key"] == "member.5@example.org"
    assert parsed == []
    # An address that is not a dot-atom still goes to the mail library, and is refused.
    bad = [json.dumps({"type": "member", "email": "a[b]@example.org", "name": "A",
                       "founder": True})]
    with pytest.raises(importer.ImportFileError) as refused:
        importer.validate(engine, bad)
    assert refused.value.errors == [(1, "email is not a valid e-mail address: "
                                        "'a[b]@example.org'")]
    assert parsed == ["a[b]@example.org"]
