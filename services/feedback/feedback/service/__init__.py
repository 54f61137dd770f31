"""Use cases, one module per part of the job. Each change runs in the kit's unit of work, which
writes the change, its audit entry and its events in one transaction, so the JSON API and the pages
share one write path; reactions to other services' events run in the consumer's transaction."""

from typing import Literal

from forum_shared.identity.principal import Principal

Actor = Principal | Literal["anonymous", "system"]
"""Who causes a change: a signed-in person or a partner's program, a member of the public, or the
service itself."""
