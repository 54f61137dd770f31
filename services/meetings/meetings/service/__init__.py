"""Use cases of the meetings service, one module per part of the job.

A change someone causes takes the database and the actor (a Principal, or "anonymous"/"system")
and runs in the kit's unit of work, which writes the change, its audit entry and its events in one
transaction; the JSON API and the pages call the same use cases, so they never differ. A reaction
to another service's event takes the session of the inbox transaction it runs in. Use cases take
`now` where time matters, so tests can choose it."""
