"""The forum's NATS as a federation of partner organisations.

Each organisation (the trust, the SUN Network, a charity …) has its own NATS account; which
organisation runs which service is configuration (`Topology`). Inside an account each service
connects as its own user, may publish only its own `forum.<owner>.>` subjects and use JetStream
only for its own streams. Events cross accounts only through exports the owner makes, generated
from the event catalogue (`Event.consumed_by`): each consumer sources exactly the event types it
consumes into a stream of its own (`<SERVICE>_INBOUND`), and the governors' account sources the
escalations into `ESCALATIONS`, with one durable consumer per governor.

- `topology`: who runs what, stream and subject names, what each user may do;
- `server_config`: the nats-server configuration (accounts, users, exports, imports);
- `keys`: nkeys (only public keys are in the server's configuration);
- `local`: the whole federation on one machine, for `forum up` and the tests.
"""
