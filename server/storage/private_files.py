"""Files only the service may read: the database, its backups, the session key.

They hold officers' password hashes, every ticket of every day and the key that signs
sessions, so they are created 0600 (folders 0700) whatever the umask of whoever started the
server (`make run` under a login shell's 022 made them readable by every account of the PC).
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> None:
    """Create the folder (and its parents) if missing; a folder made here is 0700. One that
    already exists (/var/lib/motcua, made by systemd) keeps the mode its owner chose."""
    path = Path(path)
    if path.is_dir():
        return
    if not path.parent.is_dir():
        private_folder(path.parent)
    path.mkdir(mode=FOLDER_MODE, exist_ok=True)
    os.chmod(path, FOLDER_MODE)  # mkdir's mode is masked by the umask


def private_file(path: Path) -> None:
    """Create the file empty and 0600 if it does not exist yet (SQLite then opens it, and
    gives its -wal and -shm files the same mode); an existing file is made 0600 too."""
    path = Path(path)
    private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)


def write_private(path: Path, text: str) -> None:
    """Write a secret into a new 0600 file (never readable by others, even for an instant)."""
    private_file(path)
    path.write_text(text, encoding="utf-8")
