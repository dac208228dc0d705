"""Rules for usernames and passwords."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

USERNAME = re.compile(r"^[A-Za-z0-9]{1,64}$")
USERNAME_RULE = "A user name can only contain letters or numbers."
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024


@cache
def common_passwords() -> frozenset[str]:
    text = (
        resources.files("portal_identity.accounts") / "data" / "common-passwords.txt"
    ).read_text()
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def username_problem(username: str) -> str | None:
    if USERNAME.fullmatch(username):
        return None
    return f'The user name "{username}" isn\'t valid. {USERNAME_RULE}'


def password_problem(password: str, *, username: str) -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"The password must have at most {MAX_PASSWORD_LENGTH} characters."
    if username and username.lower() in password.lower():
        return "The password must not contain the user name."
    if password.lower() in common_passwords():
        return "This password is too common. Choose one that is harder to guess."
    return None
