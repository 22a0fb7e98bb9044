"""Credentials in URLs and text: what may be shown or stored, and what must be replaced.

A base URL may carry a user and password (`http://user:pw@host/v1`) or a key in its query
(`?api-key=…`, as some gateways take it). None of that may leave the process: results name the
endpoint by host and port, messages show the URL without user info or query, and text that may
quote a secret back (a server's error body, a log record) has every known secret replaced.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, unquote, urlsplit


def has_space_or_control(text: str) -> bool:
    """Whether `text` holds whitespace or an unprintable character: neither belongs in a URL or
    an HTTP header value, and both come in with a careless paste."""
    return any(ch.isspace() or not ch.isprintable() for ch in text)


def base_url_problem(url: str) -> str | None:
    """Why `url` cannot be an endpoint's base URL, or None: it needs http(s) and a host, and no
    space or control character (a pasted `…/v1 ` was sent as the path `/v1 /chat/completions`;
    urlsplit itself quietly drops tabs and newlines)."""
    if has_space_or_control(url):
        return "contains a space, newline or control character"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is what raises on a bad one
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return "needs http:// or https:// (e.g. http://localhost:8000/v1)"
    if not parts.hostname:
        return "has no host (e.g. http://localhost:8000/v1)"
    return None


def url_secrets(url: str) -> list[str]:
    """The password and query values of a URL (`without_credentials` drops them and the user
    name; the name alone is not secret and too often an ordinary word to replace in text)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found = [parts.password, unquote(parts.password)] if parts.password else []
    found += [value for _, value in parse_qsl(parts.query)] + parts.query.split("&")
    return found


def redacted_url(url: str) -> str:
    """`url` for a message when it may not even parse: no user info, no query. A URL with a
    space or control character is cut by hand: urlsplit would drop the very characters the
    message is about."""
    if not has_space_or_control(url):
        try:
            return without_credentials(url)
        except ValueError:
            pass
    return re.sub(r"[?#].*\Z", "", re.sub(r"//[^/?#]*@", "//", url), flags=re.DOTALL)


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with each of `secrets` replaced by `***`, also where it is quoted escaped: a server
    body re-encoded as JSON, a Python or bytes repr in a library's message (`b'Bearer sk-…\\n'`)
    shows a key with a backslash, quote or newline in it differently from the key itself."""
    for secret in sorted({f for s in secrets for f in _forms(s)}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _forms(secret: str) -> set[str]:
    """`secret` as it appears raw, stripped, and escaped by JSON, repr and `unicode_escape`."""
    if not secret:
        return set()
    forms = {
        secret,
        secret.strip(),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        repr(secret.encode("utf-8", "backslashreplace"))[2:-1],
        secret.encode("unicode_escape").decode("ascii"),
    }
    return {form for form in forms if len(form) >= 3 or form == secret}


def host_port(host: str | None, port: int | None) -> str:
    if not host:
        return ""
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port else host


def without_credentials(url: str) -> str:
    """`url` without user, password, query or fragment: what may be shown or stored."""
    parts = urlsplit(url)
    return parts._replace(
        netloc=host_port(parts.hostname, parts.port), query="", fragment=""
    ).geturl()


__all__ = [
    "base_url_problem",
    "has_space_or_control",
    "host_port",
    "redacted_url",
    "scrub",
    "url_secrets",
    "without_credentials",
]
