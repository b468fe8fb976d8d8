"""Encoded payloads: base64 and hex blobs in the view that decode to readable text."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

_B64 = re.compile(r"(?<![A-Za-z0-9+/=_\-:.])[A-Za-z0-9+/_\-]{24,}={0,2}(?![A-Za-z0-9+/=_\-])")
_HEX = re.compile(r"(?<![0-9A-Fa-f])(?:0x)?(?:[0-9A-Fa-f]{2}[\s:]?){16,}(?![0-9A-Fa-f])")


def _decoded_text(raw: bytes) -> str | None:
    """The bytes as text if they read as text (so a random hash or key is not mistaken for a payload)."""
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(s) < 12:
        return None
    printable = sum(c.isprintable() or c in "\n\t" for c in s)
    letters = sum(c.isalpha() or c == " " for c in s)
    if printable / len(s) < 0.95 or letters / len(s) < 0.7 or " " not in s:
        return None
    return s


def payloads(view: str) -> Iterator[tuple[int, int, str]]:
    """Base64 / hex blobs in the view that decode to readable text: (start, end, decoded)."""
    for m in _B64.finditer(view):
        tok = m.group()
        if tok.isalpha() and (tok.islower() or tok.isupper()):
            continue  # a long plain word, not a blob
        if view[max(0, m.start() - 8) : m.start()].rstrip().endswith(("://", "/", "@")):
            continue  # part of a URL or address
        body = tok.rstrip("=")
        padded = body + "=" * (-len(body) % 4)
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                text = _decoded_text(decode(padded))
            except (binascii.Error, ValueError):
                continue
            if text:
                yield m.start(), m.end(), text
                break
    for m in _HEX.finditer(view):
        digits = re.sub(r"[^0-9A-Fa-f]", "", m.group().removeprefix("0x").removeprefix("0X"))
        if len(digits) % 2:
            digits = digits[:-1]
        try:
            text = _decoded_text(bytes.fromhex(digits))
        except ValueError:
            continue
        if text:
            yield m.start(), m.end(), text
