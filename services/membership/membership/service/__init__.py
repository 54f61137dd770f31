"""Membership's use cases, one module per part of the job. A change someone causes takes the
database and the actor and runs in the kit's unit of work (the change, its audit entry and its
events in one transaction), so the JSON API and the pages share one write path; a reaction to an
event runs in the transaction of the event's inbox entry."""
