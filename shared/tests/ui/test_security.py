"""CSRF, security headers, size and rate limits, and error pages for browsers and programs."""

import pytest
import structlog
from sqlalchemy import text

from forum_shared.config import ServiceSettings
from forum_shared.testing import terminate_backend

from .conftest import BROWSER, start_web

NOTE = {"text": "The lift was broken", "area": "peterborough"}


async def test_a_form_without_its_csrf_token_is_refused_with_a_clear_page(web):
    await web.form_token("/notes/new")  # the browser has the cookie, but the form lacks the token
    missing = await web.client.post("/notes/new", data=NOTE, headers=BROWSER)
    assert missing.status_code == 403
    assert "This form could not be sent" in missing.text and "reload the page" in missing.text
    forged = await web.client.post("/notes/new", data={**NOTE, "csrf_token": "0" * 64}, headers=BROWSER)
    assert forged.status_code == 403
    as_json = await web.client.post("/notes/new", data=NOTE)
    assert as_json.status_code == 403 and "reload the page" in as_json.json()["detail"]


async def test_a_form_from_a_browser_without_the_cookie_is_refused(web):
    token = await web.form_token("/notes/new")
    web.client.cookies.clear()
    assert (
        await web.client.post("/notes/new", data={**NOTE, "csrf_token": token}, headers=BROWSER)
    ).status_code == 403


async def test_a_public_form_with_its_token_is_accepted_and_thanks_the_person(web):
    token = await web.form_token("/notes/new")
    sent = await web.client.post("/notes/new", data={**NOTE, "csrf_token": token}, headers=BROWSER)
    assert sent.status_code == 303
    page = await web.client.get("/notes/new", headers=BROWSER)
    assert "Thank you for your note." in page.text
    assert "Thank you" not in (await web.client.get("/notes/new", headers=BROWSER)).text  # shown once


async def test_a_signed_in_post_without_a_body_still_needs_the_token(web):
    await web.signed_in_as("staff")
    assert (await web.client.post("/sign-out")).status_code == 403
    assert (await web.client.get("/api/notes")).status_code == 200  # still signed in


async def test_json_and_token_requests_need_no_csrf_token(web):
    assert (await web.client.post("/api/echo", json={"a": 1})).status_code == 200
    _, token = await web.add_token("staff")
    resp = await web.client.post(
        "/api/echo",
        content=b"x=1",
        headers={"authorization": f"Bearer {token}", "content-type": "application/x-www-form-urlencoded"},
    )
    assert resp.status_code == 200


async def test_every_response_carries_the_security_headers(web):
    for resp in (
        await web.client.get("/notes/new", headers=BROWSER),
        await web.client.get("/nowhere", headers=BROWSER),
        await web.client.get("/health"),
        await web.client.get("/static/kit/forum.css"),
    ):
        csp = resp.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp and "unsafe-inline" not in csp
        assert resp.headers["x-frame-options"] == "DENY"
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in resp.headers  # development is plain HTTP
    docs = await web.client.get("/docs")
    assert docs.status_code == 200 and "cdn.jsdelivr.net" in docs.headers["content-security-policy"]


async def test_pages_are_not_cached(web):
    assert (await web.client.get("/sign-in", headers=BROWSER)).headers["cache-control"] == "no-store"


async def test_an_oversized_body_gets_413_with_a_clear_message(web):
    big = b"x" * (web.kit.settings.max_request_bytes + 1)
    resp = await web.client.post("/api/echo", content=big, headers={"content-type": "application/json"})
    assert resp.status_code == 413 and "larger than this service accepts" in resp.json()["detail"]
    page = await web.client.post(
        "/notes/new", content=big, headers={**BROWSER, "content-type": "application/x-www-form-urlencoded"}
    )
    assert page.status_code == 413 and "What you sent is too large" in page.text


