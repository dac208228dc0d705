"""The knowledge base in the browser: explorer, search, article page and votes, in
German and English, with nothing hidden shown to the wrong reader."""

from __future__ import annotations

from faq_harness import Faq
from portal_harness import Portal
from web_kit import sign_in


async def test_explorer_search_article_and_vote(sqlite_world: Portal) -> None:
    world = sqlite_world
    faq = Faq(world)
    category = await faq.category("Zugang")
    public = await faq.article(
        "Passwort zurücksetzen <script>x</script>",
        category,
        body="Nutzen Sie den Link auf der **Anmeldeseite**.",
    )
    customers = await faq.article("VPN einrichten", category, visibility="customers")
    internal = await faq.article("Druckserver neu starten", category, visibility="internal")

    # Anonymous: the explorer lists the public article only, escaped.
    page = await world.client.get("/faq?lang=en")
    assert page.status_code == 200
    assert "Help articles" in page.text and "Zugang" in page.text
    assert f"/faq/{public}" in page.text and f"/faq/{customers}" not in page.text
    assert "<script>x</script>" not in page.text and "&lt;script&gt;" in page.text
    # Search marks the matches.
    found = await world.client.get("/faq", params={"q": "Anmeldeseite"})
    assert "<mark>Anmeldeseite</mark>" in found.text and "1 article found" in found.text
    # Hidden articles are simply not there.
    for hidden in (customers, internal):
        assert (await world.client.get(f"/faq/{hidden}")).status_code == 404
    assert (await world.client.get("/faq/not-an-id")).status_code == 404
    article = await world.client.get(f"/faq/{public}")
    assert "<strong>Anmeldeseite</strong>" in article.text
    assert "/login?next=/faq/" in article.text  # sign in to vote

    # German pages, remembered by cookie.
    german = await world.client.get("/faq?lang=de")
    assert "Hilfeartikel" in german.text and "Kategorien" in german.text
    assert "Hilfeartikel" in (await world.client.get("/faq")).text

    # A signed-in customer also sees their articles and votes with the CSRF token.
    await sign_in(world.client, "ben")
    listing = await world.client.get("/faq")
    assert f"/faq/{customers}" in listing.text and f"/faq/{internal}" not in listing.text
    r = await world.client.post(
        f"/faq/{public}/vote",
        data={"helpful": "yes", "csrf_token": world.client.cookies["portal_csrf"]},
    )
    assert r.status_code == 303 and r.headers["location"] == f"/faq/{public}?voted=1&lang=en"
    # Signing in applied ben's profile language (English) over the earlier choice.
    thanked = await world.client.get(r.headers["location"])
    assert "Thank you for your feedback." in thanked.text
    assert 'aria-pressed="true">Yes (1)' in thanked.text
    # Without the CSRF token the vote is not counted.
    await world.client.post(f"/faq/{public}/vote", data={"helpful": "no"})
    counted = (await faq.get(f"/api/v1/faq/articles/{public}", "erik")).json()
    assert counted["helpful"] == 1 and counted["not_helpful"] == 0


async def test_pages_show_the_readers_language_and_mark_the_other(sqlite_world: Portal) -> None:
    world = sqlite_world
    faq = Faq(world)
    category = await faq.category("Drucker")
    both = await faq.article("Drucker einrichten", category, body="Den Drucker einrichten.")
    r = await world.client.patch(
        f"/api/v1/faq/articles/{both}",
        json={"language": "en", "title": "Setting up a printer", "body": "Set it up."},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 200, r.text
    german_only = await faq.article("Warteschlange leeren", category, body="Nur **deutsch**.")

    # English explorer: English titles; the German-only article marked and tagged.
    page = (await world.client.get("/faq?lang=en")).text
    assert "Setting up a printer" in page and "Drucker einrichten" not in page
    assert '<span class="badge lang-fallback">only in German</span>' in page
    assert f'<a class="title" href="/faq/{german_only}" lang="de">' in page
    assert "?language=" not in page  # the article page follows the page language
    found = (await world.client.get("/faq", params={"q": "Drucker", "lang": "en"})).text
    assert "Setting up a printer" in found
    # German explorer: the German text, nothing marked.
    page = (await world.client.get("/faq?lang=de")).text
    assert "Drucker einrichten" in page and "lang-fallback" not in page

    # An English reader of the German-only article: English page, German text marked.
    await sign_in(world.client, "ben")  # ben reads English
    article = (await world.client.get(f"/faq/{german_only}")).text
    assert '<html lang="en"' in article and "Was this article helpful?" in article
    assert "only in German" in article and '<div class="body" lang="de">' in article
    r = await world.client.post(
        f"/faq/{german_only}/vote",
        data={"helpful": "yes", "lang": "en", "csrf_token": world.client.cookies["portal_csrf"]},
    )
    assert r.headers["location"] == f"/faq/{german_only}?voted=1&lang=en"
    thanked = (await world.client.get(r.headers["location"])).text
    assert "Thank you for your feedback." in thanked and "only in German" in thanked

    # The German text of a bilingual article chosen on purpose stays chosen after voting.
    chosen = (await world.client.get(f"/faq/{both}?language=de")).text
    assert "Drucker einrichten" in chosen and 'name="language" value="de"' in chosen
    r = await world.client.post(
        f"/faq/{both}/vote",
        data={
            "helpful": "no",
            "lang": "en",
            "language": "de",
            "csrf_token": world.client.cookies["portal_csrf"],
        },
    )
    assert r.headers["location"] == f"/faq/{both}?voted=1&lang=en&language=de"
    again = (await world.client.get(r.headers["location"])).text
    assert "Drucker einrichten" in again and "Thank you for your feedback." in again
