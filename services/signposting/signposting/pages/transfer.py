"""Staff import an Open Referral UK feed or HSDS CSV zip, and export the whole directory."""

from __future__ import annotations

import json
from dataclasses import asdict

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from forum_shared.ui import Form, StaffUser, notify, render
from forum_shared.web import DbDep
from signposting import hsds_files
from signposting.api.transfer import MAX_UPLOAD
from signposting.service import transfer
from signposting.service.editor import Editor

router = APIRouter(include_in_schema=False)


@router.get("/staff/transfer")
async def transfer_page(request: Request, user: StaffUser) -> Response:
    return render(request, "staff/transfer.html", form=Form(), problems=[])


def _batch(name: str, data: bytes) -> hsds_files.Batch:
    """A zip of HSDS CSV files, or else a JSON feed; `ImportRejected` if it is neither, or has problems."""
    if data[:2] == b"PK":  # a zip file starts with these two bytes
        return hsds_files.parse_csv_zip(data)
    try:
        feed = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise hsds_files.rejected(name, "This is neither a JSON file nor a zip of HSDS CSV files.") from None
    return hsds_files.parse_json_feed(feed)


@router.post("/staff/transfer")
async def import_file(request: Request, user: StaffUser, db: DbDep) -> Response:
    form = Form()
    upload = (await request.form()).get("file")
    data = await upload.read(MAX_UPLOAD + 1) if isinstance(upload, UploadFile) else b""
    problems: list[hsds_files.Problem] = []
    if not data:
        form.add_error("file", "Select a JSON or zip file to import")
    elif len(data) > MAX_UPLOAD:
        form.add_error("file", "The file must be smaller than 20 MB")
    else:
        name = upload.filename if isinstance(upload, UploadFile) and upload.filename else "upload"
        try:
            imported = await transfer.import_batch(db, Editor.of(user), _batch(name, data))
        except hsds_files.ImportRejected as exc:
            form.add_error("file", exc.message)
            problems = exc.problems
        else:
            text = (
                ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in asdict(imported).items() if n) or "nothing new"
            )
            return notify(RedirectResponse("/staff/transfer", 303), request, f"Imported {text}.")
    return render(request, "staff/transfer.html", form=form, problems=problems, status_code=422)