async def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(web):
    limit = web.kit.settings.max_request_bytes

    async def chunks():
        for _ in range(limit // 65536 + 2):
            yield b"y" * 65536

    resp = await web.client.post("/api/echo", content=chunks())
    assert resp.status_code == 413
    small = await web.client.post("/api/echo", content=b"ok")
    assert small.json() == {"bytes": 2}


@pytest.mark.parametrize("web_settings", [{"public_form_rate_limit": 2, "sign_in_rate_limit": 2}])
async def test_public_forms_and_sign_in_are_rate_limited_per_address(web):
    token = await web.form_token("/notes/new")
    for _ in range(2):
        assert (
            await web.client.post("/notes/new", data={**NOTE, "csrf_token": token}, headers=BROWSER)
        ).status_code == 303
    limited = await web.client.post("/notes/new", data={**NOTE, "csrf_token": token}, headers=BROWSER)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert "too many attempts" in limited.text.lower()

    for _ in range(2):
        await web.sign_in("someone@example.org", "wrong password!")
    assert (await web.sign_in("someone@example.org", "wrong password!")).status_code == 429


@pytest.mark.parametrize("web_settings", [{"public_form_rate_limit": 1}])
async def test_signed_in_staff_are_not_rate_limited_on_public_forms(web):
    await web.signed_in_as("staff")
    token = await web.form_token("/notes/new")
    for _ in range(3):
        assert (
            await web.client.post("/notes/new", data={**NOTE, "csrf_token": token}, headers=BROWSER)
        ).status_code == 303


@pytest.mark.parametrize("web_settings", [{"public_form_rate_limit": 1}])
async def test_partner_programs_with_a_token_are_not_rate_limited_on_public_forms(web):
    _row, token = await web.add_token("staff")
    program = {"authorization": f"Bearer {token}"}
    for _ in range(3):
        assert (await web.client.post("/notes/new", data=NOTE, headers=program)).status_code == 303
    public_token = await web.form_token("/notes/new")
    allowed = await web.client.post("/notes/new", data={**NOTE, "csrf_token": public_token}, headers=BROWSER)
    assert allowed.status_code == 303
    limited = await web.client.post("/notes/new", data={**NOTE, "csrf_token": public_token}, headers=BROWSER)
    assert limited.status_code == 429


async def test_a_missing_page_is_a_404_page_for_browsers_and_json_for_programs(web):
    page = await web.client.get("/no-such-page", headers=BROWSER)
    assert page.status_code == 404 and "Page not found" in page.text and "<main" in page.text
    api = await web.client.get("/no-such-page")
    assert api.status_code == 404 and "/no-such-page" in api.json()["detail"]


async def test_an_unexpected_error_shows_a_calm_page_and_logs_no_personal_data(web):
    with structlog.testing.capture_logs() as logged:
        page = await web.client.get("/boom", headers=BROWSER)
        api = await web.client.get("/boom")
    assert page.status_code == 500 and "something went wrong" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert api.status_code == 500 and "something went wrong" in api.json()["detail"]
    assert "jo@example.com" not in page.text + api.text
    assert [entry["error"] for entry in logged] == ["RuntimeError", "RuntimeError"]
    assert "jo@example.com" not in str(logged)


async def test_a_database_connection_lost_mid_request_is_a_503_to_try_again_and_the_next_request_works(
    postgres_web,
):
    async with postgres_web.kit.db.read() as session:
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
    await terminate_backend(pid)  # as a restart would, just after the connection was last used
    with structlog.testing.capture_logs() as logged:
        lost = await postgres_web.client.get("/api/database")
    assert lost.status_code == 503 and "Try again in a few seconds" in lost.json()["detail"]
    assert lost.headers["retry-after"] == "5"
    assert [entry["event"] for entry in logged] == ["database connection lost"]
    again = await postgres_web.client.get("/api/database")
    assert again.status_code == 200 and again.json() == {"answer": 1}


async def test_a_form_with_errors_is_shown_again_with_a_summary_linking_to_each_field(web):
    token = await web.form_token("/notes/new")
    resp = await web.client.post(
        "/notes/new", data={"csrf_token": token, "text": "  ", "needs": "transport"}, headers=BROWSER
    )
    assert resp.status_code == 422
    assert 'href="#text">Enter your note' in resp.text
    assert 'href="#area">Select the area your note is about' in resp.text
    assert 'id="needs" name="needs" type="checkbox" value="transport" checked' in resp.text


def test_outside_development_the_default_or_a_short_secret_key_is_refused():
    with pytest.raises(ValueError, match="SECRET_KEY"):
        ServiceSettings(environment="production").check_secrets()
    with pytest.raises(ValueError, match="at least 32"):
        ServiceSettings(environment="production", secret_key="short").check_secrets()
    ServiceSettings(environment="production", secret_key="k" * 32).check_secrets()
    ServiceSettings().check_secrets()  # development may use the default


async def test_a_service_in_production_without_a_secret_key_does_not_start(database_url):
    web = await start_web(await database_url("toy"), environment="production")
    try:
        with pytest.raises(ValueError, match="SECRET_KEY"):
            async with web.kit.running():
                pass
    finally:
        await web.client.aclose()
        await web.kit.db.dispose()
