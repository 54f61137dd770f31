"""Every refusal a program gets is an RFC 9457 problem (`application/problem+json`), bad input of
any kind is a 4xx (never a 500), `Allow` names every method of a path, and the OpenAPI document
lists every status each operation can answer."""

import pytest

from forum_shared.ui.problems import PROBLEM_JSON

BROKEN_MULTIPART = {"Content-Type": "multipart/form-data; boundary=xyz"}
NAMELESS_PART = b"--xyz\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--xyz--\r\n"  # a part must be named


def assert_problem(resp, status: int, path: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == PROBLEM_JSON
    body = resp.json()
    assert body["type"] == "about:blank" and body["status"] == status and body["instance"] == path
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize("path", ["/api/echo", "/notes/new", "/sign-in", "/nowhere", "/staff/notes"])
async def test_a_broken_multipart_body_is_a_clear_400_wherever_it_is_sent(web, path):
    for body in (b"", b"--xyz\r\nContent-Disposition: form-data\r\n\r\nno end", b"\x00\xff" * 50):
        resp = await web.client.post(path, content=body, headers=BROKEN_MULTIPART)
        assert resp.status_code < 500, (path, resp.status_code, resp.text)
    for headers in (BROKEN_MULTIPART, {"Content-Type": "multipart/form-data"}):  # no boundary
        resp = await web.client.post(path, content=NAMELESS_PART, headers=headers)
        if path != "/api/echo":  # a route that reads no form takes any body
            assert "could not be read" in assert_problem(resp, 400, path)["detail"]


async def test_a_broken_multipart_body_from_a_signed_in_browser_is_400_before_the_csrf_check(web):
    await web.signed_in_as("staff")
    resp = await web.client.post("/staff/notes", content=NAMELESS_PART, headers=BROKEN_MULTIPART)
    assert_problem(resp, 400, "/staff/notes")


async def test_refusals_are_problems_with_the_fields_that_are_wrong(web):
    assert_problem(await web.client.get("/nowhere"), 404, "/nowhere")
    assert_problem(await web.client.get("/api/notes"), 401, "/api/notes")
    _, token = await web.add_token("governor")
    refused = await web.client.get("/api/notes", headers={"Authorization": f"Bearer {token}"})
    assert_problem(refused, 403, "/api/notes")


async def test_a_validation_problem_lists_each_field(web):
    await web.signed_in_as("admin")
    resp = await web.client.post("/accounts", json={"email": "not an email"}, headers=await web.csrf_header())
    body = assert_problem(resp, 422, "/accounts")
    assert {e["field"] for e in body["errors"]} >= {"email", "name"}


async def test_allow_names_every_method_the_path_takes(web):
    resp = await web.client.request("PATCH", "/notes/new")
    assert_problem(resp, 405, "/notes/new")
    assert resp.headers["allow"] == "GET, POST"
    assert "it takes GET or POST" in resp.json()["detail"]


async def test_pages_keep_their_html_errors(web):
    resp = await web.client.get("/nowhere", headers={"Accept": "text/html"})
    assert resp.status_code == 404 and resp.headers["content-type"].startswith("text/html")


async def test_every_operation_documents_each_status_it_can_answer_as_a_problem(web):
    document = (await web.client.get("/openapi.json")).json()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert set(document["components"]["schemas"]["Problem"]["required"]) >= {"title", "status", "detail"}
    responses = {
        (path, method): operation["responses"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    notes = responses[("/api/notes", "get")]
    assert {"401", "403"} <= set(notes) and "422" not in notes  # it takes no input
    accounts = responses[("/accounts", "post")]
    assert {"400", "401", "403", "409", "413", "422"} <= set(accounts)
    assert "404" in responses[("/dead-letters/{dead_letter_id}/replay", "post")]
    for (path, method), answers in responses.items():
        for status, answer in answers.items():
            if int(status) >= 400:
                assert list(answer["content"]) == [PROBLEM_JSON], (path, method, status)
                assert answer["description"] != "Validation Error"
