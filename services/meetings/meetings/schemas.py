"""What the JSON API accepts and returns."""

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, HttpUrl, model_validator


class MeetingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(default="Partnership Forum", min_length=1, max_length=200)
    starts_at: AwareDatetime = Field(description="Start, with its UTC offset (e.g. 2026-12-03T14:00:00+00:00).")
    ends_at: AwareDatetime = Field(description="End, with its UTC offset.")
    venue: str | None = Field(default=None, max_length=300, description="Venue name and address.")
    area: str | None = Field(default=None, max_length=100, description="Area of the county.")
    online_url: HttpUrl | None = Field(default=None, description="Link to join online.")
    public: bool = True

    @model_validator(mode="after")
    def _check(self) -> "MeetingCreate":
        if self.ends_at <= self.starts_at:
            raise ValueError("The meeting must end after it starts.")
        if not self.venue and not self.online_url:
            raise ValueError("Give a venue, an online link, or both.")
        return self


class AgendaItemPublic(BaseModel):
    id: str
    title: str
    kind: str = Field(description="item, or escalation for an issue escalated to governors.")
    escalation_id: str | None
    presenter: str | None
    duration_minutes: int | None


class MeetingPublic(BaseModel):
    id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str | None
    area: str | None
    online_url: str | None
    public: bool
    status: str
    agenda: list[AgendaItemPublic] = []
