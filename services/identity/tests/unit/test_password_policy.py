"""The rules for user names and new passwords."""

from __future__ import annotations

from portal_identity.accounts.policy import password_problem, username_problem


def test_user_names_are_letters_and_numbers() -> None:
    assert username_problem("anna2") is None
    assert username_problem("anna.schmidt") is not None
    assert username_problem("") is not None


def test_passwords_are_long_uncommon_and_do_not_contain_the_user_name() -> None:
    assert password_problem("correct-horse-battery-9", username="anna") is None
    assert password_problem("short", username="anna") is not None
    assert password_problem("anna-is-my-name-1", username="anna") is not None
    assert password_problem("x" * 1025, username="anna") is not None
    assert password_problem("1qaz2wsx3edc", username="anna") is not None
