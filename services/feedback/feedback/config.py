"""Settings of the feedback service: the only reader of the environment (prefix `FEEDBACK_`)."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from feedback.domain import Rules
from forum_shared.config import ServiceSettings

DEFAULT_THEMES = [
    "access to services",
    "carers",
    "communication",
    "crisis care",
    "discharge and follow-up",
    "environment",
    "involvement",
    "medication",
    "staff attitude",
    "waiting times",
]


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FEEDBACK_", extra="ignore")

    port: int = 8103
    database_url: str = "sqlite+aiosqlite:///var/feedback.db"
    respond_within_working_days: int = Field(
        default=20,
        ge=1,
        description="Working days (England bank holidays skipped) governors have to respond.",
    )
    cluster_min_sources: int = Field(
        default=3,
        ge=2,
        description="Distinct sources raising one theme within the window that escalate it.",
    )
    cluster_window_days: int = Field(
        default=30, ge=1, description="How far back a theme cluster looks, in days."
    )
    escalate_at_criticality: int = Field(
        default=5,
        ge=1,
        le=5,
        description="Criticality (1–5, staff only) at or above which triage escalates automatically.",
    )
    overdue_check_seconds: float = Field(
        default=15 * 60, gt=0, description="How often overdue escalations are looked for."
    )
    default_themes: list[str] = Field(
        default_factory=lambda: list(DEFAULT_THEMES),
        description="The managed theme list a new database starts with.",
    )
    live_stream_seconds: float = Field(
        default=8, gt=0,
        description="How long one live update stream to a governor's browser lasts before it "
        "reconnects; also the longest a stopping server waits for one.",
    )
    live_heartbeat_seconds: float = Field(
        default=4, gt=0, description="How often a quiet live update stream says it is still there."
    )
    time_zone: str = Field(
        default="Europe/London", description="Where 'today' and months are reckoned for dates."
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use a name such as Europe/London") from exc
        return value

    def rules(self) -> Rules:
        return Rules(
            respond_within_working_days=self.respond_within_working_days,
            cluster_min_sources=self.cluster_min_sources,
            cluster_window_days=self.cluster_window_days,
            escalate_at_criticality=self.escalate_at_criticality,
            time_zone=self.time_zone,
        )
