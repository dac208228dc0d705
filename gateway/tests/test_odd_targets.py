"""Request targets with control characters or raw bytes are forwarded escaped: the
service answers them as any other path (404, or 422 for a malformed token), over the
same kept-alive connection."""

from __future__ import annotations

import asyncio
import json

from portal_harness import Portal
from served import serving

from portal_gateway.edge.proxy import upstream_target


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, target: str, token: str
) -> tuple[int, dict[str, str], bytes]:
    writer.write(
        f"GET {target} HTTP/1.1\r\nHost: portal\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
    )
    await writer.drain()
    head = (await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)).decode("latin-1")
    status_line, *lines = head.strip().split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    body = await reader.readexactly(int(headers["content-length"]))
    return int(status_line.split()[1]), headers, body


async def test_control_characters_in_a_proxied_path_are_404_on_a_live_connection(
    sqlite_world: Portal,
) -> None:
    token = (await sqlite_world.as_("ben"))["Authorization"].split()[1]
    ticket = (await sqlite_world.ticket("ben"))["number"]
    async with serving(sqlite_world.app) as url:
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            # Each service judges the path it is given: no such ticket, or a token
            # that breaks the pattern of one.
            for target, expected in (
                (f"/api/v1/tickets/{ticket}%0A", 404),
                (f"/api/v1/tickets/{ticket}%00/articles", 404),
                (f"/api/v1/tickets/{ticket}%7F%1B", 404),
                ("/api/v1/tickets/%0D%0AX-Injected:%20yes", 404),
                ("/api/v1/exchanges/%01" + "t" * 30, 422),
            ):
                status, headers, body = await _exchange(reader, writer, target, token)
                assert status == expected, (target, status, body)
                assert headers["content-type"] == "application/problem+json"
                assert json.loads(body)["status"] == expected
                assert headers.get("connection") != "close"
                assert "x-injected" not in headers
            # The same connection still serves, and the ticket itself is there.
            status, _, body = await _exchange(reader, writer, f"/api/v1/tickets/{ticket}", token)
            assert status == 200 and json.loads(body)["number"] == ticket
            # Encoded characters reach the service encoded, not decoded twice.
            status, _, _ = await _exchange(reader, writer, "/api/v1/tickets/%2541", token)
            assert status == 404
            status, _, body = await _exchange(
                reader, writer, "/api/v1/faq/articles?q=%0A%00%FF&limit=5", token
            )
            assert status in (200, 422), body
        finally:
            writer.close()


def test_the_forwarded_target_escapes_what_a_url_may_not_hold() -> None:
    scope = {
        "path": "",
        "raw_path": b"/api/v1/tickets/T1\x01 \xc3\xbc%2F",
        "query_string": b"q=\n\xff",
    }
    target = upstream_target(scope)
    assert target.raw_path == b"/api/v1/tickets/T1%01%20%C3%BC%2F?q=%0A%FF"
    # Without raw_path (some servers): the decoded path, escaped the same way.
    assert upstream_target({"path": "/a\nb", "query_string": b""}).raw_path == b"/a%0Ab?"
