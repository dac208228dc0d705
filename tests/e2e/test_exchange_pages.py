"""The file exchange in the browser: a share made on the page shows its link once; the
link's page works without an account (uploads streamed through a plain form or the
script's way, downloads); revoked, unknown and mistyped links get one and the same 404;
a protected link asks for its password first."""

from __future__ import annotations

import re

import httpx
from files_harness import pdf, png
from portal_harness import Portal
from web_kit import browser, sign_in


async def _create(client: httpx.AsyncClient, csrf: str, **fields: str) -> tuple[str, str]:
    """Make a share on the page; (its id, the link's token) from the page shown once."""
    form = {
        "name": "Logs for the hotline",
        "expires_in_days": "7",
        "allow_upload": "1",
        "allow_download": "1",
        "csrf_token": csrf,
        **fields,
    }
    r = await client.post("/exchanges", data=form)
    assert r.status_code == 303, r.text
    share_id = r.headers["location"].rsplit("/", 1)[-1]
    page = await client.get(r.headers["location"])
    link = re.search(r'id="share-link" type="text" readonly value="([^"]+)"', page.text)
    assert link, page.text
    return share_id, link.group(1).rsplit("/x/", 1)[-1]


def _main(page: httpx.Response) -> str:
    return page.text.split("<main", 1)[1].split("</main>", 1)[0]


