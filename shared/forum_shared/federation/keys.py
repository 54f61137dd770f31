"""NATS user keys (nkeys). Whoever runs a service makes its key and keeps the seed (`<name>.nk`); only
the public key (`<name>.pub`) goes to the hub's operator and into the server's configuration, so the
operator never holds a partner's secret."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import nkeys

SEED_SUFFIX = ".nk"
PUBLIC_SUFFIX = ".pub"


def new_seed() -> bytes:
    seed: bytes = nkeys.encode_seed(secrets.token_bytes(32), nkeys.PREFIX_BYTE_USER)
    return seed


def public_key(seed: bytes) -> str:
    key: bytes = nkeys.from_seed(bytearray(seed)).public_key
    return key.decode()


def seed_file(folder: Path, name: str) -> Path:
    return folder / f"{name}{SEED_SUFFIX}"


def public_file(folder: Path, name: str) -> Path:
    return folder / f"{name}{PUBLIC_SUFFIX}"


def ensure_key(folder: Path, name: str) -> str:
    """The public key of user `name`: from `<name>.pub` if only the public key was handed over,
    else from its seed, made (readable by this user only) if there is none yet."""
    folder.mkdir(parents=True, exist_ok=True)
    public = public_file(folder, name)
    seed_path = seed_file(folder, name)
    if not seed_path.exists() and public.exists():
        return public.read_text().strip()
    if not seed_path.exists():
        seed = new_seed()
        fd = os.open(seed_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(seed + b"\n")
    return public_key(seed_path.read_bytes().strip())


def make_key(folder: Path, name: str) -> tuple[str, Path]:
    """`ensure_key`, and the public key written beside the seed as `<name>.pub`: the file to send to
    the hub's operator, who puts it in the hub's key folder. Returns the public key and that file."""
    key = ensure_key(folder, name)
    public = public_file(folder, name)
    public.write_text(key + "\n")
    return key, public
