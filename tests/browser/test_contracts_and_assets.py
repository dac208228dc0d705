"""A contract from the admin pages to the customer's ticket, in a real browser against
`portal dev --demo`: the admin creates a business calendar and a contract with it for
Globex (whose demo data have no contract), is told readably what is wrong with a
contract in English and in German, and imports the installed base from a CSV file whose
refused row the report names. The customer opens a ticket from the imported asset: the
form names the asset and the contract's reaction target, the ticket counts its due time
in the new calendar, and the contract page shows the terms, in English and in German."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from browser_kit import DEMO_PASSWORD, accessible, shoot

from portal_tickets.contracts.rules import parse_weekly
from portal_tickets.sla.calendar import BusinessCalendar

ADMIN_PASSWORD = "admin-demo-2026"  # the demo's admin (portal_identity.demo)
ORGANIZATION = "Globex Logistics AG"
CUSTOMER = "dan"  # a customer of Globex, reads English
ZONE = "Europe/Berlin"
CALENDAR = "Globex late shift"
CONTRACT = "Globex Gold 2026"
# Distinctive hours, so that the customer's pages can only show them from this contract.
WEEKLY = {0: ("07:00", "15:30"), 1: ("07:00", "15:30"), 2: ("07:00", "15:30")}
WEEKLY |= {3: ("07:00", "15:30"), 4: ("07:00", "15:30"), 5: ("09:00", "13:00")}
TARGETS = {"P1": ("1", "8"), "P2": ("3", "20"), "P3": ("11", "60"), "P4": ("30", "150")}
ASSET = "Pallet wrapper PW-7"
SERIAL = "GX-PW7-0042"
REFUSED_SERIAL = "GX-LP9-0007"


@dataclass(frozen=True)
class Days:
    """The contract's first day and its holiday. Today where the calendar counts, or the
    portal's own today if that is earlier (near midnight): in force either way, and
    listed as valid now."""

    today: date
    holiday: date

    @classmethod
    def now(cls) -> Days:
        today = min(datetime.now(ZoneInfo(ZONE)).date(), date.today())
        return cls(today, date(today.year + 1, 12, 24))


DAYS = Days.now()  # once for both tests, so that they agree on the days


def _signed_in(browser: Any, base: str, username: str, password: str) -> Any:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{base}/login?lang=en")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def _switch_language(page: Any, lang: str) -> None:
    """The header's language link, as a reader would use it."""
    page.locator("a.lang").click()
    page.wait_for_url(re.compile(f"lang={lang}"))
    assert page.locator("html").get_attribute("lang") == lang


def _create_calendar(page: Any, base: str, days: Days) -> None:
    page.goto(f"{base}/admin")
    page.locator("nav.admin-nav a[href='/admin/calendars']").click()
    page.wait_for_url("**/admin/calendars")
    page.locator("#new-calendar").click()
    page.wait_for_url("**/admin/calendars/new")
    page.fill("#name", CALENDAR)
    page.select_option("#time_zone", ZONE)
    for day in range(7):
        opens, closes = WEEKLY.get(day, ("", ""))
        page.fill(f"#day{day}_opens", opens)
        page.fill(f"#day{day}_closes", closes)
    page.fill("#holidays", days.holiday.strftime("%d.%m.%Y"))  # German spelling is read too
    shoot(page, "admin-calendar-form")
    accessible(page, "admin-calendar-form")
    page.locator("#calendar-form button[type=submit]").click()
    page.wait_for_url("**/admin/calendars?*done=calendar_created*")
    notice = page.locator("p.notice[role=status]").inner_text()
    assert notice == f"The business calendar {CALENDAR} was created."
    row = page.locator("#calendar-list tbody tr", has_text=CALENDAR)
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == ZONE and cells[2] == "1"  # zone, one holiday
    assert "07:00\u201315:30" in cells[1] and "09:00\u201313:00" in cells[1]  # en dashes


def _fill_contract(page: Any, days: Days, *, until: str, p2_resolution: str) -> None:
    page.select_option("#organization_id", label=ORGANIZATION)
    page.fill("#name", CONTRACT)
    page.fill("#valid_from", days.today.isoformat())
    page.fill("#valid_until", until)
    page.check("#priorities_selectable")
    page.select_option("#calendar_id", label=CALENDAR)
    for priority, (reaction, resolution) in TARGETS.items():
        page.fill(f"#{priority.lower()}_reaction", reaction)
        page.fill(f"#{priority.lower()}_resolution", resolution)
    page.fill("#p2_resolution", p2_resolution)


