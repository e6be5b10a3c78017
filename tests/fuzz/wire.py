"""Fuzzer bytes read as the pieces of a request an ASGI server hands over.

The formats are plain text, so that seeds and findings read like requests:

* a request line, ``METHOD /path`` (no space: the whole input is a GET path);
* a header block, one ``name: value`` per line, names lower-cased as ASGI
  servers deliver them, values stripped of surrounding blanks as HTTP says;
* a request head, ``/path?query`` then a header block;
* ``expand``: ``(text)*N`` written for N copies of ``text``, so that a short
  input can describe a very deep template or a very long path.

Paths decode as UTF-8 with undecodable bytes kept as lone surrogates
(``surrogateescape``), so every byte string is some ``str`` and no input is
wasted; query strings, header names and values stay bytes, as in the scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REPEAT = re.compile(rb"\(([^()]*)\)\*([0-9]{1,6})")
# Bytes an input may expand to: past every length limit of the params core (4,000
# digits) and Python's (4,300); templates ask for more, to reach deep trees.
MAX_EXPANDED = 1 << 14


def text_path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def request_line(data: bytes) -> tuple[str, str]:
    """``(method, path)`` of ``METHOD /path``."""
    method, space, path = data.partition(b" ")
    if not space:
        return "GET", text_path(data)
    return method.decode("latin-1"), text_path(path)


def header_list(block: bytes, normalize: bool = True) -> list[tuple[bytes, bytes]]:
    """An ASGI ``headers`` list from ``name: value`` lines; a line without ``:`` is skipped.

    ``normalize=False`` keeps names and values exactly as written, for a
    server (or a middleware) that hands them over unchanged.
    """
    headers = []
    for line in block.split(b"\n"):
        name, colon, value = line.removesuffix(b"\r").partition(b":")
        if colon:
            if normalize:
                name, value = name.strip().lower(), value.strip(b" \t")
            headers.append((name, value))
    return headers


@dataclass(frozen=True)
class RequestHead:
    path: str
    query_string: bytes
    headers: list[tuple[bytes, bytes]]


def request_head(data: bytes) -> RequestHead:
    """``/path?query`` on the first line, headers on the next ones."""
    first, _, block = data.partition(b"\n")
    target = first.removesuffix(b"\r")
    path, _, query_string = target.partition(b"?")
    return RequestHead(text_path(path), query_string, header_list(block))


def expand(line: bytes, limit: int = MAX_EXPANDED) -> bytes:
    """``line`` with each ``(text)*N`` replaced by ``text`` N times, up to ``limit`` bytes."""
    budget = [limit - len(line)]

    def repeat(found: re.Match[bytes]) -> bytes:
        text, count = found.group(1), int(found.group(2))
        count = min(count, budget[0] // max(len(text), 1))
        budget[0] -= len(text) * count
        return text * count

    return _REPEAT.sub(repeat, line)
