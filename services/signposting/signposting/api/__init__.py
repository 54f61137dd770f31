"""JSON routes of the signposting service (thin: validate → use case → response)."""

from signposting.api import community_groups, directory, oruk, signposting, transfer

routers = [oruk.router, directory.router, community_groups.router, signposting.router, transfer.router]
