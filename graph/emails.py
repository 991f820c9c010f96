"""E-mail addresses: the form we store and the key that identifies a mailbox.

Two spellings of one mailbox must not make two members, and a banned address must not
come back as a variant, so uniqueness and bans use `mailbox_key`: lower case, without a
+tag, and for providers that ignore them, without dots in the local part. A +tag is an
alias at every domain (no list of providers could be complete, and a missing one let a
banned member back in as user+1@), except at the domains the operator declares apart
(`plus_apart`, from TRUSTNET_PLUS_APART_DOMAINS), where user+tag@ is a mailbox of its own.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from email.errors import HeaderParseError
from email.headerregistry import Address

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = rf"{_LABEL}(?:\.{_LABEL})+$"
_ADDRESS = re.compile(r"^[^@\s<>\"(),;:]{1,64}@" + _DOMAIN)

# RFC 5322's plain form of an address: a dot-atom local part (no quoting, no comment, no
# encoded word: "=?" is refused apart) at a domain of _ADDRESS's. The mail library reads such
# an address as exactly itself (tests/graph_layer/test_import_speed.py checks it), so it is
# not parsed: the parse costs about 30 µs, most of what an import spends reading its file.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM_ADDRESS = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*@" + _DOMAIN)

# Providers that ignore dots in the local part.
_DOTLESS_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
_DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}


def normalize_email(address: str) -> str:
    """Return the address trimmed and lower-cased, or raise ValueError if it is not one.

    An address is one plain mailbox, read the same way by us and by the mail library:
    no RFC 2047 encoded word (`=?utf-8?q?...?=`), which the library would decode into
    another mailbox, or several, than the one we checked, stored and ban.
    """
    address = address.strip().lower()
    if (len(address) > 254 or not _ADDRESS.match(address) or "=?" in address
            or not is_one_plain_mailbox(address)):
        raise ValueError("not a valid e-mail address")
    return address


def is_one_plain_mailbox(address: str) -> bool:
    """Whether the mail library reads address as exactly this one mailbox."""
    if "=?" not in address and _DOT_ATOM_ADDRESS.match(address):
        return True
    try:
        return Address(addr_spec=address).addr_spec == address
    except (HeaderParseError, ValueError, IndexError, AttributeError):
        # The library's parser fails on some broken domain literals ("0@[@example.org")
        # with an AttributeError of its own.
        return False


def mailbox_key(address: str, plus_apart: Collection[str] = ()) -> str:
    """Return the key of the mailbox the address delivers to (see the module docstring)."""
    local, _, domain = normalize_email(address).rpartition("@")
    domain = _DOMAIN_ALIASES.get(domain, domain)
    if domain not in plus_apart:
        local = local.split("+", 1)[0]
    if domain in _DOTLESS_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"
