"""Settings of the meetings service, the only reader of the environment (prefix `MEETINGS_`)."""

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from forum_shared.areas import DISTRICTS
from forum_shared.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MEETINGS_", extra="ignore")

    port: int = 8102
    database_url: str = "sqlite+aiosqlite:///var/meetings.db"
    areas: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DISTRICTS),
        description="Areas of the county the forum meeting moves around (comma-separated); by default the "
        "county's districts, as every service names them.",
    )
    reminder_check_seconds: float = Field(
        default=300.0, description="How often to look for meetings starting within a day."
    )
    registration_details_kept_days: int = Field(
        default=30,
        ge=0,
        description="Days after a meeting ends that the names, contact details and notes of the people "
        "who registered are kept; then they are cleared.",
    )
    retention_check_seconds: float = Field(
        default=3600.0, description="How often to clear registration details kept long enough."
    )
    calendar_name: str = Field(default="Partnership Forum meetings", description="Name of the iCalendar feed.")

    @field_validator("areas", mode="before")
    @classmethod
    def _split_areas(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list):
            cleaned = [str(part).strip() for part in value if str(part).strip()]
            if not cleaned:
                raise ValueError("give at least one area")
            return cleaned
        return value
