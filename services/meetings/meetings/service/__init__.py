"""Use cases of the meetings service, one module per part of the job; each use case runs inside
the caller's transaction and takes "now" when time matters, so tests can choose it."""
