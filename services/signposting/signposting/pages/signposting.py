"""Staff signpost someone: search the directory, record what was suggested (anonymously), and read
the report of where people were signposted and where nothing fitted."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import Invalid
from forum_shared.audit import record_audit
from forum_shared.ui import Form, Pagination, StaffUser, notify, render
from signposting import signposts
from signposting.forum_schemas import SignpostingCreate
from signposting.pages.finding import need_options, run_search
from signposting.pages.validation import check, posted

router = APIRouter(include_in_schema=False)
MESSAGES = {"service_ids": "Select the services you suggested, or none if nothing fitted"}


def _db(request: Request):
    return request.app.state.kit.db


async def _page(request: Request, record: Form | None = None, status_code: int = 200) -> Response:
    async with _db(request).read() as session:
        found = await run_search(request, session)
        needs = await need_options(session)
    query = found.query
    if request.method == "GET" and query is not None and not found.form.errors and found.total == 0 and query.page == 1 and query.about_a_need:
        # A search by staff for someone that found nothing is unmet need. Searches by the public are
        # not counted: anyone could repeat them to inflate the report.
        async with _db(request).transaction() as session:
            await signposts.record_unmet_search(session, query)
    if record is None:
        where, need = found.form.values.get("where", ""), found.form.values.get("need", "")
        record = Form({"area": where, "needs": [need] if need else [], "other_need": found.form.values.get("words", "")})
    options = [(r["id"], r["name"], "; ".join(filter(None, [
        (r["organization"] or "") if r["organization"] != r["name"] else "", "; ".join(r["times"]),
        ", ".join(r["places"][0]) if r["places"] else ("Covers " + ", ".join(r["areas"]) if r["areas"] else ""),
    ]))) for r in found.results]
    return render(request, "staff/signposting.html", search=found, form=found.form, record=record, needs=needs,
                  options=options, query_string=request.url.query, status_code=status_code)


@router.get("/staff/signposting")
async def signposting_page(request: Request, user: StaffUser) -> Response:
    return await _page(request)


@router.post("/staff/signposting")
async def record_signposting(request: Request, user: StaffUser) -> Response:
    values = await posted(request, ("area", "other_need"), ("needs", "service_ids"))
    model_values = {"area": values["area"] or None, "needs": values["needs"] + ([values["other_need"]] if values["other_need"] else []),
                    "service_ids": values["service_ids"]}
    form = check(SignpostingCreate, values, model_values, {"needs.%d" % len(values["needs"]): "other_need"}, MESSAGES)
    if form.ok:
        try:
            async with _db(request).transaction() as session:
                row = await signposts.record_signposting(session, form.data)
                await record_audit(session, user, "signposting.recorded", f"signposting:{row['id']}")
        except Invalid as exc:
            form.add_error("service_ids", exc.message.split(": ", 1)[-1])
        else:
            suggested = len(row["service_ids"])
            text = (f"Signposting recorded: {suggested} service{'s' if suggested != 1 else ''} suggested." if suggested
                    else "Recorded as unmet need: nothing in the directory fitted.")
            return notify(RedirectResponse("/staff/signposting/records", 303), request, text)
    return await _page(request, form, status_code=422)


@router.get("/staff/signposting/records")
async def records_page(request: Request, user: StaffUser) -> Response:
    async with _db(request).read() as session:
        _rows, total = await signposts.list_signpostings(session, 0, 0)
        page = Pagination.from_request(request, total, size=25)
        rows, _total = await signposts.list_signpostings(session, page.offset, page.size)
    return render(request, "staff/records.html", rows=rows, page=page)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/staff/unmet-need")
async def unmet_need_page(request: Request, user: StaffUser) -> Response:
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
            async with _db(request).read() as session:
                report = await signposts.report(session, since, until)
        except Invalid:
            form.add_error("until", "The end of the period must be on or after its start")
    return render(request, "staff/unmet_need.html", form=form, report=report, status_code=200 if form.ok else 422)
