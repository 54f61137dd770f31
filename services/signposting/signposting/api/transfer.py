"""Import and export of the whole directory."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from forum_shared.audit import record_audit
from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from signposting import transfer
from signposting.api.deps import Editor, EditorDep
from signposting.forum_schemas import ImportRejectedPublic, ImportResult

router = APIRouter(tags=["import and export"])

MAX_UPLOAD = 20_000_000  # the service's request size limit (SIGNPOSTING_MAX_REQUEST_BYTES)


REJECTED = {422: {"model": ImportRejectedPublic, "description": "Nothing was imported; each problem is listed."}}


@router.post("/import", response_model=ImportResult, responses=REJECTED)
async def import_feed(
    feed: Annotated[Any, Body(description="Services (a list, or a page with `contents`), or a whole exported directory.")],
    db: DbDep,
    editor: EditorDep,
) -> dict:
    """Import an Open Referral UK JSON feed: all of it, or nothing and a list of problems."""
    batch = transfer.parse_json_feed(feed)
    return await imported(db, batch, editor)


@router.post(
    "/import/csv",
    response_model=ImportResult,
    responses=REJECTED,
    openapi_extra={"requestBody": {"required": True, "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def import_csv(request: Request, db: DbDep, editor: EditorDep) -> dict:
    """Import the HSDS CSV form (a zip of services.csv, organizations.csv …): all of it, or nothing."""
    data = await request.body()
    if len(data) > MAX_UPLOAD:
        raise transfer.ImportRejected([{"source": "upload", "row": None, "field": None, "message": "The file is larger than 20 MB."}])
    batch = transfer.parse_csv_zip(data)
    return await imported(db, batch, editor)


async def imported(db, batch: transfer.Batch, editor: Editor) -> dict:
    """Write a checked import, with one audit entry saying how much it brought in."""
    async with db.transaction() as session:
        counts = await transfer.import_batch(session, batch, f"import by {editor.name}")
        await record_audit(session, editor.user, "directory.imported", None, counts)
        return counts


@router.get("/export", response_model=dict[str, Any])
async def export_json(db: DbDep, user: StaffUser) -> dict:
    """The whole directory as JSON, in the shape the import accepts."""
    async with db.read() as session:
        return await transfer.export_json(session)


@router.get("/export.zip", response_class=Response, responses={200: {"content": {"application/zip": {}}}})
async def export_csv(db: DbDep, user: StaffUser) -> Response:
    """The whole directory in the HSDS CSV form, as a zip."""
    async with db.read() as session:
        data = await transfer.export_csv_zip(session)
    return Response(data, media_type="application/zip", headers={"Content-Disposition": 'attachment; filename="directory-hsds.zip"'})
