"""The key other services check member passes with: membership vouches that a browser belongs to
a member (an Ed25519 signature over the member's id, the site it is for and a few minutes' life),
so no secret is shared between partners."""

from fastapi import APIRouter

from forum_shared.identity import member_passes
from forum_shared.web import KitDep
from membership.schemas import MemberPassKeyPublic

router = APIRouter(tags=["member passes"])


@router.get("/.well-known/member-pass-key", response_model=MemberPassKeyPublic)
async def member_pass_key(kit: KitDep) -> MemberPassKeyPublic:
    """Membership's public key for member passes, open to everyone."""
    return MemberPassKeyPublic(key=member_passes.public_key_text(kit.settings.secret_key.get_secret_value()))
