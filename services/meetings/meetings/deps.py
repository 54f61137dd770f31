"""Dependencies the routes and pages share beyond the kit's (`forum_shared.web.DbDep`): this
service's own settings, for the forum's areas and the calendar's name."""

from typing import Annotated

from fastapi import Depends, Request

from meetings.config import Settings


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.kit.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
