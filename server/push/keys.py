"""The center's VAPID key pair (RFC 8292): generated on first start beside the database and
the session key, 0600, and kept: a new key would orphan every subscription made with the
old public key (browsers bind a subscription to the applicationServerKey it was made with).

Several processes of one center (MOTCUA_MESSAGE_QUEUE) may start at once: the key is written
to a temporary file and linked into place, so exactly one key wins and every process reads
that one.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.storage.private_files import write_private

KEY_FILE = "vapid_private_key.pem"


@dataclass(frozen=True)
class VapidKey:
    """The private key (PEM, PKCS#8) and the public key as browsers take it: the
    uncompressed P-256 point, base64url without padding (`applicationServerKey`)."""

    private_pem: bytes
    public_key: str


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def key_path(database: Path) -> Path:
    return Path(database).parent / KEY_FILE


def load_vapid_key(database: Path) -> VapidKey:
    """The key next to `database`, generated (0600) when there is none yet."""
    path = key_path(database)
    if not path.exists():
        create_key_file(path)
    pem = path.read_bytes()
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, ec.EllipticCurvePrivateKey) or private.curve.name != "secp256r1":
        raise ValueError(f"{path}: không phải khóa P-256 (VAPID)")
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKey(pem, b64url(point))


def create_key_file(path: Path) -> None:
    """A new P-256 key at `path`, unless another process put one there first."""
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    write_private(draft, pem.decode("ascii"))
    try:
        os.link(draft, path)  # fails when the file exists: the first key stays
    except FileExistsError:
        pass
    finally:
        draft.unlink()
