"""Settings every service shares. Each service subclasses `ServiceSettings` with its own env prefix
(`FEEDBACK_DATABASE_URL`, `MEETINGS_NATS_URL` …); its `config.py` is the only reader of the environment.
"""

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Known to everyone, so refused outside development (see `check_secrets`).
DEVELOPMENT_SECRET_KEY = "development-only-not-a-secret"

# Scripts, styles and images from this service only; no inline script, no framing, forms post here.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", env_nested_delimiter="__")

    environment: str = Field(default="development", description="development | production")
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = Field(default=None, description="Base URL people use to reach it.")
    forum_sites: dict[str, str] = Field(
        default_factory=dict,
        description="Where people reach the forum's other services, e.g. "
        '{"membership": "https://join.example.org"}: linked from every page\'s footer.',
    )
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
    nats_accounts: dict[str, str] = Field(
        default_factory=dict,
        description="Which NATS account (organisation) runs each service, e.g. "
        '{"membership": "TRUST", "meetings": "TRUST", "feedback": "SUN", "signposting": "CHARITY"}: '
        "events of a service in another account are sourced through that owner's exports. "
        "Empty when every service shares one account.",
    )
    nats_jetstream_domain: str | None = Field(
        default=None,
        description="The hub's JetStream domain (e.g. 'forum'), when this service connects to its "
        "organisation's own nats-server, a leaf node of the hub.",
    )
    nats_tls_ca_file: Path | None = Field(
        default=None, description="CA certificate that signed the NATS server's certificate (tls:// URLs)."
    )
    nats_tls_cert_file: Path | None = Field(default=None, description="Client certificate, if NATS asks for one.")
    nats_tls_key_file: Path | None = Field(default=None, description="Key of the client certificate.")
    stream_replicas: int = Field(default=1, description="Replicas of the owned stream (3 in a cluster).")
    stream_duplicate_window_seconds: int = Field(
        default=2 * 60 * 60,
        description="How long JetStream remembers Nats-Msg-Id to drop a republished event "
        "(after that, consumers' inboxes still skip it).",
    )
    stream_max_age_days: float = Field(
        default=7 * 365,
        gt=0,
        description="How long the streams keep events. Seven years: a partner's database rebuilt from "
        "the streams gets back every record it keeps (involvement and payments are kept six years "
        "after the financial year), and events carry ids, not personal details.",
    )
    stream_max_bytes: int = Field(
        default=-1,
        description="Largest size of each stream on disk (-1: limited by age only). When set, the "
        "oldest events are dropped first: watch stream size and alert well before it.",
    )

    max_deliver: int = Field(default=5, description="Attempts before a failing event is dead-lettered.")
    retry_backoff_seconds: float = Field(default=1.0, description="First retry delay; doubles each time.")
    ack_wait_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How long NATS waits for an event's acknowledgement before delivering it again, as after a "
        "consumer crashed mid-event. A handler still working says so every third of this time, so a slow one "
        "is never delivered twice.",
    )
    consumer_batch_size: int = Field(
        default=100,
        ge=1,
        description="Events a consumer fetches at a time, handled in one transaction (one at a time if any of them "
        "fails). Larger catches up faster; on SQLite the batch holds the one writer while it runs.",
    )
    consumer_catch_up_batch_size: int = Field(
        default=300,
        ge=1,
        description="Events a consumer takes at a time while at least this many wait, as when it catches up after "
        "an outage or is new: fewer, larger transactions catch up faster.",
    )
    outbox_poll_seconds: float = Field(default=2.0, description="Relay check interval besides commits.")

    log_format: str = Field(
        default="console",
        description="console | json. Unless set, json outside development (one JSON object a line, "
        "for a log collector) and console in development.",
    )
    log_level: str = "INFO"

    # Web pages, sign-in and security (forum_shared.ui).
    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET_KEY),
        description="Signs CSRF tokens and notices. Outside development it must be set to a long random "
        "value, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`.",
    )
    session_lifetime_minutes: int = Field(
        default=8 * 60, ge=1, description="A sign-in lasts at most this long, however busy."
    )
    session_idle_minutes: int = Field(
        default=60, ge=1, description="A sign-in ends after this long without a request."
    )
    sign_in_max_failures: int = Field(
        default=5, ge=1, description="Wrong passwords in a row for one email before it is locked."
    )
    sign_in_lockout_minutes: int = Field(default=15, ge=1, description="How long a lock-out lasts.")
    sign_in_rate_limit: int = Field(
        default=10, ge=1, description="Sign-in attempts from one address per sign_in_rate_window_seconds."
    )
    sign_in_rate_window_seconds: int = Field(default=60, ge=1)
    public_form_rate_limit: int = Field(
        default=30,
        ge=1,
        description="Public form posts from one address (when not signed in) per public_form_rate_window_seconds.",
    )
    public_form_rate_window_seconds: int = Field(default=10 * 60, ge=1)
    trusted_proxies: str = Field(
        default="",
        description="Addresses of the reverse proxies in front of this service (comma-separated, e.g. "
        "'10.0.0.5' or '*'), whose X-Forwarded-For names the client. Empty: the client is the socket's "
        "peer, and a forwarded address is ignored (so rate limits cannot be dodged with a header).",
    )
    max_request_bytes: int = Field(
        default=1_000_000, ge=1024, description="Larger request bodies are refused with 413."
    )
    content_security_policy: str = Field(
        default=DEFAULT_CSP, description="Content-Security-Policy of every page (API docs excepted)."
    )

    # Email to this service's own people (forum_shared.mail).
    mail_url: SecretStr | None = Field(
        default=None,
        description="Where email is sent: smtp://[user:password@]host[:port] (STARTTLS when the server offers "
        "it; ?starttls=required to insist), or smtps://… (TLS from the start, port 465). Not set: messages wait in "
        "the email outbox until it is.",
    )
    mail_from: str = Field(
        default="Partnership Forum <forum@localhost>",
        description="The From of every email, e.g. 'Partnership Forum <forum@trust.nhs.uk>'; its domain ends "
        "each Message-ID.",
    )
    mail_reply_to: str | None = Field(default=None, description="Where replies go, if not to mail_from.")
    mail_folder: Path | None = Field(
        default=None,
        description="Development only: the folder where the local mail catcher keeps every message as a .eml "
        "file; the service's /dev/mail page lists and shows them.",
    )
    mail_retry_seconds: float = Field(default=30.0, gt=0, description="First retry delay; doubles, up to an hour.")
    mail_max_attempts: int = Field(
        default=40, ge=1, description="Attempts before a message is given up (forty: more than a day of retries)."
    )
    mail_poll_seconds: float = Field(default=5.0, gt=0, description="Mail sender check interval besides commits.")

    @field_validator("nats_url", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _log_format_for_environment(self) -> "ServiceSettings":
        # Set on the instance without marking it as given, so the choice stays the environment's.
        if "log_format" not in self.model_fields_set:
            object.__setattr__(self, "log_format", "console" if self.is_development else "json")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def env_prefix(self) -> str:
        return self.model_config.get("env_prefix", "")

    def check_nats_files(self) -> None:
        """Refuse to start with a NATS credentials or certificate file that is not there."""
        for name in ("nats_creds_file", "nats_nkey_seed_file", "nats_tls_ca_file", "nats_tls_cert_file",
                     "nats_tls_key_file"):
            path = getattr(self, name)
            if path is not None and not Path(path).is_file():
                raise ValueError(f"{self.env_prefix}{name.upper()} is {path}, which is not a readable file")
        if bool(self.nats_tls_cert_file) != bool(self.nats_tls_key_file):
            raise ValueError(
                f"set both {self.env_prefix}NATS_TLS_CERT_FILE and {self.env_prefix}NATS_TLS_KEY_FILE, or neither"
            )

    def nats_credentials_setting(self) -> str:
        """Which setting holds the credentials this service connects with, to name it in errors."""
        for name in ("nats_creds_file", "nats_nkey_seed_file", "nats_user"):
            if getattr(self, name):
                return f"{self.env_prefix}{name.upper()}"
        return f"{self.env_prefix}NATS_NKEY_SEED_FILE (not set: connecting without credentials)"

    def check_secrets(self) -> None:
        """Refuse to serve outside development with the published default or a short secret key.

        Checked when a service starts rather than when settings are read, so tools that only read
        settings (migrations, deployment checks) still work without the secret.
        """
        if self.is_development:
            return
        key = self.secret_key.get_secret_value()
        if key == DEVELOPMENT_SECRET_KEY or len(key) < 32:
            prefix = self.env_prefix
            raise ValueError(
                f"{prefix}SECRET_KEY must be set to a random value of at least 32 characters when "
                f"{prefix}ENVIRONMENT is {self.environment!r}; make one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
