"""Web pages of the feedback service: the public's, staff's and governors'."""

from feedback.pages import governors, public, staff

routers = [public.router, staff.router, governors.router]
