"""The services' field messages in the reader's language."""

from __future__ import annotations

from portal_gateway.web.i18n import field_message


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
    assert field_message(missing, "en") == "This field is required."
    choice = {"message": "Input should be 'P1', 'P2', 'P3' or 'P4'", "code": "literal_error"}
    assert field_message(choice, "de") == "Bitte einen der angebotenen Werte wählen."


def test_without_a_known_code_the_message_is_kept() -> None:
    error = {"message": "Something only this service says.", "code": "custom_thing"}
    assert field_message(error, "de") == "Something only this service says."


# What pydantic really answers for each kind of check, as the services send it on.
def _pydantic_errors() -> list[dict[str, str]]:
    import uuid
    from datetime import date
    from typing import Literal

    from pydantic import AnyHttpUrl, BaseModel, Field, ValidationError

    class Everything(BaseModel):
        password: str = Field(min_length=6, max_length=10)
        name: str = Field(min_length=1)
        code: str = Field(max_length=3)
        tags: list[int] = Field(max_length=2)
        pair: list[int] = Field(min_length=2)
        count: int = Field(gt=0)
        days: int = Field(ge=1, le=5)
        ratio: float = Field(lt=3)
        choice: Literal["x", "y"]
        required: str
        url: AnyHttpUrl
        id: uuid.UUID
        day: date
        flag: bool
        number: int
        pattern: str = Field(pattern="^a+$")
        text: str

    bad = {
        "password": "abc",
        "name": "",
        "code": "abcd",
        "tags": [1, 2, 3],
        "pair": [1],
        "count": 0,
        "days": 9,
        "ratio": 5,
        "choice": "z",
        "url": "nope",
        "id": "q",
        "day": "x",
        "flag": "q",
        "number": "x",
        "pattern": "b",
        "text": 3,
    }
    errors = []
    for attempt in (
        lambda: Everything.model_validate(bad),
        lambda: Everything.model_validate_json("{"),
    ):
        try:
            attempt()
        except ValidationError as e:
            errors += [
                {"field": ".".join(map(str, x["loc"])), "message": x["msg"], "code": x["type"]}
                for x in e.errors()
            ]
    return errors


def test_no_framework_wording_reaches_a_reader_in_either_language() -> None:
    errors = _pydantic_errors()
    assert len(errors) >= 17
    for error in errors:
        for lang in ("en", "de"):
            said = field_message(error, lang)
            assert said != error["message"], (lang, error)
            for raw in ("should", "Input", "String", "Field required", "Invalid JSON"):
                assert raw not in said, (lang, error, said)
            assert said[:1].isupper() and said.endswith("."), (lang, said)


def test_limits_are_named_in_both_languages() -> None:
    by_field = {e["field"]: e for e in _pydantic_errors()}
    expected = {
        "password": ("At least 6 characters.", "Mindestens 6 Zeichen."),
        "code": ("At most 3 characters.", "Höchstens 3 Zeichen."),
        "name": ("This field is required.", "Pflichtfeld."),
        "required": ("This field is required.", "Pflichtfeld."),
        "tags": ("At most 2 entries.", "Höchstens 2 Einträge."),
        "pair": ("At least 2 entries.", "Mindestens 2 Einträge."),
        "count": ("Must be greater than 0.", "Muss größer als 0 sein."),
        "days": ("At most 5.", "Höchstens 5."),
        "ratio": ("Must be less than 3.", "Muss kleiner als 3 sein."),
        "choice": (
            "Choose one of the offered values.",
            "Bitte einen der angebotenen Werte wählen.",
        ),
    }
    for name, (english, german) in expected.items():
        assert field_message(by_field[name], "en") == english, name
        assert field_message(by_field[name], "de") == german, name
    one = {"message": "String should have at least 1 character", "code": "string_too_short"}
    assert field_message({**one, "message": "String should have at least 2 characters"}, "en") == (
        "At least 2 characters."
    )
    assert (
        field_message(
            {"message": "Input should be greater than or equal to 1", "code": "greater_than_equal"},
            "en",
        )
        == "At least 1."
    )


def test_a_services_own_check_is_read_as_a_sentence() -> None:
    error = {
        "message": "Value error, a share allows uploads, downloads or both",
        "code": "value_error",
    }
    assert field_message(error, "en") == "A share allows uploads, downloads or both."
    assert field_message(error, "de") == "Dieser Wert ist ungültig."
