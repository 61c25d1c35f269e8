"""Bytes that are not UTF-8, said in one line that names the file, line and column."""

from __future__ import annotations

from mlops_radar.errors import CatalogError

__all__ = ["not_utf8", "utf8_text"]


def not_utf8(name: str, data: bytes, exc: UnicodeDecodeError) -> CatalogError:
    """`name:line: not UTF-8 text (byte 0xe9 at column 6): save the file as UTF-8`."""
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    byte = data[exc.start : exc.start + 1].hex() or "??"
    return CatalogError(
        f"{name}:{line}: not UTF-8 text (byte 0x{byte} at column {column}): save the file as UTF-8"
    )


def utf8_text(name: str, data: bytes) -> str:
    """`data` decoded (a leading byte-order mark dropped), or `not_utf8`'s error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_utf8(name, data, exc) from None
