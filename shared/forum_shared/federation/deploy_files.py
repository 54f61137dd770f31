"""The nats-server configurations in `deploy/nats/`, made here so they say exactly what the tests
run (`forum nats deploy-files` writes them; a test checks they are up to date).

Everything that differs between sites (addresses, paths, secrets) comes from the environment, so
the files themselves hold no secret and no site's details.
"""

from __future__ import annotations

from forum_shared.federation.server_config import Cluster, Env, Raw, Server, Tls, render

HUB_NEEDS = """Needs, in the environment:
  NATS_SERVER_NAME       a name for this server, e.g. forum-hub
  NATS_LISTEN            where clients connect, e.g. 0.0.0.0:4222 (TLS: clients use tls://)
  NATS_LEAFNODES_LISTEN  where partners' leaf nodes connect, e.g. 0.0.0.0:7422 (TLS)
  NATS_MONITOR_LISTEN    monitoring, which answers anyone who reaches it: keep it on 127.0.0.1:8222
  NATS_STORE_DIR         JetStream's folder, e.g. /data/jetstream
  NATS_TLS_CERT, NATS_TLS_KEY, NATS_TLS_CA   the server's certificate, its key, and the CA
and accounts.conf beside this file (`forum nats accounts`)."""

CLUSTER_NEEDS = HUB_NEEDS + """
For the cluster, also:
  NATS_CLUSTER_LISTEN    where the other nodes connect, e.g. 0.0.0.0:6222 (TLS, and a password)
  NATS_ROUTE_PASSWORD    the routes' shared password (a long random value)
  NATS_ROUTES            the three nodes, e.g. ["nats-route://route:<password>@n1:6222", …]"""

LEAF_NEEDS = """A partner organisation's own nats-server, joined to the forum's hub as a leaf node.
Its services connect here (with NATS_JETSTREAM_DOMAIN=forum); the hub keeps the streams.
Needs, in the environment:
  NATS_SERVER_NAME       e.g. charity-leaf
  NATS_LISTEN            where this organisation's services connect, e.g. 127.0.0.1:4222
  NATS_HUB_LEAF_URL      the hub's leaf node address, e.g. tls://nats.example.org:7422
  NATS_LEAF_SEED         this organisation's leaf key (seed), from `forum nats key --name leaf-CHARITY`
  NATS_ORGANISATION      its account on the hub, e.g. CHARITY
  NATS_TLS_CA            the CA that signed the hub's certificate
and leaf-accounts.conf beside this file (`forum nats leaf --organisation CHARITY`)."""


def _tls(verify: bool = False) -> Tls:
    return Tls(cert_file=Env("NATS_TLS_CERT"), key_file=Env("NATS_TLS_KEY"), ca_file=Env("NATS_TLS_CA"), verify=verify)


def _hub(cluster: Cluster | None = None) -> Server:
    return Server(
        listen=Env("NATS_LISTEN"),
        store_dir=Env("NATS_STORE_DIR"),
        server_name=Env("NATS_SERVER_NAME"),
        monitor=Env("NATS_MONITOR_LISTEN"),
        client_tls=_tls(),
        leafnodes=Env("NATS_LEAFNODES_LISTEN"),
        leafnode_tls=_tls(),
        cluster=cluster,
    )


def hub_conf() -> str:
    return render([_hub().block(), Raw('include "accounts.conf"')],
                  header="The forum's NATS hub, one node. Made by `forum nats deploy-files`.\n" + HUB_NEEDS)


def cluster_conf() -> str:
    cluster = Cluster(
        name="forum",
        listen=Env("NATS_CLUSTER_LISTEN"),
        routes=Env("NATS_ROUTES"),
        user="route",
        password=Env("NATS_ROUTE_PASSWORD"),
        tls=_tls(verify=True),
    )
    return render(
        [_hub(cluster).block(), Raw('include "accounts.conf"')],
        header="One node of the forum's three-node NATS cluster (the same file on each node; streams "
        "use 3 replicas: <SERVICE>_STREAM_REPLICAS=3). Made by `forum nats deploy-files`.\n" + CLUSTER_NEEDS,
    )


def leaf_conf() -> str:
    block = {
        "server_name": Env("NATS_SERVER_NAME"),
        "listen": Env("NATS_LISTEN"),
        "leafnodes": {
            "remotes": [{
                "url": Env("NATS_HUB_LEAF_URL"),
                "nkey": Env("NATS_LEAF_SEED"),
                "account": Env("NATS_ORGANISATION"),
                "tls": {"ca_file": Env("NATS_TLS_CA")},
            }],
        },
    }
    return render([block, Raw('include "leaf-accounts.conf"')], header=LEAF_NEEDS)


def deploy_files() -> dict[str, str]:
    """Path under `deploy/nats/` → its text."""
    return {"hub.conf": hub_conf(), "cluster.conf": cluster_conf(), "leaf.conf": leaf_conf()}
