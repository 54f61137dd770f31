from pydantic_settings import SettingsConfigDict

from forum_shared.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FEEDBACK_", extra="ignore")

    port: int = 8103
    database_url: str = "sqlite+aiosqlite:///var/feedback.db"
    respond_within_working_days: int = 20
