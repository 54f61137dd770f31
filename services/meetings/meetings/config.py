from pydantic_settings import SettingsConfigDict

from forum_shared.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MEETINGS_", extra="ignore")

    port: int = 8102
    database_url: str = "sqlite+aiosqlite:///var/meetings.db"
