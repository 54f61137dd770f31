"""What the schemas share: response models read from typed records, and tidying what people type
(the rules are the domain's; pydantic reports them beside the field)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from forum_shared.errors import RuleBroken
from membership import domain

_PHONE = re.compile(r"^\+?[\d\s()\-.]+$")


class Public(BaseModel):
    """A response model, built from a record's attributes (`Model.model_validate(record)`)."""

    model_config = ConfigDict(from_attributes=True)


def clean_name(value: str) -> str:
    value = domain.tidy(value)
    if not value:
        raise ValueError("Please tell us a name (any name you are happy to use).")
    return value


def clean_phone(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = domain.tidy(value)
    if not _PHONE.match(value) or sum(c.isdigit() for c in value) < 6:
        raise ValueError("Please give a phone number using digits, for example 01733 123456.")
    return value


def clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def own_words(labels: list[str], suggestions: tuple[str, ...]) -> list[str]:
    """A person's own descriptions, tidied by the domain's rule; a refusal is a field error."""
    try:
        return domain.tidy_labels(labels, suggestions)
    except RuleBroken as exc:
        raise ValueError(exc.message) from exc
