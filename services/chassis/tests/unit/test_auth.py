"""Token verification: every kind of bad token is a 401, keys rotate without downtime."""

import base64
import json
import time
import uuid

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from portal_chassis.auth import TokenVerifier
from portal_chassis.errors import Unauthorized

ISSUER, AUDIENCE = "https://portal.test", "portal"


def _key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"})


KEY_A, KEY_B = _key("a"), _key("b")


def _claims(**overrides):
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(uuid.uuid4()),
        "username": "anna",
        "org": str(uuid.uuid4()),
        "roles": ["customer"],
        "iat": now,
        "exp": now + 300,
    }
    claims.update(overrides)
    return claims


def _sign(key: RSAKey, **overrides) -> str:
    return jwt.encode(
        {"alg": "RS256", "kid": key.kid}, _claims(**overrides), key, algorithms=["RS256"]
    )


class Keys:
    def __init__(self, *keys: RSAKey) -> None:
        self.keys = list(keys)
        self.fetches = 0

    async def __call__(self):
        self.fetches += 1
        return KeySet(self.keys).as_dict(private=False)


def _verifier(source: Keys, **kwargs) -> TokenVerifier:
    return TokenVerifier(source, issuer=ISSUER, audience=AUDIENCE, **kwargs)


async def test_valid_token_gives_the_actor() -> None:
    org = uuid.uuid4()
    actor = await _verifier(Keys(KEY_A)).verify(_sign(KEY_A, org=str(org), roles=["agent"]))
    assert actor.organization_id == org
    assert actor.is_staff and not actor.is_admin


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": int(time.time()) - 10},
        {"aud": "someone-else"},
        {"iss": "https://evil.test"},
        {"sub": "not-a-uuid"},
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "bad-subject"],
)
async def test_bad_claims_are_rejected(overrides) -> None:
    with pytest.raises(Unauthorized):
        await _verifier(Keys(KEY_A)).verify(_sign(KEY_A, **overrides))


async def test_token_signed_by_an_unknown_key_is_rejected() -> None:
    with pytest.raises(Unauthorized):
        await _verifier(Keys(KEY_A), min_refresh_seconds=0).verify(_sign(_key("a")))


async def test_tampered_payload_is_rejected() -> None:
    header, _payload, signature = _sign(KEY_A).split(".")
    forged = base64.urlsafe_b64encode(json.dumps(_claims(roles=["admin"])).encode()).rstrip(b"=")
    with pytest.raises(Unauthorized):
        await _verifier(Keys(KEY_A)).verify(f"{header}.{forged.decode()}.{signature}")


async def test_alg_none_is_rejected() -> None:
    def b64(obj) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    token = f"{b64({'alg': 'none', 'kid': 'a'})}.{b64(_claims(roles=['admin']))}."
    with pytest.raises(Unauthorized):
        await _verifier(Keys(KEY_A)).verify(token)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "....", "é.é.é"])
async def test_garbage_is_rejected(garbage: str) -> None:
    with pytest.raises(Unauthorized):
        await _verifier(Keys(KEY_A)).verify(garbage)


async def test_jwks_is_cached_between_requests() -> None:
    keys = Keys(KEY_A)
    verifier = _verifier(keys)
    for _ in range(5):
        await verifier.verify(_sign(KEY_A))
    assert keys.fetches == 1


async def test_rotated_key_is_fetched_once_and_old_key_still_verifies() -> None:
    keys = Keys(KEY_A)
    verifier = _verifier(keys, min_refresh_seconds=0)
    await verifier.verify(_sign(KEY_A))
    keys.keys.append(KEY_B)  # identity rotated: B signs now, A stays published
    await verifier.verify(_sign(KEY_B))
    await verifier.verify(_sign(KEY_A))
    assert keys.fetches == 2


async def test_unknown_kids_cannot_make_it_hammer_identity() -> None:
    keys = Keys(KEY_A)
    verifier = _verifier(keys, min_refresh_seconds=60)
    await verifier.verify(_sign(KEY_A))
    for i in range(5):
        with pytest.raises(Unauthorized):
            await verifier.verify(_sign(_key(f"forged{i}")))
    assert keys.fetches == 1


async def test_a_verified_token_is_not_checked_again(monkeypatch) -> None:
    verifier = _verifier(Keys(KEY_A))
    token = _sign(KEY_A)
    first = await verifier.verify(token)
    decodes = 0
    real_decode = jwt.decode

    def counting_decode(*args, **kwargs):
        nonlocal decodes
        decodes += 1
        return real_decode(*args, **kwargs)

    monkeypatch.setattr("portal_chassis.auth.jwt.decode", counting_decode)
    assert await verifier.verify(token) == first
    assert decodes == 0
    await verifier.verify(_sign(KEY_A))  # another token is checked
    assert decodes == 1


async def test_a_remembered_token_still_expires(monkeypatch) -> None:
    verifier = _verifier(Keys(KEY_A))
    now = time.time()
    token = _sign(KEY_A, exp=int(now) + 2)
    await verifier.verify(token)
    monkeypatch.setattr("portal_chassis.auth.time.time", lambda: now + 5)
    with pytest.raises(Unauthorized):
        await verifier.verify(token)


async def test_a_refetched_key_set_checks_remembered_tokens_again() -> None:
    keys = Keys(KEY_A, KEY_B)
    verifier = _verifier(keys, cache_seconds=0, min_refresh_seconds=0)
    token = _sign(KEY_A)
    await verifier.verify(token)
    keys.keys.remove(KEY_A)  # key A retired: its tokens stop working at once
    with pytest.raises(Unauthorized):
        await verifier.verify(token)
