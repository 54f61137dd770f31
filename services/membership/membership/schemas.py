"""What the JSON API accepts and returns."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator


class MemberCreate(BaseModel):
    """Only a name is needed to join; everything else is the person's choice."""

    model_config = ConfigDict(extra="forbid")

    display_name: str = Field(max_length=200, description="Your name, or the name you would like to use.")
    email: EmailStr | None = Field(default=None, description="To hear about meetings, if you wish.")
    phone: str | None = Field(default=None, max_length=50)
    area: str | None = Field(default=None, max_length=100, description="Your district or postcode area.")
    connections: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="How you describe your connection, in your words (none is fine).",
    )

    @field_validator("display_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("Please tell us a name (any name you are happy to use).")
        return value


class MemberPublic(BaseModel):
    id: str
    display_name: str
    email: str | None
    phone: str | None
    area: str | None
    connections: list[str]
    status: str
    joined_at: datetime
