"""Settings every service shares. Each service subclasses `ServiceSettings` with its own env prefix
(`FEEDBACK_DATABASE_URL`, `MEETINGS_NATS_URL` …); its `config.py` is the only reader of the environment.
"""

from pathlib import Path

from pydantic import Field, field_validator
from typing import Annotated

from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", env_nested_delimiter="__")

    environment: str = Field(default="development", description="development | production")
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = Field(default=None, description="Base URL people use to reach it.")
    database_url: str = Field(
        default="sqlite+aiosqlite:///var/service.db",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://…",
    )
    migrate_on_start: bool = Field(default=True, description="Apply migrations when starting.")
    database_pool_size: int = 20

    nats_url: Annotated[list[str], NoDecode] = Field(
        default=["nats://127.0.0.1:4222"], description="One URL or a comma-separated list."
    )
    nats_user: str | None = None
    nats_password: str | None = None
    nats_nkey_seed_file: Path | None = None
    nats_creds_file: Path | None = None
    nats_import_prefix: str = Field(
        default="",
        description="Prefix under which other organisations' events arrive, e.g. 'from.sun.' when "
        "each partner has its own NATS account and imports the others' subjects.",
    )
    nats_import_streams: dict[str, str] = Field(
        default_factory=dict,
        description="Stream to bind to for another owner's events, when it is not named after the "
        "owner (e.g. {'feedback': 'FEEDBACK_IMPORT'} in a multi-account deployment).",
    )
    stream_replicas: int = Field(default=1, description="Replicas of the owned stream (3 in a cluster).")
    stream_duplicate_window_seconds: int = Field(
        default=2 * 60 * 60,
        description="How long JetStream remembers Nats-Msg-Id to drop a republished event.",
    )

    max_deliver: int = Field(default=5, description="Attempts before a failing event is dead-lettered.")
    retry_backoff_seconds: float = Field(default=1.0, description="First retry delay; doubles each time.")
    ack_wait_seconds: float = 30.0
    outbox_poll_seconds: float = Field(default=2.0, description="Relay check interval besides commits.")

    log_format: str = Field(default="console", description="console | json")
    log_level: str = "INFO"

    @field_validator("nats_url", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
