"""Staff import an Open Referral UK feed or HSDS CSV zip, and export the whole directory."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from forum_shared.audit import record_audit
from forum_shared.ui import Form, StaffUser, notify, render
from signposting import transfer
from signposting.api.transfer import MAX_UPLOAD

router = APIRouter(include_in_schema=False)


def _db(request: Request):
    return request.app.state.kit.db


@router.get("/staff/transfer")
async def transfer_page(request: Request, user: StaffUser) -> Response:
    return render(request, "staff/transfer.html", form=Form(), problems=[])


@router.post("/staff/transfer")
async def import_file(request: Request, user: StaffUser) -> Response:
    form = Form()
    upload = (await request.form()).get("file")
    data = await upload.read(MAX_UPLOAD + 1) if isinstance(upload, UploadFile) else b""
    problems: list[dict] = []
    if not data:
        form.add_error("file", "Select a JSON or zip file to import")
    elif len(data) > MAX_UPLOAD:
        form.add_error("file", "The file must be smaller than 20 MB")
    else:
        try:
            if data[:2] == b"PK":  # a zip file starts with these two bytes
                batch = transfer.parse_csv_zip(data)
            else:
                try:
                    feed = json.loads(data)
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise transfer.ImportRejected([{"source": upload.filename, "row": None, "field": None,
                                                    "message": "This is neither a JSON file nor a zip of HSDS CSV files."}]) from None
                batch = transfer.parse_json_feed(feed)
            async with _db(request).transaction() as session:
                counts = await transfer.import_batch(session, batch, f"import by {user.name}")
                await record_audit(session, user, "directory.imported", None, counts)
        except transfer.ImportRejected as exc:
            form.add_error("file", exc.message)
            problems = exc.problems
        else:
            text = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items() if n) or "nothing new"
            return notify(RedirectResponse("/staff/transfer", 303), request, f"Imported {text}.")
    return render(request, "staff/transfer.html", form=form, problems=problems, status_code=422)