async def test_a_share_from_creation_to_revocation(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with (
        browser(world, lang="en") as owner,
        browser(world, lang="en") as guest,
        browser(world, lang="en") as other,
    ):
        anonymous = await owner.get("/exchanges")
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
        await sign_in(owner, "ben")
        csrf = owner.cookies["portal_csrf"]
        page = await owner.get("/exchanges")
        assert page.status_code == 200 and 'id="share-form"' in page.text
        assert 'id="no-shares"' in page.text

        refused = await owner.post("/exchanges", data={"name": "x", "allow_upload": "1"})
        assert refused.status_code == 403
        neither = await owner.post(
            "/exchanges", data={"name": "Kept <i>name</i>", "csrf_token": csrf}
        )
        assert neither.status_code == 422 and "Allow uploads, downloads or both." in neither.text
        assert 'value="Kept &lt;i&gt;name&lt;/i&gt;"' in neither.text
        assert 'aria-describedby="allow_upload-error"' in neither.text
        assert (await owner.get("/api/v1/exchanges")).json()["items"] == []

        share_id, token = await _create(owner, csrf, name="Logs <b>2026</b>")
        shown = await owner.get(f"/exchanges/{share_id}")
        assert token not in shown.text  # the link is shown once only
        assert "Logs &lt;b&gt;2026&lt;/b&gt;" in shown.text and "<b>2026" not in shown.text
        assert '<script src="/static/exchange.js" defer></script>' in shown.text
        listing = await owner.get("/exchanges")
        assert f'href="/exchanges/{share_id}"' in listing.text and "active" in listing.text

        # The link's page needs no account.
        public = await guest.get(f"/x/{token}")
        assert public.status_code == 200 and "Logs &lt;b&gt;2026&lt;/b&gt;" in public.text
        assert f'data-url="/api/v1/exchanges/{token}/files/{{name}}"' in public.text
        assert 'enctype="multipart/form-data"' in public.text
        guest_csrf = guest.cookies["portal_csrf"]
        # Without script: a plain form, streamed on to the files service.
        data = png(30_000)
        up = await guest.post(
            f"/x/{token}/files",
            data={"csrf_token": guest_csrf},
            files={"file": ("trace.png", data, "image/png")},
        )
        assert up.status_code == 303 and up.headers["location"] == f"/x/{token}?uploaded=1"
        # The script's way: the raw body to the API.
        scripted = await guest.put(f"/api/v1/exchanges/{token}/files/second.png", content=png())
        assert scripted.status_code == 201, scripted.text
        after = await guest.get(up.headers["location"])
        assert "The file is uploaded." in after.text
        ids = re.findall(rf'href="/x/{token}/files/([0-9a-f-]+)"', after.text)
        assert len(ids) == 2 and "trace.png" in after.text and "second.png" in after.text
        down = await guest.get(f"/x/{token}/files/{ids[0]}")
        assert down.status_code == 200 and down.content == data
        assert down.headers["content-disposition"].startswith("attachment")
        # Refused: no CSRF token, a program, no file.
        no_csrf = await guest.post(
            f"/x/{token}/files", files={"file": ("a.png", png(), "image/png")}
        )
        assert no_csrf.status_code == 403
        program = await guest.post(
            f"/x/{token}/files?lang=de",
            data={"csrf_token": guest_csrf},
            files={"file": ("setup.png", b"MZ" + b"\x00" * 200, "image/png")},
        )
        assert program.status_code == 415
        assert "Diese Art von Datei wird nicht angenommen." in program.text
        assert 'id="file-error"' in program.text and 'href="#file"' in program.text
        nothing = await guest.post(
            f"/x/{token}/files?lang=en",
            data={"csrf_token": guest_csrf},
            files={"file": ("", b"", "application/octet-stream")},
        )
        assert nothing.status_code == 422 and "Choose a file to upload." in nothing.text

        # The owner sees the files, downloads them, adds one without script.
        detail = await owner.get(f"/exchanges/{share_id}")
        assert "trace.png" in detail.text and "second.png" in detail.text
        assert f'href="/api/v1/files/{ids[0]}/content"' in detail.text
        assert (await owner.get(f"/api/v1/files/{ids[0]}/content")).content == data
        assert 'id="share-log"' in detail.text and "download" in detail.text
        # Larger than a page form may be: the upload path streams it on.
        manual = pdf(1_500_000)
        added = await owner.post(
            f"/exchanges/{share_id}/files",
            data={"csrf_token": csrf},
            files={"file": ("manual.pdf", manual, "application/pdf")},
        )
        assert added.status_code == 303, added.text
        assert "manual.pdf" in (await owner.get(added.headers["location"])).text
        assert "manual.pdf" in (await guest.get(f"/x/{token}")).text

        # Nobody else sees the share.
        await sign_in(other, "anna")
        assert (await other.get(f"/exchanges/{share_id}")).status_code == 404
        assert (await other.get("/exchanges/not-a-share")).status_code == 404

        # Revoked: the link's page is the same 404 as for a link that never existed.
        kept = await owner.post(f"/exchanges/{share_id}/revoke", data={})
        assert kept.status_code == 403
        assert (await guest.get(f"/x/{token}")).status_code == 200
        revoked = await owner.post(f"/exchanges/{share_id}/revoke", data={"csrf_token": csrf})
        assert revoked.status_code == 303
        assert "The link is revoked." in (await owner.get(revoked.headers["location"])).text
        gone = await guest.get(f"/x/{token}")
        unknown = await guest.get("/x/" + "A" * 43)
        mistyped = await guest.get("/x/abc")
        assert gone.status_code == unknown.status_code == mistyped.status_code == 404
        assert _main(gone) == _main(unknown) == _main(mistyped)
        assert "This link does not work" in _main(gone)
        assert (await guest.get(f"/x/{token}/files/{ids[0]}")).status_code == 404


async def test_a_protected_share_asks_for_its_password(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with (
        browser(world, lang="en") as owner,
        browser(world, lang="en") as guest,
        browser(world, lang="en") as stranger,
    ):
        await sign_in(owner, "ben")
        csrf = owner.cookies["portal_csrf"]
        short = await owner.post(
            "/exchanges",
            data={"name": "Secret", "password": "abc", "allow_download": "1", "csrf_token": csrf},
        )
        assert short.status_code == 422
        assert "At least 6 characters." in short.text and "String should" not in short.text
        assert 'href="#password"' in short.text and 'value="Secret"' in short.text

        share_id, token = await _create(owner, csrf, name="Secret", password="open sesame")
        stored = await owner.post(
            f"/api/v1/exchanges/shares/{share_id}/files",
            files={"file": ("plan.png", png(), "image/png")},
            headers={"X-CSRF-Token": csrf},
        )
        assert stored.status_code == 201, stored.text
        file_id = stored.json()["id"]

        asked = await guest.get(f"/x/{token}")
        assert asked.status_code == 200 and 'id="share-password-form"' in asked.text
        assert "plan.png" not in asked.text and "Secret" not in asked.text
        guest_csrf = guest.cookies["portal_csrf"]
        wrong = await guest.post(
            f"/x/{token}", data={"password": "guess", "csrf_token": guest_csrf}
        )
        assert wrong.status_code == 401 and "The password is wrong." in wrong.text
        assert 'aria-describedby="password-error"' in wrong.text
        opened = await guest.post(
            f"/x/{token}", data={"password": "open sesame", "csrf_token": guest_csrf}
        )
        assert opened.status_code == 303 and opened.headers["location"] == f"/x/{token}"
        cookie = next(c for c in opened.headers.get_list("set-cookie") if "portal_share=" in c)
        assert f"Path=/x/{token}" in cookie and "HttpOnly" in cookie
        assert "open sesame" not in cookie and "SameSite=strict" in cookie

        page = await guest.get(f"/x/{token}")
        assert page.status_code == 200 and "plan.png" in page.text
        # The script uploads through the page's address, which adds the kept password.
        assert f'data-url="/x/{token}/files?name={{name}}"' in page.text
        download = await guest.get(f"/x/{token}/files/{file_id}")
        assert download.status_code == 200 and download.content == png()
        refused = await guest.put(f"/x/{token}/files?name=more.png", content=png())
        assert refused.status_code == 403
        more = await guest.put(
            f"/x/{token}/files?name=more.png",
            content=png(),
            headers={"X-CSRF-Token": guest_csrf},
        )
        assert more.status_code == 201, more.text
        assert more.json()["name"] == "more.png"

        # Without the password nothing is shown or handed out.
        blocked = await stranger.get(f"/x/{token}/files/{file_id}")
        assert blocked.status_code == 303 and blocked.headers["location"] == f"/x/{token}"
        direct = await stranger.get(f"/api/v1/exchanges/{token}/files/{file_id}")
        assert direct.status_code == 401


async def test_a_share_at_its_download_limit_shows_no_dead_links(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, lang="en") as owner, browser(world, lang="en") as guest:
        await sign_in(owner, "ben")
        csrf = owner.cookies["portal_csrf"]
        share_id, token = await _create(owner, csrf, name="One look", download_limit="1")
        stored = await owner.post(
            f"/api/v1/exchanges/shares/{share_id}/files",
            files={"file": ("plan.png", png(), "image/png")},
            headers={"X-CSRF-Token": csrf},
        )
        assert stored.status_code == 201, stored.text
        file_id = stored.json()["id"]
        listed = (await owner.get("/api/v1/exchanges")).json()["items"][0]
        assert listed["downloads_left"] == 1 and listed["downloads_exhausted"] is False

        before = await guest.get(f"/x/{token}?lang=en")
        assert f'href="/x/{token}/files/{file_id}"' in before.text
        assert "1 download left." in before.text
        assert (await guest.get(f"/x/{token}/files/{file_id}")).status_code == 200

        # Used up: the files are still named, but nothing links to them.
        after = await guest.get(f"/x/{token}?lang=en")
        assert after.status_code == 200 and "plan.png" in after.text
        assert f"/x/{token}/files/" not in after.text
        assert 'id="downloads-exhausted"' in after.text
        assert "This link has reached its download limit" in after.text
        german = await guest.get(f"/x/{token}?lang=de")
        assert "Dieser Link hat die Höchstzahl an Downloads erreicht" in german.text
        # A link kept from before answers a page that says why, in the reader's language.
        for lang, sentence in (
            ("en", "This link has reached its download limit"),
            ("de", "Dieser Link hat die Höchstzahl an Downloads erreicht"),
        ):
            stale = await guest.get(f"/x/{token}/files/{file_id}?lang={lang}")
            assert stale.status_code == 410
            assert stale.headers["content-type"].startswith("text/html")
            assert sentence in _main(stale) and f"/x/{token}/files/" not in stale.text

        # The owner sees it too, from the service's data.
        listed = (await owner.get("/api/v1/exchanges")).json()["items"][0]
        assert listed["downloads_left"] == 0 and listed["downloads_exhausted"] is True
        detail = await owner.get(f"/exchanges/{share_id}?lang=en")
        assert "download limit reached" in detail.text
        listing = await owner.get("/exchanges?lang=en")
        assert "download limit reached" in listing.text
