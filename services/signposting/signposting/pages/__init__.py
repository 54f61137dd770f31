"""Pages for people: the public "Find a local group", and staff pages that keep the directory."""

from signposting.pages import listings, needs, organizations, public, services, signposting, transfer

routers = [
    public.router,
    organizations.router,
    services.router,
    needs.router,
    listings.router,
    signposting.router,
    transfer.router,
]
