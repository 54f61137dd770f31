"""Text people type: every string field of every schema that takes it uses one of these types.

Control characters (NUL, escape, the C1 block …) are invisible, break exports and terminals, and
are never needed in a name, an address or a view, so they are refused with a message a person can
act on. `Text` allows new lines and tabs (feedback, minutes, descriptions); `Line` is one line
(names, titles, areas). Both strip surrounding white space.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, Field

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


# The same rules written for the OpenAPI documents (JSON Schema patterns), so a client generated
# from them never sends what is refused. Validation itself is the functions above, whose messages
# a person can act on.
_CONTROL = r"\x00-\x1f\x7f-\x9f"
_CONTROL_BUT_LINES = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SPACE = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"  # white space that is not control


def _documented(refused: str, filled: bool = False) -> Any:
    pattern = f"^[^{refused}]*$" if not filled else f"^[^{refused}]*[^{refused}{_SPACE}][^{refused}]*$"

    def document(schema: dict[str, Any]) -> None:
        if filled or "pattern" not in schema:  # a field's own pattern (a postcode's, say) says more
            schema["pattern"] = pattern

    return Field(json_schema_extra=document)


Text = Annotated[str, AfterValidator(refuse_control_characters), PlainText("many"), _documented(_CONTROL_BUT_LINES)]
Line = Annotated[str, AfterValidator(one_line), PlainText("one"), _documented(_CONTROL)]
FilledText = Annotated[Text, _documented(_CONTROL_BUT_LINES, filled=True)]
"""Text that must say something: its schema refuses what is only white space, as the code does."""
FilledLine = Annotated[Line, _documented(_CONTROL, filled=True)]
"""A line that must say something (a name, a title)."""
