"""A user name to offer for a person who asked for access: made of their name (letters
and digits only, as user names must be), free among users and pending requests."""

from __future__ import annotations

import unicodedata

from portal_identity.uow import IdentityUoW

# German letters are written out as Germans do when a name must be plain ASCII.
SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe"})
SPELLED_OUT.update(str.maketrans({"Ü": "Ue"}))
MAX_BASE = 58  # room for a number within the 64 characters of a user name


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(SPELLED_OUT))
    ascii_only = folded.encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_only.lower() if c.isalnum())


def base_name(name: str, email: str) -> str:
    """`Jürgen O'Neil` -> `juergenoneil`; the address's local part when the name has no
    letter in the Latin alphabet, `user` when neither has one."""
    return (_plain(name) or _plain(email.partition("@")[0]) or "user")[:MAX_BASE]


async def free_username(uow: IdentityUoW, name: str, email: str) -> str:
    """The base name, or the base name with the lowest number from 2 that is free."""
    base = base_name(name, email)
    taken = await uow.access_requests.names_taken(base)
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"
