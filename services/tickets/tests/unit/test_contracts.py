"""Contracts and business calendars as pure rules: which contract is in force, the
default targets, what makes a calendar or a contract invalid, and what the SLA clock
gets from them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from portal_chassis.auth import Actor
from portal_tickets.contracts import rules
from portal_tickets.contracts.models import Calendar, Contract, Terms
from portal_tickets.directory.models import KnownOrganization
from portal_tickets.ticket.models import Priority
from portal_tickets.ticket.permissions import allowed_priorities

ORG = uuid.uuid4()
ASSET = str(uuid.uuid4())
BERLIN = Calendar(
    id=uuid.uuid4(),
    name="Standard",
    time_zone="Europe/Berlin",
    weekly=rules.OFFICE_WEEK,
    holidays=["2026-12-24", "2026-12-25"],
    is_default=True,
)
TARGETS = {
    p: {"reaction_hours": float(h), "resolution_hours": float(4 * h)}
    for p, h in (("P1", 2), ("P2", 8), ("P3", 24), ("P4", 40))
}
NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


def _contract(
    name: str = "Premium",
    valid_from: date = date(2027, 1, 1),
    valid_until: date | None = None,
    *,
    products: list[str] | None = None,
    asset_ids: list[str] | None = None,
    created: datetime = NOON - timedelta(days=90),
    calendar: Calendar = BERLIN,
) -> Contract:
    return Contract(
        id=uuid.uuid4(),
        organization_id=ORG,
        name=name,
        valid_from=valid_from,
        valid_until=valid_until,
        priorities_selectable=True,
        calendar=calendar,
        targets=TARGETS,
        products=products or [],
        asset_ids=asset_ids or [],
        created_at=created,
    )


def test_a_contract_is_in_force_from_its_first_to_its_last_day_in_its_time_zone() -> None:
    contract = _contract(valid_from=date(2027, 3, 10), valid_until=date(2027, 3, 31))
    assert contract.in_force_at(NOON)
    assert not contract.in_force_at(NOON - timedelta(days=1))
    # 23:30 UTC on 31 March is already 1 April in Berlin: the contract has ended.
    assert contract.in_force_at(datetime(2027, 3, 31, 21, 30, tzinfo=UTC))
    assert not contract.in_force_at(datetime(2027, 3, 31, 22, 30, tzinfo=UTC))
    assert _contract(valid_from=date(2020, 1, 1)).in_force_at(NOON)  # open-ended


def test_asset_beats_product_beats_everything() -> None:
    everything = _contract("Basic")
    product = _contract("Printers", products=["LaserJet 9"])
    asset = _contract("Floor 2", asset_ids=[ASSET])
    contracts = [everything, product, asset]
    assert rules.choose(contracts, NOON, "LaserJet 9", ASSET) is asset
    assert rules.choose(contracts, NOON, "LaserJet 9", str(uuid.uuid4())) is product
    assert rules.choose(contracts, NOON, "LaserJet 9", None) is product
    assert rules.choose(contracts, NOON, "Scanner", ASSET) is asset
    assert rules.choose(contracts, NOON, "Scanner", None) is everything
    # A contract naming products or assets covers nothing else.
    assert rules.choose([product, asset], NOON, None, None) is None
    assert rules.choose([], NOON, None, None) is None


def test_among_equals_the_latest_start_wins_then_the_newest() -> None:
    older = _contract("A", date(2026, 1, 1))
    newer = _contract("B", date(2027, 2, 1))
    ended = _contract("C", date(2027, 3, 1), date(2027, 3, 9))
    future = _contract("D", date(2027, 4, 1))
    assert rules.choose([newer, older, ended, future], NOON, None, None) is newer
    made_before = _contract("E", date(2027, 2, 1), created=NOON - timedelta(days=200))
    assert rules.choose([newer, made_before], NOON, None, None) is newer
    made_after = _contract("F", date(2027, 2, 1), created=NOON - timedelta(days=9))
    assert rules.choose([newer, made_after], NOON, None, None) is made_after


def test_default_targets_count_in_the_calendars_business_days() -> None:
    targets = rules.default_targets(rules.day_hours(BERLIN.hours))
    assert targets == {
        "P1": (4.0, 16.0),
        "P2": (9.0, 36.0),
        "P3": (27.0, 108.0),
        "P4": (45.0, 180.0),
    }


def test_a_calendar_becomes_the_sla_clocks_calendar() -> None:
    calendar = BERLIN.to_business_calendar()
    assert calendar.timezone == "Europe/Berlin"
    assert dict(calendar.weekly) == dict.fromkeys(range(5), (time(8), time(17)))
    assert calendar.holidays == frozenset({date(2026, 12, 24), date(2026, 12, 25)})
    # Wednesday 16:00 Berlin + 2 business hours: Thursday 09:00.
    start = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)
    assert calendar.add(start, timedelta(hours=2)) == datetime(2027, 3, 11, 8, 0, tzinfo=UTC)


def test_targets_for_the_clock_are_business_time() -> None:
    contract = _contract()
    assert contract.target_hours("P2") == (8.0, 32.0)
    targets = contract.targets_for("P1")
    assert (targets.reaction, targets.resolution) == (timedelta(hours=2), timedelta(hours=8))
    terms = Terms(None, BERLIN, rules.default_targets(9), priorities_selectable=False)
    assert terms.targets_for("P3").reaction == timedelta(hours=27)
    assert terms.business_calendar().timezone == "Europe/Berlin"


def test_calendar_errors_name_the_field_and_a_code() -> None:
    weekly = {"0": (time(8), time(17)), "1": (time(17), time(8)), "7": (time(8), time(9))}
    errors = rules.calendar_errors("Mars/Olympus", weekly)
    assert {(e["field"], e["code"]) for e in errors} == {
        ("time_zone", "unknown_time_zone"),
        ("weekly.1", "closes_before_opens"),
        ("weekly.7", "unknown_weekday"),
    }
    assert rules.calendar_errors("UTC", {})[0]["code"] == "no_working_day"
    assert rules.calendar_errors("America/New_York", {"6": (time(10), time(14))}) == []


def test_contract_errors_name_the_field_and_a_code() -> None:
    hours = rules.TargetHours
    targets = {"P1": hours(4, 2), "P2": hours(0, 8), "P3": hours(8, -1), "P9": hours(1, 1)}
    found = {(e["field"], e["code"]) for e in rules.target_errors(targets)}
    assert found == {
        ("targets.P1.resolution_hours", "resolution_before_reaction"),
        ("targets.P2.reaction_hours", "not_positive"),
        ("targets.P3.resolution_hours", "not_positive"),
        ("targets.P4", "missing_priority"),
        ("targets.P9", "unknown_priority"),
    }
    [span] = rules.span_errors(date(2027, 2, 1), date(2027, 1, 31))
    assert (span["field"], span["code"]) == ("valid_until", "valid_until_before_valid_from")
    assert rules.span_errors(date(2027, 2, 1), date(2027, 2, 1)) == []


def test_spans_overlap_unless_one_ends_before_the_other_begins() -> None:
    jan = (date(2027, 1, 1), date(2027, 1, 31))
    assert not rules.overlaps(jan, (date(2027, 2, 1), None))
    assert rules.overlaps(jan, (date(2027, 1, 31), date(2027, 3, 1)))
    assert rules.overlaps((date(2027, 1, 1), None), (date(2030, 1, 1), None))
    assert rules.overlaps((date(2027, 1, 10), date(2027, 1, 12)), jan)


def test_the_contracts_flag_decides_the_priorities_over_the_organizations() -> None:
    customer = Actor(
        id=uuid.uuid4(), username="c", organization_id=ORG, roles=frozenset({"customer"})
    )
    with_flag = KnownOrganization(id=ORG, name="Org", priority_contract=True)
    without = KnownOrganization(id=ORG, name="Org", priority_contract=False)
    assert allowed_priorities(customer, ORG, without, contract=True) == tuple(Priority)
    assert allowed_priorities(customer, ORG, with_flag, contract=False) == (Priority.P4,)
    assert allowed_priorities(customer, ORG, with_flag, contract=None) == tuple(Priority)
    assert allowed_priorities(customer, ORG, without, opening=True) == (Priority.P4,)
