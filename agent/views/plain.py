"""The one place that makes text safe for a terminal: every string khabar prints passes here.

File names, article text, model output and error messages are data, and data reaches a terminal
in two dangerous ways. As rich *markup*, `[/x]` crashes the line and `notes[draft].txt` loses its
brackets; so nothing khabar prints is parsed as markup (consoles are made with `markup=False`,
and data goes in as `Text`). As *control characters*, an article or a model answer holding
`ESC [2J` clears the screen, `ESC ]0;…` retitles the window, and a right-to-left override
reorders what follows; so C0 controls (except tab and newline), DEL and C1 controls are shown as
visible escapes (`\\x1b`), never emitted. Bidi embedding, override and isolate controls are shown
the same way in strings the model wrote and in messages; in the article itself they are part of
the text (the terminal's bidi support lays Arabic out with them) and are kept, like the HTML
report does not obey them but keeps them.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.text import Text

# C0 except tab and newline, DEL, C1: a terminal acts on these instead of showing them.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): they reorder text.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_CONTROLS}{_BIDI}]")
_UNSAFE_IN_ARTICLE = re.compile(f"[{_CONTROLS}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object) -> str:
    """`value` as a string a terminal shows as it is: every control shown as an escape."""
    text = str(value)
    return _UNSAFE.sub(_visible, text) if _UNSAFE.search(text) else text


def printable_article(text: str) -> tuple[str, list[int]]:
    """The article with its controls shown, and where each original offset lands in it.

    The map has `len(text) + 1` entries, so a span `[start, end)` of the original becomes
    `[moved[start], moved[end])`. Bidi controls stay: they belong to the article's layout. The
    CR of a CRLF line end is left out (the newline shows it); a lone CR is shown, since it
    would send the cursor back over the line.
    """
    if not _UNSAFE_IN_ARTICLE.search(text):
        return text, list(range(len(text) + 1))
    out: list[str] = []
    moved: list[int] = []
    position = 0
    for i, ch in enumerate(text):
        moved.append(position)
        if ch == "\r" and text[i + 1 : i + 2] == "\n":
            continue  # a Windows line end: the newline shows it; a lone CR could overwrite text
        shown = _UNSAFE_IN_ARTICLE.sub(_visible, ch)
        out.append(shown)
        position += len(shown)
    moved.append(position)
    return "".join(out), moved


# What JSON leaves raw but a terminal acts on: DEL, C1 controls, bidi controls (C0 is escaped).
_RAW_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI}]")


def printable_json(text: str) -> str:
    """JSON text with every character a terminal would act on written as a `\\u` escape.

    The same JSON value (an escape means the character itself), safe to print: `json.dumps`
    and pydantic escape C0 controls but leave DEL, C1 (an 8-bit CSI) and bidi overrides raw."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def plain(value: object, style: str = "") -> Text:
    """`value` as rich `Text`: never read as markup, controls shown."""
    return Text(printable(value), style=style)


def console(*, stderr: bool = False, **options: Any) -> Console:
    """A console that reads no markup and highlights nothing: what is printed is what is shown."""
    return Console(stderr=stderr, markup=False, highlight=False, **options)


__all__ = ["console", "plain", "printable", "printable_article", "printable_json"]
