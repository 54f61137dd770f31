"""Pages for people: the public see and join meetings; staff run meetings and pop-up forums. Each
page calls the same use cases as the JSON API."""

from meetings.pages import (
    manage,
    members,
    public,
    staff_agenda,
    staff_holding,
    staff_meetings,
    staff_pop_ups,
    staff_registrations,
)

routers = [
    public.router,
    members.router,
    manage.router,
    staff_meetings.router,
    staff_registrations.router,
    staff_agenda.router,
    staff_holding.router,
    staff_pop_ups.router,
]
