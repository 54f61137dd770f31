"""JSON routes, one module per part of the job: validate → use case → response model."""

from feedback.api import directory, escalations, feedback, public, reports, themes

routers = [feedback.router, themes.router, escalations.router, public.router, reports.router, directory.router]
