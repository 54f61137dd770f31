"""What the JSON API returns about the community groups in the signposting directory."""

from pydantic import BaseModel, ConfigDict, Field


class CommunityGroupPublic(BaseModel):
    """A group the directory lists: staff and partners' programs may record its views."""

    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="The id to send as community_group_id.")
    name: str | None = Field(description="Its name in the directory.")
    areas: list[str] = Field(description="The areas it covers.")
