"""Web pages of the feedback service: the public's, staff's and governors'. They call the same use
cases as the JSON API, never tables or SQL."""

from feedback.pages import governors, public, staff_escalations, staff_feedback, staff_reports

routers = [public.router, staff_feedback.router, staff_escalations.router, staff_reports.router, governors.router]
