"""What members send to sign in by email, and the key other services check member passes with."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from forum_shared.text import Line
from membership import domain


class SignInLinkRequest(BaseModel):
    """The form on /members/sign-in: the address a link is sent to, if it is a member's."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(title="your email address", max_length=320)
    next: Line | None = Field(
        default=None, max_length=domain.MAX_NEXT_LENGTH, description="Where to go after signing in."
    )


class MemberPassKeyPublic(BaseModel):
    key: str = Field(
        description="Membership's Ed25519 public key (raw, base64url), to check the member passes it "
        "issues (forum_shared.identity.member_passes.verify)."
    )
