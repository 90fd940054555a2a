"""What `motcua serve` checks before it answers anyone: the database is sound, writable, and
not from the future; and no other server without a message queue works on it.

Each refusal is a StartRefused whose message says, in Vietnamese, what is wrong and what to do:
the installer reads it in `journalctl`, where a traceback would help nobody.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from datetime import date
from pathlib import Path
from typing import IO

from server.locale import format_day
from server.storage.db import connection


class StartRefused(Exception):
    """The server must not start on this database; the message is for the installer."""


def check_database(path: Path, today: date, zone: str) -> None:
    """Refuse a corrupt, read-only or future-dated database (see StartRefused)."""
    try:
        with connection(path) as db:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise StartRefused(
                    f"Cơ sở dữ liệu {path} bị hỏng ({result[:200]}). Dừng máy chủ, khôi phục "
                    "bản sao lưu gần nhất (motcua backup) rồi chạy lại."
                )
            db.execute("BEGIN IMMEDIATE")  # the write lock: refused on a read-only file
            db.execute("ROLLBACK")
            newest = db.execute("SELECT max(day) FROM tickets").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise StartRefused(problem(path, error)) from None
    if newest and newest > today.isoformat():
        raise StartRefused(
            f"Cơ sở dữ liệu có phiếu của ngày {format_day(newest)}, sau hôm nay "
            f"({format_day(today)} theo múi giờ {zone}): đồng hồ của máy hoặc MOTCUA_TZ sai. "
            "Chạy tiếp sẽ cấp lại số thứ tự đã dùng; hãy sửa giờ máy hoặc MOTCUA_TZ."
        )


def problem(path: Path, error: sqlite3.DatabaseError) -> str:
    text = str(error)
    if "readonly" in text or "read-only" in text:
        return (
            f"Không ghi được vào cơ sở dữ liệu {path} (chỉ đọc): kiểm tra quyền của tệp và thư "
            "mục, hoặc ổ đĩa đầy hay bị gắn chỉ đọc."
        )
    return (
        f"Cơ sở dữ liệu {path} không đọc được ({text}). Dừng máy chủ, khôi phục bản sao lưu "
        "gần nhất (motcua backup) rồi chạy lại."
    )


def hold_server_lock(path: Path) -> IO[str]:
    """Take the database's server lock for as long as the process lives (the file stays open;
    the system frees the lock when the process ends, even killed). A second server without a
    message queue would show each TV only the events of its own process: it is refused."""
    lock_path = Path(f"{path}.server-lock")
    handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 (held until the process ends)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise StartRefused(
            f"Một máy chủ khác (PID {holder}) đang chạy trên cơ sở dữ liệu {path}. Mỗi cơ sở "
            "dữ liệu chỉ một máy chủ, trừ khi các máy chủ dùng chung MOTCUA_MESSAGE_QUEUE."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
