"""The Open Referral UK API: what a third party's client reads, checked against the official schemas."""


async def test_every_open_referral_response_validates_against_the_official_schemas(signposting, seed, schemas):
    ids = await seed(signposting.staff)
    client = signposting.client

    info = (await client.get("/")).json()
    assert info["version"] == "HSDS-UK-3.0"
    assert info["openapi_url"].endswith("/openapi.json")
    assert (await client.get(info["openapi_url"])).status_code == 200

    services = (await client.get("/services", params={"per_page": 100})).json()
    schemas.check_page(schemas.oruk["service_list"], services)
    assert services["total_items"] == 5 and services["size"] == 5 and services["first_page"] and services["last_page"]

    for service_id in (ids["wisbech"], ids["helpline"]):
        full = (await client.get(f"/services/{service_id}")).json()
        schemas.check_oruk("service", full)
        schemas.check_hsds("service.json", full)
    full = (await client.get(f"/services/{ids['wisbech']}")).json()
    assert full["organization"]["name"] == "Fenland Wellbeing Network"
    location = full["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "PE13 1EU"
    assert location["accessibility"][0]["description"].startswith("Step-free")
    assert {a["taxonomy_term"]["name"] for a in full["attributes"]} == {"Mental health", "Loneliness"}
    assert full["schedules"][0]["byday"] == "MO" and full["schedules"][0]["opens_at"] == "10:00:00"
    assert full["contacts"][0]["phones"][0]["number"] == "01945 000000"
    assert {lang["name"] for lang in full["languages"]} == {"English", "Polish"}
    assert full["service_areas"][0]["name"] == "Fenland"
    assert "search_text" not in full and "geo_lat" not in location  # internal columns stay inside

    orgs = (await client.get("/organizations")).json()
    schemas.check_page(schemas.oruk["organization_list"], orgs)
    org = (await client.get(f"/organizations/{ids['org']}")).json()
    schemas.check_oruk("organization", org)
    schemas.check_hsds("organization.json", {k: v for k, v in org.items() if k != "services"})
    assert sorted(s["name"] for s in org["services"]) == [
        "Cambridge Hearing Voices Group",
        "Countywide Listening Line",
        "Wisbech Wellbeing Cafe",
    ]

    taxonomies = (await client.get("/taxonomies")).json()
    schemas.check_page(schemas.oruk["taxonomy"], taxonomies)
    schemas.check_oruk("taxonomy", (await client.get(f"/taxonomies/{ids['taxonomy']}")).json())
    terms = (await client.get("/taxonomy_terms", params={"taxonomy_id": ids["taxonomy"]})).json()
    schemas.check_page(schemas.oruk["taxonomy_term"], terms)
    assert terms["total_items"] == 4
    term = (await client.get(f"/taxonomy_terms/{ids['Anxiety']}")).json()
    schemas.check_oruk("taxonomy_term", term)
    schemas.check_hsds("taxonomy_term.json", term)
    assert term["parent_id"] == ids["Mental health"] and term["taxonomy"] == "Partnership Forum needs"


async def test_the_open_api_can_be_read_from_any_website_but_not_changed(signposting):
    client = signposting.client
    resp = await client.get("/services", headers={"Origin": "https://another-council.example"})
    assert resp.status_code == 200
    assert resp.headers["access-control-allow-origin"] == "*"
    preflight = await client.options(
        "/services", headers={"Origin": "https://another-council.example", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 400  # a browser on another site may not send changes


async def test_pages_are_bounded_and_bad_parameters_get_readable_messages(signposting, seed):
    ids = await seed(signposting.staff)
    client = signposting.client

    first = (await client.get("/services", params={"per_page": 2})).json()
    assert (first["total_items"], first["total_pages"], first["size"], first["first_page"], first["last_page"]) == (
        5,
        3,
        2,
        True,
        False,
    )
    last = (await client.get("/services", params={"per_page": 2, "page": 3})).json()
    assert (last["size"], last["page_number"], last["last_page"], last["empty"]) == (1, 3, True, False)
    beyond = (await client.get("/services", params={"per_page": 2, "page": 9})).json()
    assert beyond["empty"] is True and beyond["contents"] == []
    names = [
        s["name"]
        for p in (1, 2, 3)
        for s in (await client.get("/services", params={"per_page": 2, "page": p})).json()["contents"]
    ]
    assert len(set(names)) == 5  # every service once across the pages
    assert (await client.get("/services")).json()["size"] == 5  # 20 a page unless asked

    for params, words in (
        ({"per_page": 101}, "per_page"),
        ({"per_page": 0}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"postcode": "SW1A 1AA"}, "not a postcode district this directory covers"),
        ({"postcode": "nonsense!"}, "not a UK postcode"),
        ({"proximity": 1000}, "give a postcode too"),
        ({"postcode": "PE1", "proximity": -5}, "proximity"),
        ({"day": "someday"}, "is not a day"),
        ({"modified_after": "last week"}, "modified_after"),
        ({"status": "closed"}, "status"),
    ):
        resp = await client.get("/services", params=params)
        assert resp.status_code == 422, (params, resp.text)
        assert words in resp.json()["detail"], resp.json()["detail"]

    missing = await client.get("/services/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and "no service" in missing.json()["detail"]
    assert (await client.get("/organizations/nope")).status_code == 404
    assert (await client.get("/taxonomy_terms/nope")).status_code == 404
    assert (await client.get("/taxonomies", params={"per_page": 500})).status_code == 422
    assert ids  # the directory was there to page through
