"""Text people type: every string field of every schema that takes it uses one of these types.

Control characters (NUL, escape, the C1 block …) are invisible, break exports and terminals, and
are never needed in a name, an address or a view, so they are refused with a message a person can
act on. `Text` allows new lines and tabs (feedback, minutes, descriptions); `Line` is one line
(names, titles, areas). Both strip surrounding white space.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator

ALLOWED_IN_TEXT = frozenset("\n\r\t")
REFUSAL = "Please remove the invisible control characters from this text (for example a null byte)."


class PlainText:
    """Marks a field as checked text, so a test can find any string field that is not."""

    def __init__(self, lines: str) -> None:
        self.lines = lines

    def __repr__(self) -> str:
        return f"PlainText({self.lines!r})"


def _control(character: str) -> bool:
    return unicodedata.category(character) == "Cc"


def refuse_control_characters(value: str) -> str:
    if any(_control(c) and c not in ALLOWED_IN_TEXT for c in value):
        raise ValueError(REFUSAL)
    return value.strip()


def one_line(value: str) -> str:
    if any(_control(c) for c in value):
        raise ValueError(
            "Please write this on one line, without invisible control characters."
            if any(c in ALLOWED_IN_TEXT for c in value)
            else REFUSAL
        )
    return value.strip()


Text = Annotated[str, AfterValidator(refuse_control_characters), PlainText("many")]
Line = Annotated[str, AfterValidator(one_line), PlainText("one")]
