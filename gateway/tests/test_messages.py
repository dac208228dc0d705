"""The services' field messages in the reader's language."""

from __future__ import annotations

from portal_gateway.i18n import field_message


def test_known_messages_are_translated_and_english_readers_get_them_as_sent() -> None:
    error = {"field": "password", "message": "The password is wrong.", "code": "value_error"}
    assert field_message(error, "de") == "Das Passwort ist falsch."
    assert field_message(error, "en") == "The password is wrong."


def test_numbers_in_messages_survive_translation() -> None:
    error = {"message": "String should have at most 200 characters", "code": "string_too_long"}
    assert field_message(error, "de") == "Höchstens 200 Zeichen."


def test_an_unknown_message_falls_back_to_the_wording_of_its_code() -> None:
    missing = {"field": "body.title", "message": "Field required", "code": "missing"}
    assert field_message(missing, "de") == "Pflichtfeld."
    assert field_message(missing, "en") == "Field required"
    choice = {"message": "Input should be 'P1', 'P2', 'P3' or 'P4'", "code": "literal_error"}
    assert field_message(choice, "de") == "Bitte einen der angebotenen Werte wählen."


def test_without_a_known_code_the_message_is_kept() -> None:
    error = {"message": "Something only this service says.", "code": "custom_thing"}
    assert field_message(error, "de") == "Something only this service says."