def _refused_contract(page: Any, days: Days, *, until_message: str, target_message: str) -> None:
    """A contract ending before it begins, with P2's resolution shorter than its reaction:
    the form comes back with both messages at their fields and in the summary."""
    yesterday = (days.today - timedelta(days=1)).isoformat()
    _fill_contract(page, days, until=yesterday, p2_resolution="2")
    page.locator("#contract-form button[type=submit]").click()
    page.locator("#form-alert").wait_for()
    assert page.locator("#valid_until-error").inner_text() == until_message
    assert page.locator("#p2_resolution-error").inner_text() == target_message
    assert page.locator("#p2_resolution").get_attribute("aria-invalid") == "true"
    summary = page.locator("#form-alert").inner_text()
    assert until_message in summary and target_message in summary
    # What was typed stays, so that only the mistakes need changing.
    assert page.locator("#p2_resolution").input_value() == "2"
    assert page.locator("#name").input_value() == CONTRACT


def _create_contract(page: Any, base: str, days: Days) -> None:
    """First two mistakes in English, then in German after the language switch, then the
    contract as meant (in German; the admin switches back afterwards)."""
    page.locator("nav.admin-nav a[href='/admin/contracts']").click()
    page.wait_for_url("**/admin/contracts")
    page.locator("#new-contract").click()
    page.wait_for_url("**/admin/contracts/new")
    _refused_contract(
        page,
        days,
        until_message="The contract cannot end before it begins.",
        target_message="The resolution target cannot be shorter than the reaction target.",
    )
    shoot(page, "admin-contract-refused")
    accessible(page, "admin-contract-refused")

    _switch_language(page, "de")
    _refused_contract(
        page,
        days,
        until_message="Der Vertrag kann nicht enden, bevor er beginnt.",
        target_message="Die Lösungszeit darf nicht kürzer sein als die Reaktionszeit.",
    )
    _fill_contract(page, days, until="", p2_resolution=TARGETS["P2"][1])
    page.locator("#contract-form button[type=submit]").click()
    page.wait_for_url("**/admin/contracts?*done=contract_created*")
    assert (
        page.locator("p.notice[role=status]").inner_text()
        == f"Der Vertrag {CONTRACT} wurde angelegt."
    )
    row = page.locator("#contract-list tbody tr", has_text=CONTRACT)
    assert "gilt jetzt" in row.inner_text() and CALENDAR in row.inner_text()
    _switch_language(page, "en")


