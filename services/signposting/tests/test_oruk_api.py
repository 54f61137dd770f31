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
        ({"page": 2**70}, "page"),
        ({"per_page": 2**70}, "per_page"),
        ({"postcode": "SW1A 1AA"}, "not a postcode district this directory covers"),
        ({"postcode": "nonsense!"}, "postcode"),
        ({"proximity": 1000}, "give a postcode too"),
        ({"postcode": "PE1", "proximity": -5}, "proximity"),
        ({"postcode": "PE1", "proximity": "nan"}, "proximity"),
        ({"postcode": "PE1", "proximity": "1e400"}, "proximity"),
        ({"minimum_age": 2**70}, "minimum_age"),
        ({"day": "someday"}, "day"),
        ({"day": "2026-02-30"}, "is not a day"),
        ({"start_time": "25:00"}, "start_time"),
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


PROFILE_PATHS = {
    "/",
    "/services",
    "/services/{id}",
    "/service_at_locations",
    "/service_at_locations/{id}",
    "/taxonomies",
    "/taxonomies/{id}",
    "/taxonomy_terms",
    "/taxonomy_terms/{id}",
}


async def test_services_at_their_places_are_listed_searched_and_read_as_the_profile_describes(
    signposting, seed, schemas
):
    ids = await seed(signposting.staff)
    client = signposting.client

    listed = (await client.get("/service_at_locations", params={"per_page": 100})).json()
    schemas.check_page(schemas.oruk["service_at_location_list"], listed)
    schemas.check_required_text(schemas.oruk["service_at_location_list"], listed["contents"])
    assert listed["total_items"] == 4  # the listening line meets nobody in a place
    for item in listed["contents"]:
        full = (await client.get(f"/service_at_locations/{item['id']}")).json()
        schemas.check_oruk("service_at_location", full)
        schemas.check_required_text(schemas.oruk["service_at_location"], full)
        assert full["service"]["id"] == item["service_id"] and full["location"]["id"] == item["location_id"]
    wisbech = next(i for i in listed["contents"] if i["service_id"] == ids["wisbech"])
    full = (await client.get(f"/service_at_locations/{wisbech['id']}")).json()
    assert full["location"]["addresses"][0]["postal_code"] == "PE13 1EU"
    assert full["service"]["schedules"][0]["byday"] == "MO" and full["service"]["organization"]["description"]

    async def found(**params) -> list[str]:
        page = (await client.get("/service_at_locations", params=params)).json()
        return [i["service_id"] for i in page["contents"]]

    assert await found(postcode="PE13", proximity=5000) == [ids["wisbech"]]
    assert await found(search="march") == [ids["march"]]
    assert await found(taxonomy_term_id=ids["Anxiety"]) == [ids["peterborough"]]
    assert await found(day="TU") == [ids["cambridge"]]
    assert len(await found(per_page=1, page=2)) == 1

    missing = await client.get("/service_at_locations/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and "no service at location" in missing.json()["detail"]
    for path in ("/services", "/taxonomies", "/taxonomy_terms"):
        gone = await client.get(f"{path}/00000000-0000-4000-8000-000000000000")
        assert gone.status_code == 404 and gone.json()["detail"].startswith("There is no"), path
    bad = await client.get("/service_at_locations", params={"page": 2**70})
    assert bad.status_code == 422 and "page" in bad.json()["detail"]


async def test_the_openapi_document_has_every_profile_path_and_says_what_each_parameter_may_be(signposting):
    document = (await signposting.client.get("/openapi.json")).json()
    paths = {path.replace("{service_id}", "{id}").replace("{link_id}", "{id}") for path in document["paths"]}
    paths = {p.replace("{taxonomy_id}", "{id}").replace("{term_id}", "{id}") for p in paths}
    assert paths >= PROFILE_PATHS
    for path in ("/services", "/service_at_locations", "/organizations", "/taxonomies", "/taxonomy_terms"):
        params = {p["name"]: p["schema"] for p in document["paths"][path]["get"]["parameters"]}
        assert (params["page"]["minimum"], params["page"]["maximum"]) == (1, 100_000), path
        assert (params["per_page"]["minimum"], params["per_page"]["maximum"]) == (1, 100), path
    for path in ("/services", "/service_at_locations"):
        params = {p["name"]: p["schema"] for p in document["paths"][path]["get"]["parameters"]}
        status = params["status"]["anyOf"][0]
        enum = status.get("enum") or document["components"]["schemas"][status["$ref"].rsplit("/", 1)[-1]]["enum"]
        assert set(enum) == {"active", "inactive", "defunct", "temporarily closed"}
        for name in ("postcode", "day", "start_time", "end_time"):
            assert "pattern" in params[name]["anyOf"][0], (path, name)
        for name in ("search", "taxonomy_term_id", "taxonomy_id", "postcode", "area", "language"):
            assert "maxLength" in params[name]["anyOf"][0], (path, name)
        assert params["proximity"]["anyOf"][0]["maximum"] == 200_000


async def test_the_most_minimal_directory_the_api_accepts_answers_every_required_field_not_empty(
    signposting, schemas
):
    staff = signposting.staff
    headers = {"X-Changed-By": "Sam at the trust"}

    async def post(path: str, body: dict) -> dict:
        resp = await staff.post(path, json=body, headers=headers)
        assert resp.status_code == 201, resp.text
        return resp.json()

    taxonomy = await post("/taxonomies", {"name": "Kinds"})
    term = await post("/taxonomy_terms", {"name": "Company", "description": "  "})
    org = await post("/organizations", {"name": "Tiny", "description": " \n "})
    place = await post("/locations", {})
    await post("/services", {"name": "Drop in", "organization_id": org["id"]})
    await post(
        "/services",
        {
            "name": "Drop in at a place",
            "organization_id": org["id"],
            "taxonomy_term_ids": [term["id"]],
            "service_at_locations": [{"location_id": place["id"]}],
        },
    )
    await post("/community-groups", {"name": "Quiet group", "areas": ["Ely"]})
    assert taxonomy["description"] and term["description"] == "Help with company." and org["description"].strip()

    client = signposting.client
    for path, item_schema, one_schema in (
        ("/services", "service_list", "service"),
        ("/service_at_locations", "service_at_location_list", "service_at_location"),
        ("/organizations", "organization_list", "organization"),
        ("/taxonomies", "taxonomy", "taxonomy"),
        ("/taxonomy_terms", "taxonomy_term", "taxonomy_term"),
    ):
        listed = (await client.get(path)).json()
        assert listed["total_items"] >= 1, path
        schemas.check_page(schemas.oruk[item_schema], listed)
        schemas.check_required_text(schemas.oruk[item_schema], listed["contents"], path)
        for item in listed["contents"]:
            one = (await client.get(f"{path}/{item['id']}")).json()
            schemas.check_oruk(one_schema, one)
            schemas.check_required_text(schemas.oruk[one_schema], one, f"{path}/{item['id']}")
