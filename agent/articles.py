"""Reading articles from files and stdin, with one clear error for each way that can fail.

Bytes are decoded without newline translation, so offsets in a result index the file's text
exactly as it is (a `\\r\\n` stays two characters).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from agent.errors import InputError

ENCODING = "utf-8"
# Byte-order marks of the encodings people mistake for UTF-8 (UTF-32 first: it starts like 16).
BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode_article(data: bytes, source: str) -> str:
    """UTF-8 (a leading BOM is dropped), or an `InputError` saying where decoding failed.

    A UTF-16 or UTF-32 file (Windows "Unicode" text) is named as such by its byte-order mark,
    so the advice converts from what the file really is."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        for mark, encoding in BYTE_ORDER_MARKS:
            if data.startswith(mark):
                raise InputError(
                    f"{source} is {encoding}, not UTF-8 (it starts with the byte-order mark "
                    f"{mark.hex(' ')}); convert it first, e.g. iconv -f {encoding} -t UTF-8"
                ) from None
        raise InputError(
            f"{source} is not valid {ENCODING.upper()} (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); convert it to UTF-8 first, e.g. iconv -f WINDOWS-1256 -t UTF-8"
        ) from None


def read_article(path: str | Path, max_chars: int | None = None) -> str:
    """The text of an article file, or of stdin when `path` is "-".

    With `max_chars`, at most the bytes that many characters can take are read (UTF-8: 4 per
    character), so `/dev/zero`, an endless pipe or a 1 GB file is refused at once in one line
    instead of filling the memory first."""
    limit = None if max_chars is None else 4 * max_chars + 3  # + a BOM
    if str(path) == "-":
        try:
            data = _read_at_most(stdin_bytes(), limit)
        except OSError as exc:
            raise InputError(f"cannot read standard input: {exc.strerror or exc}") from None
        return decode_article(_within(data, limit, "standard input", max_chars), "standard input")
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = _read_at_most(handle, limit)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not an article file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    return decode_article(_within(data, limit, str(path), max_chars), str(path))


def _read_at_most(handle: BinaryIO, limit: int | None) -> bytes:
    return handle.read() if limit is None else handle.read(limit + 1)


def _within(data: bytes, limit: int | None, source: str, max_chars: int | None) -> bytes:
    if limit is not None and len(data) > limit:
        raise InputError(
            f"{source} is over the limit of {max_chars:,} characters (more than {limit:,} bytes "
            "read); raise it with --max-chars or KHABAR_MAX_CHARS"
        )
    return data


def stdin_bytes() -> BinaryIO:
    """Standard input as bytes, or an `InputError` when the process was started without one
    (`<&-`, some service managers): Python then has no `sys.stdin` at all."""
    stream = sys.stdin
    if stream is None or getattr(stream, "closed", False):
        raise InputError("standard input is closed: pipe the input in, or pass a file instead of -")
    buffer = getattr(stream, "buffer", None)
    return buffer if buffer is not None else stream  # type: ignore[return-value]


__all__ = ["BYTE_ORDER_MARKS", "decode_article", "read_article", "stdin_bytes"]
