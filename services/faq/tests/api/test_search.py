"""Search quality on both backends: ranking, stemming, German compounds, typos,
snippets and suggestions while a ticket title is typed."""

from __future__ import annotations

from typing import Any

import pytest
from faq_harness import Faq
from portal_harness import Portal


async def _corpus(world: Portal) -> dict[str, str]:
    faq = Faq(world)
    c = await faq.category("Hilfe")
    return {
        "password": await faq.article(
            "Passwort zurücksetzen",
            c,
            body="Wählen Sie auf der Anmeldeseite den Link und folgen Sie der E-Mail.",
            keywords="Kennwort, Login",
        ),
        "password_en": await faq.article(
            "Resetting your password",
            c,
            language="en",
            body="Choose the link on the sign-in page and follow the e-mail you receive.",
        ),
        "driver": await faq.article(
            "Druckertreiber installieren",
            c,
            body="Den Treiber laden und als Administrator installieren.",
        ),
        "paper": await faq.article(
            "Papierstau beheben",
            c,
            body="Öffnen Sie die Klappe des Druckers und entfernen Sie das Papier vorsichtig.",
        ),
        "mention": await faq.article(
            "Allgemeine Hinweise",
            c,
            body="Viele Fragen betreffen Anmeldungen, Rechnungen und gelegentlich das Passwort.",
        ),
        "invoice": await faq.article(
            "Invoices and billing",
            c,
            language="en",
            body="Invoices are sent every month. Billing questions go to accounting.",
        ),
        "secret": await faq.article(
            "Passwort des Servicekontos",
            c,
            visibility="internal",
            body="Das Passwort des Servicekontos steht im Tresor.",
        ),
    }


async def _ranking_stemming_compounds_typos(world: Portal) -> None:
    ids = await _corpus(world)
    faq = Faq(world)

    async def top(q: str, **params: Any) -> list[str]:
        return [a["id"] for a in await faq.search("ben", q, **params)]

    # A title match ranks above a passing mention in the body.
    ranked = await top("Passwort")
    assert ranked[0] == ids["password"] and ids["mention"] in ranked
    assert ranked.index(ids["password"]) < ranked.index(ids["mention"])
    # Matching more of the words ranks higher.
    assert (await top("Passwort zurücksetzen Anmeldeseite"))[0] == ids["password"]
    # Stemming in both languages.
    assert (await top("Passwörter"))[0] == ids["password"]
    assert (await top("invoice"))[0] == ids["invoice"]
    assert (await top("resetting passwords"))[0] == ids["password_en"]
    # German compounds: a part finds the compound, the compound finds its parts.
    assert ids["driver"] in await top("Drucker")
    assert (await top("Papierstaus"))[0] == ids["paper"]
    assert ids["paper"] in await top("Druckerklappe")
    # Typos.
    assert (await top("Pasword zurucksetzen"))[0] in (ids["password"], ids["password_en"])
    assert (await top("Druckertreber"))[0] == ids["driver"]
    assert (await top("invioces"))[0] == ids["invoice"]
    # Keywords are searchable.
    assert (await top("Kennwort"))[0] == ids["password"]
    # Filters: language.
    assert set(await top("password", language="en")) == {ids["password_en"]}
    # Snippets are escaped HTML with the matches marked.
    hit = (await faq.search("ben", "Klappe"))[0]
    assert "<mark>Klappe</mark>" in hit["snippet"]
    # Internal articles never reach customers; nonsense finds nothing and is no error.
    assert ids["secret"] not in await top("Servicekonto Tresor")
    assert ids["secret"] in [a["id"] for a in await faq.search("erik", "Servicekonto Tresor")]
    for q in ("zzqxj", '"Passwort"', "Passwort:*", "(a|b)", "!!!", "&&"):
        r = await faq.get("/api/v1/faq/articles", "ben", params={"q": q})
        assert r.status_code == 200, (q, r.text)


async def _suggestions(world: Portal) -> None:
    ids = await _corpus(world)
    faq = Faq(world)
    # The unfinished last word matches as a prefix, on every keystroke.
    first = await faq.suggest("ben", "Passw")
    assert {a["id"] for a in first[:2]} == {ids["password"], ids["password_en"]}
    for typed in ("Passwort zur", "Passwort zurücks"):
        assert (await faq.suggest("ben", typed))[0]["id"] == ids["password"], typed
    items = await faq.suggest(None, "Druckertr")
    assert items[0]["id"] == ids["driver"]
    assert "<mark>" in items[0]["title_html"]
    # At most five, only what the caller may read, nothing for nothing.
    assert len(await faq.suggest("erik", "e")) <= 5
    assert ids["secret"] not in {a["id"] for a in await faq.suggest("ben", "Servicekon")}
    assert ids["secret"] in {a["id"] for a in await faq.suggest("erik", "Servicekon")}
    assert await faq.suggest("ben", "   ") == []


CHECKS = [_ranking_stemming_compounds_typos, _suggestions]


@pytest.mark.integration
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.strip("_"))
async def test_on_postgresql(world: Portal, check: Any) -> None:
    await check(world)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.strip("_"))
async def test_in_all_in_one_mode(sqlite_world: Portal, check: Any) -> None:
    await check(sqlite_world)
