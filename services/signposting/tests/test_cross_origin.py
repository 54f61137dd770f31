"""Other sites may read the Open Referral UK API from a browser; nothing else answers them: not the
staff routes, not a write, not a page."""

ORIGIN = {"Origin": "https://another-council.example"}


def _preflight(method: str) -> dict[str, str]:
    return {**ORIGIN, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "accept"}


async def test_the_open_referral_read_routes_answer_any_origin_and_their_preflight(signposting, seed):
    ids = await seed(signposting.staff)
    for path in (
        "/",
        "/services",
        f"/services/{ids['wisbech']}",
        "/organizations",
        f"/organizations/{ids['org']}",
        "/taxonomies",
        f"/taxonomies/{ids['taxonomy']}",
        "/taxonomy_terms",
        f"/taxonomy_terms/{ids['Carers']}",
        "/services/00000000-0000-4000-8000-000000000000",  # a program can read why, too
    ):
        read = await signposting.client.get(path, headers=ORIGIN)
        assert read.headers.get("access-control-allow-origin") == "*", path
        preflight = await signposting.client.options(path, headers=_preflight("GET"))
        assert preflight.status_code == 200, (path, preflight.text)
        assert preflight.headers["access-control-allow-origin"] == "*"
        assert set(preflight.headers["access-control-allow-methods"].replace(" ", "").split(",")) == {
            "GET",
            "HEAD",
            "OPTIONS",
        }
        assert "accept" in preflight.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in preflight.headers


async def test_staff_routes_writes_and_pages_never_answer_another_origin(signposting, seed):
    ids = await seed(signposting.staff)
    location = (await signposting.client.get(f"/services/{ids['wisbech']}")).json()["service_at_locations"][0]
    for path in (
        "/audit-log",
        "/stale-listings",
        f"/history/{ids['wisbech']}",
        f"/locations/{location['location_id']}",
        "/community-groups",
        "/reports/signposting",
        "/export",
        "/dead-letters",
        "/staff/directory",
        "/find-a-group",
    ):
        read = await signposting.admin.get(path, headers=ORIGIN)
        assert read.status_code == 200, path
        assert "access-control-allow-origin" not in read.headers, path
        preflight = await signposting.client.options(path, headers=_preflight("GET"))
        assert "access-control-allow-origin" not in preflight.headers, path

    # Writes, even to the addresses the open API reads from.
    for method, path, body in (
        ("POST", "/services", {"name": "Forged"}),
        ("POST", "/organizations", {"name": "Forged"}),
        ("PATCH", f"/services/{ids['wisbech']}", {"name": "Forged"}),
        ("POST", "/signpostings", {"area": "PE1"}),
        ("POST", "/unmet-searches", {"search": "gambling"}),
    ):
        preflight = await signposting.client.options(path, headers=_preflight(method))
        assert "access-control-allow-origin" not in preflight.headers, (method, path)
        assert method not in preflight.headers.get("access-control-allow-methods", ""), (method, path)
        sent = await signposting.staff.request(method, path, json=body, headers=ORIGIN)
        assert "access-control-allow-origin" not in sent.headers, (method, path)

    # A page is for people on this site, even at the address of the open API.
    page = await signposting.client.get("/", headers={**ORIGIN, "Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "access-control-allow-origin" not in page.headers
