"""JSON routes of the meetings service (thin: validate → use case → response model), and calendars."""

from meetings.api import agenda, areas, calendars, meetings, pop_ups, registrations

# The calendar routes come first: `/meetings/{id}.ics` must not be taken for a meeting id.
routers = [calendars.router, meetings.router, agenda.router, registrations.router, areas.router, pop_ups.router]
