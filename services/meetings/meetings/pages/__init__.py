"""Pages for people: the public see and join meetings; staff run meetings and pop-up forums."""

from meetings.pages import public, staff_meetings, staff_pop_ups

routers = [public.router, staff_meetings.router, staff_pop_ups.router]
