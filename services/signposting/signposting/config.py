from pydantic import Field
from pydantic_settings import SettingsConfigDict

from forum_shared.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SIGNPOSTING_", extra="ignore")

    port: int = 8104
    database_url: str = "sqlite+aiosqlite:///var/signposting.db"
    max_request_bytes: int = Field(
        default=20_000_000,
        description="Larger request bodies are refused; big enough for a county's directory import.",
    )
