"""Member passes: membership vouches, to another service, that the person in this browser is a
member, so they can register for a meeting without typing an id and without another password.

The member signs in at membership (by an emailed link); membership sends the browser back to the
service that asked, with a pass in the URL: the member's id, the site it is for and a few minutes'
life, signed with membership's Ed25519 key. The other service checks it with membership's public
key (`GET <membership>/.well-known/member-pass-key`), so no secret is shared between partners and
no contact details travel: the pass holds an id only.

Membership's key is derived from its secret key, so it needs no file of its own and changes when
that secret is rotated (passes live minutes, so nothing else is affected).

`cryptography` is imported when a pass is first made or checked, not when a service starts: it
is about 8 MB of a service's memory, and most services never handle a pass.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from forum_shared.identity.links import LinkRefused
from forum_shared.identity.links import b64 as _b64
from forum_shared.identity.links import unb64 as _unb64

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PASS_LIFETIME = timedelta(minutes=10)


def signing_key(secret: str) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"member-pass|{secret}".encode()).digest())


def public_key_text(secret: str) -> str:
    """What membership publishes: the raw public key, base64url."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return _b64(signing_key(secret).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def issue(secret: str, member_id: str, audience: str, now: datetime | None = None) -> str:
    """A pass for `member_id`, good at `audience` (the origin of the site it is for) for ten minutes."""
    expires = (now or datetime.now(UTC)) + PASS_LIFETIME
    payload = _b64(json.dumps({"sub": member_id, "aud": audience, "exp": int(expires.timestamp())}).encode())
    return f"{payload}.{_b64(signing_key(secret).sign(payload.encode()))}"


def verify(public_key: str, token: str, audience: str, now: datetime | None = None) -> str:
    """The member id in a pass made by the holder of `public_key` for `audience`; `LinkRefused` if not."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    payload, _, signature = token.partition(".")
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(public_key)).verify(_unb64(signature), payload.encode())
        claims = json.loads(_unb64(payload))
    except (InvalidSignature, ValueError, TypeError) as exc:
        raise LinkRefused("This sign-in could not be checked. Please sign in again.") from exc
    if claims.get("aud") != audience:
        raise LinkRefused("This sign-in was for another site. Please sign in again.")
    if (now or datetime.now(UTC)).timestamp() > claims.get("exp", 0):
        raise LinkRefused("This sign-in has expired. Please sign in again.")
    return str(claims["sub"])
