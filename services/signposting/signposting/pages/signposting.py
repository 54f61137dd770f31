"""Staff signpost someone: search the directory, record what was suggested (anonymously) or that
nothing met the need, and read the report of where people were signposted and where nothing fitted.
Searching records nothing; each record is a POST with the page's CSRF token."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.db import Database
from forum_shared.errors import Invalid, RuleBroken
from forum_shared.ui import Form, Pagination, StaffUser, notify, render
from forum_shared.web import DbDep
from signposting.pages.finding import SEARCH_FIELDS, need_options, place_error, place_of, run_search, search_form
from signposting.pages.validation import check, given, posted
from signposting.schemas.signposting import SignpostingCreate, UnmetSearchCreate
from signposting.service import reports, signposting, unmet_need

router = APIRouter(include_in_schema=False)
MESSAGES = {"service_ids": "Select the services you suggested, or none if nothing fitted"}
SEARCH_PAGE = "/staff/signposting"
UNMET_FIELDS = {"search": "words", "taxonomy_term_ids": "need", "postcode": "where", "area": "where"}


async def _page(
    request: Request,
    db: Database,
    record: Form | None = None,
    status_code: int = 200,
    search: Mapping[str, str] | None = None,
    unmet: Form | None = None,
) -> Response:
    """The search (from the page's address, or from `search` posted with its results), its
    results, and the form to record what was suggested."""
    found = await run_search(db, request.query_params if search is None else search, SEARCH_PAGE)
    refused = Form()
    for name, message in (unmet.errors if unmet else {}).items():
        # A refusal of the whole record stands above the page; a field's goes beside the field.
        (refused if name == "form" else found.form).add_error(name, message)
    if found.form.errors:
        status_code = 422
    needs = await need_options(db)
    if record is None:
        where, need = found.form.values.get("where", ""), found.form.values.get("need", "")
        record = Form(
            {"area": where, "needs": [need] if need else [], "other_need": found.form.values.get("words", "")}
        )
    options = [
        (
            r["id"],
            r["name"],
            "; ".join(
                filter(
                    None,
                    [
                        (r["organization"] or "") if r["organization"] != r["name"] else "",
                        "; ".join(r["times"]),
                        ", ".join(r["places"][0])
                        if r["places"]
                        else ("Covers " + ", ".join(r["areas"]) if r["areas"] else ""),
                    ],
                )
            ),
        )
        for r in found.results
    ]
    return render(
        request,
        "staff/signposting.html",
        search=found,
        form=found.form,
        record=record,
        needs=needs,
        options=options,
        unmet=refused,
        query_string=request.url.query if search is None else urlencode([(k, v) for k, v in search.items() if v]),
        status_code=status_code,
    )


@router.get("/staff/signposting")
async def signposting_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    return await _page(request, db)


@router.post("/staff/signposting/unmet-need")
async def record_unmet_need(request: Request, user: StaffUser, db: DbDep) -> Response:
    """"Record that nothing met this need": the search posted from its results (never the search
    itself) is kept as unmet need."""
    search = await posted(request, SEARCH_FIELDS)
    form = search_form(search)
    if form.ok:
        postcode, area = place_of(form.values["where"])
        model_values = {
            "search": form.values["words"],
            "taxonomy_term_ids": [form.values["need"]] if form.values["need"] else [],
            "postcode": postcode,
            "area": area,
        }
        form = check(UnmetSearchCreate, form.values, given(model_values), UNMET_FIELDS)
    if form.ok:
        try:
            await unmet_need.record_unmet_search(db, user, form.data)
        except Invalid as exc:
            if exc.message.startswith("taxonomy_term_ids"):
                form.add_error("need", "Select a need from the list")
            else:
                place_error(form, exc)
        except RuleBroken as exc:
            form.add_error("form", exc.message)
        else:
            back = f"{SEARCH_PAGE}?{urlencode([(k, v) for k, v in form.values.items() if v])}"
            text = "Recorded as unmet need: nothing in the directory met this need. It is in the unmet need report."
            return notify(RedirectResponse(back, 303), request, text)
    return await _page(request, db, search=search, unmet=form, status_code=422)


@router.post("/staff/signposting")
async def record_signposting(request: Request, user: StaffUser, db: DbDep) -> Response:
    values = await posted(request, ("area", "other_need"), ("needs", "service_ids"))
    model_values = {
        "area": values["area"] or None,
        "needs": values["needs"] + ([values["other_need"]] if values["other_need"] else []),
        "service_ids": values["service_ids"],
    }
    form = check(SignpostingCreate, values, model_values, {f"needs.{len(values['needs'])}": "other_need"}, MESSAGES)
    if form.ok:
        try:
            record = await signposting.record_signposting(db, user, form.data)
        except Invalid as exc:
            form.add_error("service_ids", exc.message.split(": ", 1)[-1])
        else:
            suggested = len(record.service_ids)
            text = (
                f"Signposting recorded: {suggested} service{'s' if suggested != 1 else ''} suggested."
                if suggested
                else "Recorded as unmet need: nothing in the directory fitted."
            )
            return notify(RedirectResponse("/staff/signposting/records", 303), request, text)
    return await _page(request, db, form, status_code=422)


@router.get("/staff/signposting/records")
async def records_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    page = Pagination.from_request(request, await signposting.signposting_count(db), size=25)
    rows = await signposting.signposting_records(db, page.offset, page.size)
    return render(request, "staff/records.html", rows=rows, page=page)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/staff/unmet-need")
async def unmet_need_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    params = request.query_params
    values = {"since": (params.get("since") or "").strip(), "until": (params.get("until") or "").strip()}
    form = Form(values)
    since, until = _day(values["since"]), _day(values["until"])
    for name, parsed in (("since", since), ("until", until)):
        if values[name] and parsed is None:
            form.add_error(name, "Enter a real date, like 2026-11-01")
    report = None
    if form.ok:
        try:
            report = await reports.signposting_report(db, since, until)
        except Invalid:
            form.add_error("until", "The end of the period must be on or after its start")
    return render(request, "staff/unmet_need.html", form=form, report=report, status_code=200 if form.ok else 422)
