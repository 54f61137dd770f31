"""Dependencies the routes share."""

from typing import Annotated

from fastapi import Depends, Request

from meetings.config import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.kit.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
