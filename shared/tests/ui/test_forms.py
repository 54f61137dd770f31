"""Forms, templates and pagination, checked without a database or a server."""

from typing import Literal

from pydantic import BaseModel, EmailStr, Field
from starlette.requests import Request

from forum_shared.ui import Pagination, validate_form
from forum_shared.ui.negotiation import safe_next, wants_html
from forum_shared.ui.templating import uk_time


class JoinForm(BaseModel):
    name: str = Field(title="your name", min_length=1, max_length=10)
    email: EmailStr = Field(title="your email address")
    contact: Literal["email", "post"] = Field(title="how we should contact you")
    age: int | None = Field(default=None, title="your age", ge=16)


def test_errors_are_in_plain_english_and_in_the_order_of_the_form():
    form = validate_form(JoinForm, {"name": "", "email": "jo@", "age": "ten"})
    assert not form.ok
    assert list(form.errors) == ["name", "email", "contact", "age"]
    assert form.errors["name"] == "Enter your name"
    assert form.errors["email"] == "Enter an email address in the correct format, like name@example.com"
    assert form.errors["contact"] == "Select how we should contact you"
    assert form.errors["age"] == "Your age must be a number"


def test_limits_are_explained_and_messages_can_be_worded_by_the_service():
    form = validate_form(
        JoinForm,
        {"name": "x" * 11, "email": "jo@example.org", "contact": "fax", "age": "12"},
        {"contact": "Choose email or post"},
    )
    assert form.errors == {
        "name": "Your name must be 10 characters or fewer",
        "contact": "Choose email or post",
        "age": "Your age must be greater than or equal to 16",
    }


def test_a_valid_form_gives_the_model_and_empty_optional_fields_are_left_out():
    form = validate_form(JoinForm, {"name": "Jo", "email": "jo@example.org", "contact": "post", "age": ""})
    assert form.ok and form.data.age is None and form.data.contact == "post"


def _request(query: str = "", accept: str = "") -> Request:
    headers = [(b"accept", accept.encode())] if accept else []
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/audit",
            "query_string": query.encode(),
            "headers": headers,
        }
    )


def test_pagination_keeps_the_filters_and_stops_at_the_ends():
    page = Pagination.from_request(_request("action=note.added&page=2"), total=120, size=50)
    assert (page.number, page.pages, page.offset) == (2, 3, 50)
    assert page.previous_url == "/audit?action=note.added&page=1"
    assert page.next_url == "/audit?action=note.added&page=3"
    last = Pagination.from_request(_request("page=99"), total=120, size=50)
    assert last.number == 3 and last.next_url is None
    for nonsense in ("abc", "²", "0", "-3", "9" * 5000):
        assert Pagination.from_request(_request(f"page={nonsense}"), total=0).number == 1


def test_browsers_get_pages_and_programs_get_json():
    assert wants_html(_request(accept="text/html,application/xhtml+xml,*/*;q=0.8"))
    assert not wants_html(_request(accept="*/*"))
    assert not wants_html(_request(accept="application/json"))
    assert not wants_html(_request(accept="application/json, text/html;q=0.5"))
    assert not wants_html(_request())


def test_after_sign_in_only_paths_on_this_site_are_followed():
    assert safe_next("/staff/notes?page=2") == "/staff/notes?page=2"
    for outside in ("https://evil.example", "//evil.example", "/\\evil.example", None, ""):
        assert safe_next(outside) == "/"


def test_times_are_shown_in_uk_time_as_nhs_uk_writes_them():
    from datetime import UTC, datetime

    assert uk_time(datetime(2026, 7, 1, 13, 5, tzinfo=UTC)) == "1 July 2026 at 2:05pm"  # BST
    assert uk_time(datetime(2026, 1, 1, 0, 30, tzinfo=UTC)) == "1 January 2026 at 12:30am"

