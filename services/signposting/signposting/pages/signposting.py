"""Staff signpost someone: search the directory, record what was suggested (anonymously), and read
the report of where people were signposted and where nothing fitted."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.db import Database
from forum_shared.errors import Invalid
from forum_shared.identity.principal import Principal
from forum_shared.ui import Form, Pagination, StaffUser, notify, render
from forum_shared.web import DbDep
from signposting.pages.finding import need_options, run_search
from signposting.pages.validation import check, posted
from signposting.schemas.signposting import SignpostingCreate
from signposting.service import reports, signposting

router = APIRouter(include_in_schema=False)
MESSAGES = {"service_ids": "Select the services you suggested, or none if nothing fitted"}


async def _page(
    request: Request, db: Database, user: Principal, record: Form | None = None, status_code: int = 200
) -> Response:
    # A search by staff for someone that found nothing is unmet need (counted once, when the
    # search is made, not again when the page comes back with a problem in the record).
    found = await run_search(request, db, searcher=user if request.method == "GET" else None)
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
        query_string=request.url.query,
        status_code=status_code,
    )


@router.get("/staff/signposting")
async def signposting_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    return await _page(request, db, user)


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
    return await _page(request, db, user, form, status_code=422)


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
