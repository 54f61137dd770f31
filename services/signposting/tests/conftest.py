"""Fixtures of the signposting tests: the use cases on a fresh SQLite database (the fast tier), the
running service, the official schemas, and a small directory."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from forum_shared.audit import list_audit
from forum_shared.events.base import Envelope
from forum_shared.identity.principal import Principal
from forum_shared.tables import outbox
from forum_shared.testing import run_service, settings_for
from signposting.app import MIGRATIONS, create_app
from signposting.config import Settings
from signposting.schemas.hsds import LocationCreate, OrganizationCreate, TaxonomyCreate, TaxonomyTermCreate
from signposting.schemas.services import ServiceCreate
from signposting.service import locations, needs, organizations, services
from signposting.service.editor import Editor

STANDARDS = Path(__file__).parent / "standards"
PAGE_FIELDS = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"]

formats = FormatChecker()


@formats.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    # HSDS asks for RFC 3339 times such as 2026-11-27T09:30:00.123Z: a zone is required.
    return not isinstance(value, str) or (datetime.fromisoformat(value).tzinfo is not None and "T" in value)


@formats.checks("uri", raises=ValueError)
def _uri(value: object) -> bool:
    return not isinstance(value, str) or bool(urlparse(value).scheme)


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


class Schemas:
    """Validators for the Open Referral UK compiled schemas and the HSDS 3.0 object schemas."""

    def __init__(self) -> None:
        oruk = STANDARDS / "oruk-profile"
        self.page_schema = _load(oruk / "openapi.json")["components"]["schemas"]["Page"]
        self.oruk = {
            p.stem: _load(p)
            for p in [*(oruk / "compiled").glob("*.json"), oruk / "taxonomy.json", oruk / "taxonomy_term.json"]
        }
        self.hsds_registry = Registry().with_resources(
            (p.name, Resource.from_contents(_load(p), default_specification=DRAFT202012))
            for p in (STANDARDS / "hsds-3.0").glob("*.json")
        )

    def validator(self, schema: dict) -> Draft202012Validator:
        return Draft202012Validator(schema, registry=self.hsds_registry, format_checker=formats)

    def check(self, schema: dict, instance: object) -> None:
        errors = sorted(self.validator(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])

    def check_oruk(self, name: str, instance: object) -> None:
        """Against the Open Referral UK schema `name` (e.g. compiled `service`)."""
        self.check(self.oruk[name], instance)

    def check_hsds(self, name: str, instance: object) -> None:
        """Against the HSDS 3.0 schema file `name` (e.g. `service.json`), its $refs resolved."""
        self.check({"$ref": name}, instance)

    def check_required_text(self, schema: dict, instance: object, where: str = "") -> None:
        """Every string the schema requires, at any depth, is there and not blank (the official
        schemas require the fields but set no `minLength`)."""
        if isinstance(instance, list):
            for n, item in enumerate(instance):
                self.check_required_text(schema.get("items", {}), item, f"{where}/{n}")
            return
        if not isinstance(instance, dict):
            return
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if properties.get(name, {}).get("type") == "string":
                assert str(instance.get(name) or "").strip(), f"{where}/{name} is required but empty: {instance}"
        for name, value in instance.items():
            if name in properties:
                self.check_required_text(properties[name], value, f"{where}/{name}")

    def check_page(self, item_schema: dict, instance: object) -> None:
        """The standard page envelope, every field present, each item valid."""
        self.check(
            {
                "allOf": [self.page_schema],
                "type": "object",
                "required": PAGE_FIELDS,
                "properties": {"contents": {"type": "array", "items": item_schema}},
            },
            instance,
        )


@pytest.fixture(scope="session")
def schemas() -> Schemas:
    return Schemas()


@pytest.fixture
def settings(nats_server, database_url):
    async def make(name: str = "signposting") -> Settings:
        return settings_for(Settings, database_url=await database_url(name), **nats_server.settings("signposting"))

    return make


@pytest.fixture
async def signposting(settings):
    async with run_service(create_app, await settings()) as running:
        yield running


# -- a small directory of Cambridgeshire and Peterborough services --------------------------
async def _post(client, path: str, body: dict) -> dict:
    resp = await client.post(path, json=body, headers={"X-Changed-By": "Sam at the trust"})
    assert resp.status_code == 201, resp.text
    return resp.json()


async def seed_directory(client) -> dict:
    """Five services in four places, with needs, days, languages and access."""
    ids: dict = {}
    taxonomy = await _post(
        client, "/taxonomies", {"name": "Partnership Forum needs", "description": "What people need help with."}
    )
    ids["taxonomy"] = taxonomy["id"]
    for name, parent in (("Mental health", None), ("Anxiety", "Mental health"), ("Carers", None), ("Loneliness", None)):
        body = {"name": name, "description": f"Help with {name.lower()}.", "taxonomy_id": taxonomy["id"]}
        if parent:
            body["parent_id"] = ids[parent]
        ids[name] = (await _post(client, "/taxonomy_terms", body))["id"]
    org = await _post(
        client,
        "/organizations",
        {
            "name": "Fenland Wellbeing Network",
            "description": "Peer support across Fenland.",
            "email": "hello@fenland-wellbeing.example",
            "website": "https://fenland-wellbeing.example",
        },
    )
    carers = await _post(
        client,
        "/organizations",
        {"name": "Peterborough Carers Trust", "description": "For people who look after someone."},
    )
    ids["org"], ids["carers_org"] = org["id"], carers["id"]

    async def location(
        name: str, postcode: str, city: str, lat: float | None, lon: float | None, access: str | None = None
    ) -> str:
        body = {
            "name": name,
            "location_type": "physical",
            "addresses": [
                {
                    "address_1": f"1 {name} Street",
                    "city": city,
                    "state_province": "Cambridgeshire",
                    "postal_code": postcode,
                    "country": "GB",
                    "address_type": "physical",
                }
            ],
        }
        if lat is not None:
            body |= {"latitude": lat, "longitude": lon}
        if access:
            body["accessibility"] = [{"description": access}]
        return (await _post(client, "/locations", body))["id"]

    wisbech = await location(
        "Wisbech Library", "PE13 1EU", "Wisbech", 52.6661, 0.1594, "Step-free, wheelchair accessible, hearing loop"
    )
    march = await location("March Community Centre", "PE15 8AN", "March", None, None)
    peterborough = await location(
        "Peterborough Central Library", "PE1 1RX", "Peterborough", 52.5740, -0.2430, "Lift to all floors"
    )
    cambridge = await location("Chesterton Hall", "CB4 1NP", "Cambridge", 52.2180, 0.1370)

    def service(name: str, org_id: str, terms: list[str], areas: list[str], day: str, loc: str | None, **extra) -> dict:
        body = {
            "name": name,
            "organization_id": org_id,
            "description": f"{name}: come along.",
            "status": "active",
            "taxonomy_term_ids": [ids[t] for t in terms],
            "service_areas": [{"name": a} for a in areas],
            "schedules": [
                {"freq": "WEEKLY", "byday": day, "opens_at": "10:00", "closes_at": "12:00", "description": "Weekly"}
            ],
            "contacts": [{"name": "Duty worker", "title": "Coordinator", "phones": [{"number": "01945 000000"}]}],
            "cost_options": [{"option": "Free", "amount": 0, "currency": "GBP"}],
            **extra,
        }
        if loc:
            body["service_at_locations"] = [{"location_id": loc}]
        return body

    for key, body in {
        "wisbech": service(
            "Wisbech Wellbeing Cafe",
            org["id"],
            ["Mental health", "Loneliness"],
            ["Fenland"],
            "MO",
            wisbech,
            languages=[{"name": "English", "code": "en"}, {"name": "Polish", "code": "pl"}],
        ),
        "march": service("March Carers Group", carers["id"], ["Carers"], ["PE15"], "TH", march),
        "peterborough": service(
            "Peterborough Anxiety Support",
            carers["id"],
            ["Anxiety"],
            ["Peterborough"],
            "WE",
            peterborough,
            languages=[{"name": "Lithuanian", "code": "lt"}],
        ),
        "cambridge": service(
            "Cambridge Hearing Voices Group", org["id"], ["Mental health"], ["Cambridge"], "TU", cambridge
        ),
        "helpline": service(
            "Countywide Listening Line",
            org["id"],
            ["Mental health", "Loneliness"],
            ["Cambridgeshire and Peterborough"],
            "MO,TU,WE,TH,FR,SA,SU",
            None,
        ),
    }.items():
        ids[key] = (await _post(client, "/services", body))["id"]
    return ids


@pytest.fixture
def seed():
    return seed_directory


# -- the use cases on a fresh database (the fast tier) ---------------------------------------
STAFF = Principal(kind="account", id="staff-1", name="Sam Staff", role="staff")


@pytest.fixture
async def db(use_case_db):
    """A fresh, migrated SQLite database for calling the use cases directly."""
    return await use_case_db(MIGRATIONS)


@pytest.fixture
def staff() -> Principal:
    return STAFF


@pytest.fixture
def editor() -> Editor:
    return Editor.of(STAFF)


@pytest.fixture
def recorded():
    """`await recorded(db, CommunityGroupRegistered)`: the events of that type the use cases wrote
    to the outbox, in order."""

    async def read(db, event_type) -> list:
        async with db.read() as session:
            rows = (await session.execute(select(outbox).order_by(outbox.c.position))).all()
        envelopes = [Envelope.decode(r.headers, r.body.encode()) for r in rows]
        return [e.data for e in envelopes if isinstance(e.data, event_type)]

    return read


@pytest.fixture
def audited():
    """`await audited(db)`: (action, target, details) of every audit entry, oldest first."""

    async def read(db) -> list[tuple[str, str | None, dict]]:
        async with db.read() as session:
            rows, _ = await list_audit(session, limit=500)
        return [(r["action"], r["target"], r["details"]) for r in reversed(rows)]

    return read


@pytest.fixture
def small_directory(editor):
    """`ids = await small_directory(db)`: the directory of `seed_directory` (five services in four
    places, with needs, days, languages and access), made through the use cases."""

    async def make(db) -> dict:
        ids: dict = {}
        about = TaxonomyCreate(name="Partnership Forum needs", description="What people need help with.")
        taxonomy = await needs.add_taxonomy(db, editor, about)
        ids["taxonomy"] = taxonomy["id"]
        for name, parent in (
            ("Mental health", None),
            ("Anxiety", "Mental health"),
            ("Carers", None),
            ("Loneliness", None),
        ):
            term = TaxonomyTermCreate(name=name, taxonomy_id=taxonomy["id"], parent_id=ids.get(parent))
            ids[name] = (await needs.add_taxonomy_term(db, editor, term))["id"]
        for key, name in (("org", "Fenland Wellbeing Network"), ("carers_org", "Peterborough Carers Trust")):
            ids[key] = (await organizations.add_organization(db, editor, OrganizationCreate(name=name)))["id"]

        async def place(
            name: str, postcode: str, lat: float | None, lon: float | None, access: str | None = None
        ) -> str:
            address = {
                "address_1": f"1 {name} Street",
                "city": name.split()[0],
                "state_province": "Cambridgeshire",
                "postal_code": postcode,
                "country": "GB",
            }
            location = LocationCreate(
                name=name,
                latitude=lat,
                longitude=lon,
                addresses=[address],
                accessibility=[{"description": access}] if access else [],
            )
            return (await locations.add_location(db, editor, location))["id"]

        wisbech = await place("Wisbech Library", "PE13 1EU", 52.6661, 0.1594, "Step-free, wheelchair accessible")
        march = await place("March Community Centre", "PE15 8AN", None, None)
        peterborough = await place("Peterborough Central Library", "PE1 1RX", 52.5740, -0.2430, "Lift to all floors")
        cambridge = await place("Cambridge Chesterton Hall", "CB4 1NP", 52.2180, 0.1370)
        for key, name, org, terms, areas, day, where, extra in (
            (
                "wisbech",
                "Wisbech Wellbeing Cafe",
                "org",
                ["Mental health", "Loneliness"],
                ["Fenland"],
                "MO",
                wisbech,
                {"languages": [{"name": "Polish", "code": "pl"}]},
            ),
            ("march", "March Carers Group", "carers_org", ["Carers"], ["PE15"], "TH", march, {}),
            (
                "peterborough",
                "Peterborough Anxiety Support",
                "carers_org",
                ["Anxiety"],
                ["Peterborough"],
                "WE",
                peterborough,
                {},
            ),
            (
                "cambridge",
                "Cambridge Hearing Voices Group",
                "org",
                ["Mental health"],
                ["Cambridge"],
                "TU",
                cambridge,
                {},
            ),
            (
                "helpline",
                "Countywide Listening Line",
                "org",
                ["Mental health", "Loneliness"],
                ["Cambridgeshire and Peterborough"],
                "MO,TU,WE,TH,FR,SA,SU",
                None,
                {},
            ),
        ):
            service = ServiceCreate(
                name=name,
                organization_id=ids[org],
                description=f"{name}: come along.",
                taxonomy_term_ids=[ids[t] for t in terms],
                service_areas=[{"name": a} for a in areas],
                schedules=[{"freq": "WEEKLY", "byday": day, "opens_at": "10:00", "closes_at": "12:00"}],
                service_at_locations=[{"location_id": where}] if where else [],
                **extra,
            )
            ids[key] = (await services.add_service(db, editor, service)).id
        return ids

    return make
