"""Importing an organization's installed base from a CSV file: good rows land, bad rows
come back with their line and reasons, known serial numbers are updated."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration

GERMAN = (
    "\ufeffName;Seriennummer;Produkt;Standort;Installationsdatum;Status;Baujahr\n"
    "Presse 2;SN-1;HP-200;Halle 3;31.05.2024;aktiv;2019\n"
    "Roboter;SN-2;RX-200;;2024-06-01;;\n"
    "Kaputtes Datum;SN-3;;;31.02.2024;;\n"
    "Presse 2 doppelt;SN-1;;;;;\n"
    "Unbekannt;SN-4;;;;verschrottet;\n"
    "Förderband;SN-5;;Halle 1;;inactive;2021\n"
)


async def send(world: Portal, org: str, data: bytes | str, user: str = "admin") -> Any:
    headers = await (world.admin() if user == "admin" else world.as_(user))
    raw = data.encode() if isinstance(data, str) else data
    return await world.client.post(
        f"/api/v1/assets/import?organization_id={world.orgs[org]}",
        files={"file": ("anlagen.csv", raw, "text/csv")},
        headers=headers,
    )


async def assets(world: Portal, user: str) -> dict[str, dict[str, Any]]:
    r = await world.client.get("/api/v1/assets?limit=100", headers=await world.as_(user))
    return {a["serial_number"]: a for a in r.json()["items"]}


async def test_german_file_with_good_and_bad_rows(world: Portal) -> None:
    r = await send(world, "acme", GERMAN)
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["created"], report["updated"]) == (3, 0)
    refused = {(row["line"], row["serial_number"]): row["errors"] for row in report["refused"]}
    assert {k: [(e["field"], e["code"]) for e in v] for k, v in refused.items()} == {
        (4, "SN-3"): [("installed_on", "invalid_date")],
        (5, "SN-1"): [("serial_number", "duplicate_serial")],
        (6, "SN-4"): [("status", "unknown_status")],
    }
    assert "Zeile 2" in refused[(5, "SN-1")][0]["message_de"]
    assert "line 2" in refused[(5, "SN-1")][0]["message"]

    acme = await assets(world, "ben")
    assert sorted(acme) == ["SN-1", "SN-2", "SN-5"]
    press = acme["SN-1"]
    assert (press["name"], press["product"], press["location"]) == ("Presse 2", "HP-200", "Halle 3")
    assert press["installed_on"] == "2024-05-31" and press["status"] == "active"
    assert press["attributes"] == {"Baujahr": "2019"}
    assert acme["SN-5"]["status"] == "inactive"
    # Another organization's people see none of it.
    assert await assets(world, "carla") == {}


async def test_a_known_serial_number_updates_its_asset(world: Portal) -> None:
    await send(world, "acme", GERMAN)
    update = "serial_number,location,status,colour\nSN-1,Hall 4,retired,red\nSN-9,Hall 9,,\n"
    r = await send(world, "acme", update)
    report = r.json()
    assert (report["created"], report["updated"]) == (0, 1)
    # A new serial number needs a name.
    assert [(row["line"], [e["code"] for e in row["errors"]]) for row in report["refused"]] == [
        (3, ["required"])
    ]
    press = (await assets(world, "erik"))["SN-1"]
    assert (press["location"], press["status"]) == ("Hall 4", "retired")
    # Cells the file leaves out keep their values; attributes are merged.
    assert (press["name"], press["product"]) == ("Presse 2", "HP-200")
    assert press["attributes"] == {"Baujahr": "2019", "colour": "red"}
    # The same serial number in another organization is another asset.
    r = await send(world, "globex", "serial_number,name\nSN-1,Globex press\n")
    assert (r.json()["created"], r.json()["updated"]) == (1, 0)
    assert (await assets(world, "carla"))["SN-1"]["name"] == "Globex press"
    assert (await assets(world, "ben"))["SN-1"]["name"] == "Presse 2"


async def test_only_administrators_import(world: Portal) -> None:
    for user in ("anna", "erik", "ben"):
        r = await send(world, "acme", GERMAN, user=user)
        assert r.status_code == 404, (user, r.text)
    assert await assets(world, "erik") == {}


async def test_a_contract_must_be_the_organizations(world: Portal) -> None:
    r = await send(world, "acme", f"serial_number;name;Vertrag\nSN-6;X;{uuid.uuid4()}\nSN-7;Y;\n")
    report = r.json()
    assert report["created"] == 1
    assert [
        (row["serial_number"], row["errors"][0]["field"], row["errors"][0]["code"])
        for row in report["refused"]
    ] == [("SN-6", "contract", "unknown_contract")]


async def test_files_that_cannot_be_imported(world: Portal) -> None:
    too_big = b"serial_number;name\n" + b"x" * (5 * 1024 * 1024)
    r = await send(world, "acme", too_big)
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem+json")
    r = await send(world, "acme", "serial_number;name\nS-1;Gr\u00f6\u00dfe\n".encode("latin-1"))
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "encoding"
    r = await send(world, "acme", "name;product\nA;B\n")
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "missing_column"
    no_file = await world.client.post(
        f"/api/v1/assets/import?organization_id={world.orgs['acme']}",
        data={"other": "x"},
        files={"attachment": ("a.csv", b"serial_number\n1\n", "text/csv")},
        headers=await world.admin(),
    )
    assert no_file.status_code == 422 and no_file.json()["errors"][0]["field"] == "file"
    unknown = await world.client.post(
        "/api/v1/assets/import?organization_id=6f1c1a52-0000-4000-8000-000000000000",
        files={"file": ("a.csv", b"serial_number;name\n1;x\n", "text/csv")},
        headers=await world.admin(),
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["code"] == "unknown_organization"
    assert await assets(world, "erik") == {}


async def test_the_contract_column_takes_a_name_of_the_organizations_contracts(
    world: Portal,
) -> None:
    gold = await world.contract(world.orgs["acme"], "Gold")
    other = await world.contract(world.orgs["globex"], "Silver")
    data = (
        "Seriennummer;Name;Vertrag\n"
        "SN-1;Presse;Gold\n"
        f"SN-2;Roboter;{gold['id']}\n"
        "SN-3;Lift;gold\n"
        "SN-4;Band;Platin\n"
        "SN-5;Kran;Silver\n"
    )
    report = (await send(world, "acme", data)).json()
    assert report["created"] == 3
    refused = {row["serial_number"]: row["errors"] for row in report["refused"]}
    assert sorted(refused) == ["SN-4", "SN-5"]  # unknown here; Silver is Globex's
    assert [(e["field"], e["code"]) for e in refused["SN-4"]] == [("contract", "unknown_contract")]
    assert "Vertrag" in refused["SN-4"][0]["message_de"]
    found = await assets(world, "ben")
    assert {found[s]["contract_id"] for s in ("SN-1", "SN-2", "SN-3")} == {gold["id"]}
    assert other["id"] not in {a["contract_id"] for a in found.values()}
