"""Routes only some roles may use do not exist for everybody else: a caller without the
role gets 404 problem+json even for an invalid body or query (never a 422 that would
reveal the route's shape, never a 403)."""

from __future__ import annotations

from typing import Any

from portal_harness import Portal

PROBLEM = "application/problem+json"
NIL = "00000000-0000-0000-0000-000000000000"

# (method, path, an invalid body, who must get 404). ben: customer, anna: customer admin,
# erik: agent. Bodies and queries break the schema; paths carry malformed ids.
ADMIN_ONLY = ["ben", "anna", "erik"]
STAFF_ONLY = ["ben", "anna"]
CASES: list[tuple[str, str, Any, list[str]]] = [
    # identity
    ("POST", "/api/v1/admin/organizations", {"name": 5, "priority_contract": "x"}, ADMIN_ONLY),
    ("GET", "/api/v1/admin/organizations?limit=0&cursor=" + "x" * 300, None, STAFF_ONLY),
    # Customer admins change their own organization's review step.
    ("PATCH", "/api/v1/admin/organizations/not-an-id", {"name": []}, ["ben", "erik"]),
    ("PATCH", f"/api/v1/admin/organizations/{NIL}", {"name": []}, ["ben", "erik"]),
    ("GET", "/api/v1/admin/signing-keys", None, ADMIN_ONLY),
    ("POST", "/api/v1/admin/signing-keys/rotate", None, ADMIN_ONLY),
    ("POST", "/api/v1/admin/oauth-clients", {"redirect_uris": 5}, ADMIN_ONLY),
    ("GET", "/api/v1/admin/oauth-clients?limit=999", None, ADMIN_ONLY),
    ("DELETE", "/api/v1/admin/oauth-clients/nope", None, ADMIN_ONLY),
    ("POST", "/api/v1/admin/users", {"username": 5, "roles": "admin"}, ["ben", "erik"]),
    ("GET", "/api/v1/admin/users?limit=0&role=wizard", None, ["ben"]),
    ("GET", "/api/v1/admin/users/not-an-id", None, ["ben"]),
    ("PATCH", "/api/v1/admin/users/not-an-id", {"roles": 5}, ["ben", "erik"]),
    ("POST", "/api/v1/admin/users/not-an-id/invitation", None, ["ben", "erik"]),
    ("GET", "/api/v1/admin/mfa-policy", None, ADMIN_ONLY),
    ("PUT", "/api/v1/admin/mfa-policy", {"required_roles": ["wizard"]}, ADMIN_ONLY),
    ("POST", "/api/v1/admin/users/not-an-id/mfa/reset", None, ADMIN_ONLY),
    ("POST", "/api/v1/access-requests", {"roles": 5}, ["ben", "erik"]),
    ("GET", "/api/v1/access-requests?state=maybe&limit=0", None, ["ben"]),
    ("GET", "/api/v1/access-requests/pending-count", None, ["ben"]),
    # Customer admins decide the sign-in page's requests their domain matched.
    ("POST", "/api/v1/access-requests/not-an-id/approve", {"roles": 5}, ["ben"]),
    ("POST", "/api/v1/access-requests/not-an-id/reject", {"reason": 5}, ["ben"]),
    # tickets
    ("POST", "/api/v1/ticket-templates", {"group": "nope", "guide": 5}, ADMIN_ONLY),
    ("PATCH", "/api/v1/ticket-templates/not-an-id", {"guide": 5}, ADMIN_ONLY),
    ("PUT", "/api/v1/ticket-taxonomy/Hardware", {"subtypes": 5}, ADMIN_ONLY),
    ("POST", "/api/v1/business-calendars", {"name": 5, "weekly": "x"}, ADMIN_ONLY),
    ("GET", "/api/v1/business-calendars/not-an-id", None, STAFF_ONLY),
    ("PATCH", "/api/v1/business-calendars/not-an-id", {"weekly": 5}, ADMIN_ONLY),
    ("DELETE", "/api/v1/business-calendars/not-an-id", None, ADMIN_ONLY),
    ("POST", "/api/v1/contracts", {"name": 5, "targets": "x"}, ADMIN_ONLY),
    ("PATCH", "/api/v1/contracts/not-an-id", {"targets": 5}, ADMIN_ONLY),
    ("DELETE", "/api/v1/contracts/not-an-id", None, ADMIN_ONLY),
    ("POST", "/api/v1/assets", {"name": 5, "organization_id": "x"}, ADMIN_ONLY),
    ("POST", "/api/v1/assets/import?organization_id=not-an-id", None, ADMIN_ONLY),
    ("PATCH", "/api/v1/assets/not-an-id", {"name": 5}, ADMIN_ONLY),
    ("GET", "/api/v1/agent-groups", None, STAFF_ONLY),
    ("POST", "/api/v1/agent-groups", {"name": 5, "member_ids": "x"}, ADMIN_ONLY),
    ("GET", "/api/v1/agent-groups/not-an-id", None, STAFF_ONLY),
    ("PATCH", "/api/v1/agent-groups/not-an-id", {"member_ids": 5}, ADMIN_ONLY),
    ("DELETE", "/api/v1/agent-groups/not-an-id", None, ADMIN_ONLY),
    ("GET", "/api/v1/routing-rules", None, STAFF_ONLY),
    ("POST", "/api/v1/routing-rules", {"group_id": "x", "category": "x"}, ADMIN_ONLY),
    ("PUT", "/api/v1/routing-rules/order", {"ids": 5}, ADMIN_ONLY),
    ("PATCH", "/api/v1/routing-rules/not-an-id", {"position": 0}, ADMIN_ONLY),
    ("DELETE", "/api/v1/routing-rules/not-an-id", None, ADMIN_ONLY),
    ("GET", "/api/v1/text-modules?language=fr&limit=0", None, STAFF_ONLY),
    ("GET", "/api/v1/text-modules/not-an-id", None, STAFF_ONLY),
    ("POST", "/api/v1/text-modules", {"name": 5, "language": "fr"}, ADMIN_ONLY),
    ("PATCH", "/api/v1/text-modules/not-an-id", {"body": 5}, ADMIN_ONLY),
    ("DELETE", "/api/v1/text-modules/not-an-id", None, ADMIN_ONLY),
    ("POST", "/api/v1/text-modules/not-an-id/render", {"ticket": 5}, STAFF_ONLY),
    ("POST", "/api/v1/tickets/bulk", {"numbers": [], "note": 5}, STAFF_ONLY),
    ("GET", "/api/v1/tickets/desk-options", None, STAFF_ONLY),
    ("POST", "/api/v1/tickets/T000001/links", {"number": 5}, STAFF_ONLY),
    ("DELETE", "/api/v1/tickets/T000001/links/" + "T" * 40, None, STAFF_ONLY),
    ("POST", "/api/v1/tickets/T000001/merge", {"into": [], "extra": 1}, STAFF_ONLY),
    # faq
    ("POST", "/api/v1/faq/categories", {"name": 5}, STAFF_ONLY),
    ("PATCH", "/api/v1/faq/categories/not-an-id", {"position": -1}, STAFF_ONLY),
    ("DELETE", "/api/v1/faq/categories/not-an-id", None, STAFF_ONLY),
    ("POST", "/api/v1/faq/articles", {"keywords": [1, {"a": 2}]}, STAFF_ONLY),
    ("PATCH", "/api/v1/faq/articles/not-an-id", {"keywords": 5}, STAFF_ONLY),
    ("POST", "/api/v1/faq/articles/not-an-id/publish", None, STAFF_ONLY),
    ("POST", "/api/v1/faq/articles/not-an-id/unpublish", None, STAFF_ONLY),
    ("DELETE", "/api/v1/faq/articles/not-an-id", None, STAFF_ONLY),
    ("GET", "/api/v1/faq/articles/not-an-id/revisions", None, STAFF_ONLY),
    # notify
    ("GET", "/api/v1/notifications/mails?status=lost&limit=0", None, ADMIN_ONLY),
    ("POST", "/api/v1/notifications/mails/not-an-id/retry", None, ADMIN_ONLY),
    ("PUT", "/api/v1/notifications/presence/T000001", {"typing": []}, STAFF_ONLY),
    ("POST", "/api/v1/notifications/presence/" + "T" * 40 + "/leave", None, STAFF_ONLY),
]


async def test_callers_without_the_role_get_404_before_validation(sqlite_world: Portal) -> None:
    world = sqlite_world
    wrong = []
    for method, path, body, outsiders in CASES:
        for username in outsiders:
            r = await world.client.request(
                method, path, json=body, headers=await world.as_(username)
            )
            if r.status_code != 404 or r.headers.get("content-type") != PROBLEM:
                wrong.append((username, method, path, r.status_code))
    assert wrong == []


async def test_with_the_role_the_same_requests_are_judged_on_their_input(
    sqlite_world: Portal,
) -> None:
    """The check above means something: these requests are invalid for those allowed."""
    world = sqlite_world
    admin = await world.admin()
    wrong = []
    for method, path, body, _ in CASES:
        if body is None and "?" not in path and "not-an-id" not in path:
            continue  # valid as they are (listing or rotating keys, unknown names)
        # Only customer admins ask for access; administrators may use everything else.
        insider = await world.as_("anna") if path == "/api/v1/access-requests" else admin
        r = await world.client.request(method, path, json=body, headers=insider)
        if r.status_code != 422 or r.headers.get("content-type") != PROBLEM:
            wrong.append((method, path, r.status_code))
    assert wrong == []
