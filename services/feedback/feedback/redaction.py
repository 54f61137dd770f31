"""Words that identify someone, taken out of what the service keeps: an erased member's name,
email address and phone number wherever they were written, and the words staff choose to remove
from a piece of feedback. Pure: imports only the standard library and the kit's refusal."""

from __future__ import annotations

import re
from collections.abc import Iterable

from forum_shared.errors import RuleBroken

REMOVED = "[removed]"
_MARKER = re.escape(REMOVED)


def _phrase_pattern(phrase: str) -> str | None:
    """A phrase as it may be written: any case, any spacing between its words, never inside a
    longer word."""
    words = phrase.split()
    if not words or len("".join(words)) < 2:
        return None
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"


def _phone_pattern(phone: str) -> str | None:
    """A phone number however it is spaced or punctuated, and a UK number also as +44."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return None
    gap = r"[\s\-().]*"
    rest = gap.join(digits[1:]) if digits.startswith("0") else None
    written = gap.join(digits)
    if rest is None:
        return rf"(?<!\d){written}(?!\d)"
    return rf"(?<!\d)(?:{written}|\+?44{gap}(?:\(0\){gap})?{rest})(?!\d)"


def _remove(text: str, patterns: Iterable[str]) -> tuple[str, int]:
    """`text` with every match of `patterns` replaced by REMOVED (what is already removed stays
    as it is), and how many words were removed."""
    wanted = [p for p in patterns if p]
    if not wanted:
        return text, 0
    found = re.compile(rf"({_MARKER})|(?:{'|'.join(wanted)})", re.IGNORECASE)
    removed = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal removed
        if match.group(1):
            return match.group(1)
        removed += len(match.group(0).split())
        return REMOVED

    return found.sub(swap, text), removed


def mask_person(text: str, *, name: str | None, email: str | None, phone: str | None) -> tuple[str, int]:
    """`text` with a person's name, email address and phone number replaced by REMOVED wherever
    they appear, and how many words were removed (an erased member's words stay, not who they are)."""
    patterns = [
        _phrase_pattern(name) if name else None,
        _phrase_pattern(email) if email else None,
        _phone_pattern(phone) if phone else None,
    ]
    return _remove(text, [p for p in patterns if p])


def redact(text: str, phrases: Iterable[str]) -> tuple[str, int]:
    """`text` with the chosen words or phrases replaced by REMOVED wherever they appear, and how
    many words were removed. Refuses a redaction that would change nothing."""
    redacted, removed = _remove(text, [p for p in (_phrase_pattern(phrase) for phrase in phrases) if p])
    if not removed:
        raise RuleBroken("None of those words are in this feedback (or they are already removed): nothing changed.")
    return redacted, removed


def _without_markers(text: str) -> str:
    return re.sub(_MARKER, " ", text)


WORD = re.compile(r"[\w@+'’\-]+(?:[.][\w@+'’\-]+)*")


def words_of(text: str) -> list[str]:
    """The distinct words of `text` in the order they first appear (an email address or a
    hyphenated name is one word), for staff to choose which to remove."""
    return list(dict.fromkeys(WORD.findall(_without_markers(text))))
