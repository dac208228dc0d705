"""Every consumer that names the facts it reads (`@consumer(..., reads=Model)`) reads only
what the producers publish: for each event type its patterns match in docs/asyncapi.yaml,
each field of the model is in the event's `data` schema with a JSON type the model
accepts, and a field the model requires is required and never null there.

So a producer that renames, drops or loosens a field fails this test, not a delivery that
would end in the dead-letter queue."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from portal_chassis import registry
from portal_chassis.bus import topic_matches
from portal_chassis.consumers import Consumer, EventFacts, consumer
from portal_chassis.envelope import Envelope

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"
DOC: dict[str, Any] = yaml.safe_load(DOC_PATH.read_text(encoding="utf-8"))

Kind = tuple[str, str | None]  # a JSON type and its string format, if any
ANY: Kind = ("any", None)


def _follow(node: Any, root: dict[str, Any]) -> Any:
    """Follow local references (`#/a/b`), in the document or in a model's schema."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _kinds(schema: Any, root: dict[str, Any]) -> set[Kind]:
    """The JSON types a schema allows, each with its string format (`uuid`, `date-time`)."""
    schema = _follow(schema, root)
    if not isinstance(schema, dict):
        return {ANY}
    kinds: set[Kind] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            kinds |= _kinds(part, root)
    types = schema.get("type")
    for t in [types] if isinstance(types, str) else types or []:
        kinds.add((t, schema.get("format") if t == "string" else None))
    if schema.get("nullable") is True:
        kinds.add(("null", None))
    if not kinds and ("const" in schema or "enum" in schema):
        values = schema.get("enum", [schema.get("const")])
        kinds |= {("string", None) if isinstance(v, str) else ANY for v in values}
    return kinds or {ANY}


def _data(message: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The `data` schema of a message: its properties and required names (allOf merged)."""
    properties: dict[str, Any] = {}
    required: set[str] = set()

    def merge(schema: Any) -> None:
        schema = _follow(schema, DOC)
        for part in schema.get("allOf", []):
            merge(part)
        properties.update(schema.get("properties", {}))
        required.update(schema.get("required", []))

    merge(message["payload"])
    data = properties.get("data", {})
    properties, required = {}, set()
    merge(data)
    return properties, required


def _events() -> dict[str, tuple[dict[str, Any], set[str]]]:
    found = {}
    for channel in DOC["channels"].values():
        for message in channel.get("messages", {}).values():
            found[channel["address"]] = _data(_follow(message, DOC))
    return found


EVENTS = _events()


def _accepts(facts: set[Kind], kind: Kind) -> bool:
    t, _ = kind
    return (
        ANY in facts
        or kind == ANY
        or kind in facts
        or (t, None) in facts
        or (t == "integer" and ("number", None) in facts)
    )


def _show(kinds: set[Kind]) -> str:
    return "|".join(sorted(t if f is None else f"{t}:{f}" for t, f in kinds))


def problems(c: Consumer, event_type: str) -> list[str]:
    """What in the consumer's facts model the producer's `event_type` does not give."""
    assert c.reads is not None
    properties, required = EVENTS[event_type]
    model = c.reads.model_json_schema(mode="validation")
    found = []
    for name, field in c.reads.model_fields.items():
        key = field.alias or name
        where = f"consumer {c.name} ({c.reads.__name__}) reading {event_type}: field {key!r}"
        if key not in properties:
            found.append(f"{where} is not in the event's data")
            continue
        documented = _kinds(properties[key], DOC)
        wanted = _kinds(model["properties"][key], model)
        refused = {kind for kind in documented if not _accepts(wanted, kind)}
        if refused:
            found.append(
                f"{where}: the event may carry {_show(refused)}, the model takes {_show(wanted)}"
            )
        if field.is_required() and (key not in required or ("null", None) in documented):
            found.append(f"{where} is required by the model but optional or nullable in the event")
    return found


def _readers() -> list[tuple[str, Consumer, str]]:
    cases = []
    for module in registry.services():
        for c in module.consumers:
            if c.reads is None:
                continue
            matched = [t for t in sorted(EVENTS) if any(topic_matches(p, t) for p in c.patterns)]
            assert matched, f"consumer {c.name}: {c.patterns} match no event in asyncapi.yaml"
            cases += [(module.name, c, t) for t in matched]
    return cases


READERS = _readers()


def test_some_consumers_declare_their_facts() -> None:
    assert READERS, "no consumer declares reads=; the checks below check nothing"


@pytest.mark.parametrize(
    ("service", "reader", "event_type"),
    READERS,
    ids=[f"{c.name}-{t}" for _, c, t in READERS],
)
def test_the_facts_a_consumer_reads_are_in_the_producers_events(
    service: str, reader: Consumer, event_type: str
) -> None:
    found = problems(reader, event_type)
    assert not found, f"{service}:\n" + "\n".join(found)


class WrongUserFacts(EventFacts):
    """Reads `identity.user.*` as it is not: a renamed field, a wrong type, a nullable
    field taken as always there."""

    id: uuid.UUID
    user_name: str
    active: str
    organization_id: uuid.UUID


async def _ignore(event: Envelope, uow: Any, facts: WrongUserFacts) -> None:
    return None


def test_a_wrong_model_is_caught_field_by_field() -> None:
    wrong = consumer("identity.user.created", name="sample.wrong", reads=WrongUserFacts)(_ignore)
    found = problems(wrong, "identity.user.created")
    assert all(
        p.startswith("consumer sample.wrong (WrongUserFacts) reading identity.user.created")
        for p in found
    )
    told = "\n".join(found)
    assert "field 'user_name' is not in the event's data" in told
    assert "field 'active': the event may carry boolean, the model takes string" in told
    assert "field 'organization_id': the event may carry null, the model takes string:uuid" in told
    assert "field 'organization_id' is required by the model but optional or nullable" in told
    assert len(found) == 4, told
