"""Reading a file a user names (a policy, weights, reviews, a stage map, a cloud SDK list, a
requirements file): UTF-8, and at most a cap, counted while reading. A size checked before
reading would not stop a device or a pipe (`/dev/zero` has size 0 and never ends); a file over
the cap is refused, not cut."""

from __future__ import annotations

from pathlib import Path

__all__ = ["MAX_USER_FILE_BYTES", "TooLarge", "read_capped", "read_capped_bytes"]

MAX_USER_FILE_BYTES = 8 * 2**20  # such files are kilobytes


class TooLarge(ValueError):
    """The file holds more than the cap."""


def read_capped_bytes(path: str | Path, limit: int = MAX_USER_FILE_BYTES) -> bytes:
    """The file's bytes; raises OSError (unreadable, a folder) or TooLarge (over `limit`)."""
    with Path(path).open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        size = f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit:,} bytes"
        raise TooLarge(f"larger than {size}: not read")
    return data


def read_capped(path: str | Path, limit: int = MAX_USER_FILE_BYTES) -> str:
    """The file's text; raises OSError (unreadable, a folder), UnicodeDecodeError (not UTF-8)
    or TooLarge (over `limit` bytes), all of them ValueError or OSError."""
    return read_capped_bytes(path, limit).decode("utf-8")
