"""Passwords, hashed with argon2id by argon2-cffi (OWASP's first choice), never stored or logged.

Hashing takes tens of milliseconds on purpose; it runs in a worker thread so the event loop keeps
serving other requests meanwhile.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# NCSC guidance: length matters more than mixing symbols, so ask for length and nothing else.
MIN_LENGTH = 12
MAX_LENGTH = 256

hasher = PasswordHasher()
_unknown_account_hash: str | None = None


def problem_with(password: str) -> str | None:
    """Why a new password cannot be used, in words a person can act on; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more. Three random words make a good one."
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer."
    return None


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(hasher.hash, password)


def _verify(password_hash: str | None, password: str) -> bool:
    global _unknown_account_hash
    if password_hash is None:
        # No such account: spend the same time anyway, so timing does not reveal who has one.
        if _unknown_account_hash is None:
            _unknown_account_hash = hasher.hash("no account has this password")
        password_hash, password = _unknown_account_hash, password + "\x00"
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True if `password` matches; `password_hash=None` (unknown account) is always False."""
    return await asyncio.to_thread(_verify, password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker settings than today's, so it is renewed at sign-in."""
    return hasher.check_needs_rehash(password_hash)
