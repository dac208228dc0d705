"""docs/asyncapi.yaml documents exactly the events the services publish: every event class
has a channel that is not marked planned, with a `data` schema listing the class's fields,
and no channel is marked planned while a class implements it."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import yaml

from portal_chassis import registry
from portal_chassis.envelope import Event

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"
PLANNED = "planned"


def _load_doc() -> dict[str, Any]:
    with DOC_PATH.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def _discover_events() -> dict[str, type[Event]]:
    """Every Event class with its own `event_type` in an installed service or the gateway
    (intermediate bases without one, and the chassis' test samples, do not count)."""
    registry.services()
    if "gateway" in registry.available():
        registry.load("gateway")
    packages = {ep.module.split(".")[0] for ep in entry_points(group="portal.modules")}
    events: dict[str, type[Event]] = {}
    for cls in _subclasses(Event):
        if "event_type" not in cls.__dict__ or cls.__module__.split(".")[0] not in packages:
            continue
        other = events.setdefault(cls.event_type, cls)
        assert other is cls, f"{cls.event_type} is defined twice: {other} and {cls}"
    return events


DOC = _load_doc()
EVENTS = _discover_events()


def _resolve(node: Any) -> Any:
    """Follow local `$ref`s (`#/a/b`) until a node that is not a reference."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local references are supported: {ref}"
        assert ref not in seen, f"reference cycle at {ref}"
        seen.add(ref)
        node = DOC
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _flatten(schema: Any) -> dict[str, Any]:
    """Merge an object schema and its `allOf` parts: properties (later parts win),
    required, and additionalProperties."""
    schema = _resolve(schema)
    merged: dict[str, Any] = {"properties": {}, "required": set()}
    for part in schema.get("allOf", []):
        sub = _flatten(part)
        merged["properties"].update(sub["properties"])
        merged["required"] |= sub["required"]
        if "additionalProperties" in sub:
            merged["additionalProperties"] = sub["additionalProperties"]
    merged["properties"].update(schema.get("properties", {}))
    merged["required"] |= set(schema.get("required", []))
    if "additionalProperties" in schema:
        merged["additionalProperties"] = schema["additionalProperties"]
    return merged


def _inlined(model: dict[str, Any]) -> Any:
    """A model's schema with its nested models (`#/$defs/...`) written in place, so its
    references do not point into the AsyncAPI document."""
    defs = model.get("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {key: inline(value) for key, value in node.items() if key != "$defs"}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return inline(model)


def _json_type(schema: Any) -> frozenset[str]:
    """A field's JSON type, ignoring cosmetics (titles, descriptions, enums, lengths,
    examples, `$ref` versus inline): the set of alternatives, each its type, the string
    format, and the item or value type of arrays and objects."""
    schema = _resolve(schema)
    if not isinstance(schema, dict):
        return frozenset({"any"})
    kinds: set[str] = set()
    for key in ("anyOf", "oneOf"):
        for alternative in schema.get(key, []):
            kinds |= _json_type(alternative)
    types = schema.get("type")
    if isinstance(types, str):
        types = [types]
    for t in types or []:
        if t == "string" and schema.get("format"):
            kinds.add(f"string:{schema['format']}")
        elif t == "array":
            kinds.add(f"array<{_describe(_json_type(schema.get('items', {})))}>")
        elif t == "object" and isinstance(schema.get("additionalProperties"), dict):
            kinds.add(f"object<{_describe(_json_type(schema['additionalProperties']))}>")
        else:
            kinds.add(t)
    if schema.get("nullable") is True:
        kinds.add("null")
    return frozenset(kinds or {"any"})


def _describe(kinds: frozenset[str]) -> str:
    return "|".join(sorted(kinds))


def _channels_by_address() -> dict[str, dict[str, Any]]:
    channels: dict[str, dict[str, Any]] = {}
    for name, channel in DOC["channels"].items():
        address = channel["address"]
        assert address not in channels, f"two channels share the address {address}"
        channels[address] = {"name": name, **channel}
    return channels


CHANNELS = _channels_by_address()


def _messages(channel: dict[str, Any]) -> list[dict[str, Any]]:
    return [_resolve(m) for m in channel.get("messages", {}).values()]


def _data_schema(message: dict[str, Any]) -> dict[str, Any]:
    data = _flatten(message["payload"])["properties"].get("data")
    assert data is not None, f"message {message.get('name')} has no `data` property"
    return _flatten(data)


def test_document_is_asyncapi_3_with_channels_operations_and_schemas() -> None:
    assert str(DOC["asyncapi"]).startswith("3.")
    assert {"info", "channels", "operations", "components"} <= DOC.keys()
    for name, operation in DOC["operations"].items():
        assert _resolve(operation["channel"]) in DOC["channels"].values(), name
        for message in operation.get("messages", []):
            assert "payload" in _resolve(message), f"{name}: {message}"


def test_services_define_events_to_check() -> None:
    assert EVENTS, "no Event subclasses with an event_type were found in the services"


@pytest.mark.parametrize("event_type", sorted(EVENTS))
def test_every_event_class_has_a_channel_at_its_type_that_is_not_planned(
    event_type: str,
) -> None:
    channel = CHANNELS.get(event_type)
    assert channel is not None, f"{EVENTS[event_type].__name__}: no channel at {event_type}"
    assert channel.get("x-status") != PLANNED, f"channel {channel['name']} is marked planned"
    messages = _messages(channel)
    assert messages, f"channel {channel['name']} has no message"
    for message in messages:
        assert message.get("x-status") != PLANNED, f"message {message['name']} is planned"
    for name, operation in DOC["operations"].items():
        if _resolve(operation["channel"]) is DOC["channels"][channel["name"]]:
            assert operation.get("x-status") != PLANNED, f"operation {name} is marked planned"


@pytest.mark.parametrize("event_type", sorted(EVENTS))
def test_documented_data_lists_exactly_the_event_class_fields_and_their_json_types(
    event_type: str,
) -> None:
    cls = EVENTS[event_type]
    model = _inlined(cls.model_json_schema(mode="serialization"))
    model_types = {name: _json_type(s) for name, s in model.get("properties", {}).items()}
    model_required = {name for name, field in cls.model_fields.items() if field.is_required()}
    channel = CHANNELS.get(event_type)
    assert channel is not None, f"no channel at {event_type}"
    for message in _messages(channel):
        data = _data_schema(message)
        documented = data["properties"]
        assert sorted(documented) == sorted(cls.model_fields), f"{event_type}: field names"
        assert data["required"] == model_required, f"{event_type}: required fields"
        assert data.get("additionalProperties") is False, (
            f"{event_type}: data must say additionalProperties: false"
        )
        doc_types = {name: _json_type(s) for name, s in documented.items()}
        mismatched = {
            name: (_describe(doc_types[name]), _describe(model_types[name]))
            for name in model_types
            if doc_types.get(name) != model_types[name]
        }
        assert not mismatched, f"{event_type}: field types (documented, model): {mismatched}"


def test_no_channel_is_marked_planned_while_a_class_implements_it() -> None:
    wrongly_planned = sorted(
        address
        for address, channel in CHANNELS.items()
        if channel.get("x-status") == PLANNED and address in EVENTS
    )
    assert wrongly_planned == [], f"implemented but marked planned: {wrongly_planned}"