def _import_assets(page: Any, base: str) -> None:
    """One good row and one with an unknown status: the good one lands, the report names
    the refused one by its line and serial number, with the reason."""
    csv = (
        "name;serial_number;product;location;installed_on;status\r\n"
        f"{ASSET};{SERIAL};Wrapper W7;Hamburg, hall 2;2025-03-01;active\r\n"
        f"Label printer LP-9;{REFUSED_SERIAL};LP-9;Hamburg, hall 3;2025-04-01;broken\r\n"
    )
    page.goto(f"{base}/assets")
    page.locator("#import-assets").click()
    page.wait_for_url("**/assets/import")
    page.select_option("#organization_id", label=ORGANIZATION)
    page.set_input_files(
        "#file", files=[{"name": "globex.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.locator("#import-submit").click()
    page.locator("#import-report").wait_for()
    assert page.locator("#import-created").inner_text() == "1"
    assert page.locator("#import-refused").inner_text() == "1"
    refused = page.locator("#refused-rows tbody tr")
    assert refused.count() == 1
    assert refused.locator("th").inner_text() == "3"  # the file's line, header included
    cells = refused.locator("td").all_inner_texts()
    assert cells[0] == REFUSED_SERIAL
    assert "Unknown status 'broken'" in cells[1]
    shoot(page, "assets-import-report")
    accessible(page, "assets-import-report")


def test_admin_sets_up_a_contract_and_imports_assets(live_portal: str, browser: Any) -> None:
    days = DAYS
    page = _signed_in(browser, live_portal, "admin", ADMIN_PASSWORD)
    _create_calendar(page, live_portal, days)
    _create_contract(page, live_portal, days)
    _import_assets(page, live_portal)
    page.context.close()


# -- the customer's side ------------------------------------------------------------------


def _api_ticket(base: str, number: str) -> dict[str, Any]:
    token = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": CUSTOMER, "password": DEMO_PASSWORD}
    ).json()["access_token"]
    r = httpx.get(f"{base}/api/v1/tickets/{number}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    ticket: dict[str, Any] = r.json()
    return ticket


def _reaction_due(created: str, days: Days) -> datetime:
    """The reaction due time the new calendar gives P2's 3 business hours."""
    calendar = BusinessCalendar(
        timezone=ZONE,
        weekly=parse_weekly({str(d): list(span) for d, span in WEEKLY.items()}),
        holidays=frozenset({days.holiday}),
    )
    return calendar.add(datetime.fromisoformat(created), timedelta(hours=3))


def _asset_form(page: Any, base: str) -> None:
    """From the asset list to its page, and from there to the new-ticket form."""
    page.goto(f"{base}/assets")
    page.locator("#asset-table").get_by_role("link", name=ASSET).click()
    page.wait_for_url(re.compile(r"/assets/[0-9a-f-]{36}$"))
    assert page.locator("#asset-serial").inner_text() == SERIAL
    page.locator("#open-ticket").click()
    page.locator("#template-none").click()  # the template step carries the asset along
    page.wait_for_url(re.compile(r"/tickets/new\?template=none"))
    assert page.locator("#asset_id").input_value() == SERIAL
    assert page.locator("#asset-chosen-name").inner_text() == ASSET
    assert CONTRACT in page.locator("#terms-name").inner_text()


def _expectations(page: Any, unit: str) -> None:
    """The form's "What to expect" table: P2 with the contract's targets."""
    cells = page.locator("#target-p2 td").all_inner_texts()
    assert cells == [f"3 {unit}", f"20 {unit}"]


def _open_ticket_for_asset(page: Any, base: str, days: Days) -> str:
    _asset_form(page, base)
    page.check("#priority-p2")
    _expectations(page, "business hours")
    shoot(page, "ticket-new-for-asset")
    accessible(page, "ticket-new-for-asset")
    page.fill("#title", "Wrapper stops after the first layer")
    page.locator("#submit-ticket").click()
    page.wait_for_url(re.compile(r"/tickets/[^/?]+\?created=1"))
    number: str = page.url.split("/tickets/")[1].split("?")[0]

    ticket = _api_ticket(base, number)
    assert page.locator("#ticket-asset").inner_text().startswith(f"{ASSET} ({SERIAL})")
    assert ticket["priority"] == "P2" and ticket["asset"]["serial_number"] == SERIAL
    sla = ticket["sla"]
    assert sla["contract"]["name"] == CONTRACT
    assert sla["reaction"]["target_hours"] == 3 and sla["resolution"]["target_hours"] == 20
    due = datetime.fromisoformat(sla["reaction"]["due_at"])
    assert due == _reaction_due(ticket["created_at"], days)
    # The block names its parts where it has them; the due time shows either way.
    page.locator("#ticket-sla").wait_for()
    reaction = page.locator("#ticket-sla-reaction")
    timer = reaction if reaction.count() else page.locator("#ticket-sla")
    shown = timer.locator("time").first.get_attribute("datetime") or ""
    assert datetime.fromisoformat(shown) == due
    if reaction.count():
        assert "3 business hours" in reaction.inner_text()
    if page.locator("#ticket-sla-contract").count():
        assert CONTRACT in page.locator("#ticket-sla-contract").inner_text()
    shoot(page, "ticket-for-asset")
    return number


def _contract_page(page: Any, base: str, unit: str, holiday: str) -> None:
    page.goto(f"{base}/contract")
    assert page.locator("#contract-name").inner_text() == CONTRACT
    p2 = page.locator("#contract-targets tbody tr", has_text="P2")
    assert p2.locator("td").all_inner_texts() == [f"3 {unit}", f"20 {unit}"]
    assert ZONE in page.locator("#contract-time-zone").inner_text()
    assert page.locator("#contract-holidays").inner_text() == holiday


def test_customer_opens_a_ticket_for_the_imported_asset_under_the_contract(
    live_portal: str, browser: Any
) -> None:
    """Runs after the admin's test above, on the same portal (the module's): Globex
    offers no priority choice without a contract, so choosing P2 needs the new one."""
    days = DAYS
    page = _signed_in(browser, live_portal, CUSTOMER, DEMO_PASSWORD)
    _open_ticket_for_asset(page, live_portal, days)
    _contract_page(page, live_portal, "business hours", days.holiday.isoformat())
    accessible(page, "my-contract")

    # The same terms in German, after the language switch.
    _switch_language(page, "de")
    _contract_page(page, live_portal, "Geschäftsstunden", days.holiday.strftime("%d.%m.%Y"))
    _asset_form(page, live_portal)
    _expectations(page, "Geschäftsstunden")
    shoot(page, "ticket-new-for-asset-de")
    page.context.close()
