"""Reading articles from files and stdin, with one clear error for each way that can fail.

Bytes are decoded without newline translation, so offsets in a result index the file's text
exactly as it is (a `\\r\\n` stays two characters).
"""

from __future__ import annotations

import sys
from pathlib import Path

from agent.errors import InputError

ENCODING = "utf-8"


def decode_article(data: bytes, source: str) -> str:
    """UTF-8 (a leading BOM is dropped), or an `InputError` saying where decoding failed."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source} is not valid {ENCODING.upper()} (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); convert it to UTF-8 first, e.g. iconv -f WINDOWS-1256 -t UTF-8"
        ) from None


def read_article(path: str | Path) -> str:
    """The text of an article file, or of stdin when `path` is "-"."""
    if str(path) == "-":
        return decode_article(sys.stdin.buffer.read(), "standard input")
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not an article file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    return decode_article(data, str(path))


__all__ = ["decode_article", "read_article"]
