"""JSON routes of the signposting service (thin: validate → use case → response)."""

from signposting.api import community, directory, oruk, signposting, transfer

routers = [oruk.router, directory.router, community.router, signposting.router, transfer.router]
