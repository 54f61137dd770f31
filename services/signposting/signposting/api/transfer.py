"""Import and export of the whole directory."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from signposting import hsds_files
from signposting.deps import EditorDep
from signposting.schemas.transfer import ImportPublic
from signposting.service import transfer

router = APIRouter(tags=["import and export"])

MAX_UPLOAD = 20_000_000  # the service's request size limit (SIGNPOSTING_MAX_REQUEST_BYTES)
REJECTED: dict[int | str, dict[str, Any]] = {
    422: {"description": "Nothing was imported; `errors` lists each problem, with its `source` (the file or list) "
          "and `row`."},
}


@router.post("/import", response_model=ImportPublic, responses=REJECTED)
async def import_feed(
    feed: Annotated[
        Any, Body(description="Services (a list, or a page with `contents`), or a whole exported directory.")
    ],
    db: DbDep,
    editor: EditorDep,
) -> ImportPublic:
    """Import an Open Referral UK JSON feed: all of it, or nothing and a list of problems."""
    imported = await transfer.import_batch(db, editor, hsds_files.parse_json_feed(feed))
    return ImportPublic.model_validate(imported)


@router.post(
    "/import/csv",
    response_model=ImportPublic,
    responses=REJECTED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def import_csv(request: Request, db: DbDep, editor: EditorDep) -> ImportPublic:
    """Import the HSDS CSV form (a zip of services.csv, organizations.csv …): all of it, or nothing."""
    data = await request.body()
    if len(data) > MAX_UPLOAD:
        raise hsds_files.rejected("upload", "The file is larger than 20 MB.")
    imported = await transfer.import_batch(db, editor, hsds_files.parse_csv_zip(data))
    return ImportPublic.model_validate(imported)


@router.get("/export", response_model=dict[str, Any])
async def export_json(db: DbDep, user: StaffUser) -> dict[str, Any]:
    """The whole directory as JSON, in the shape the import accepts."""
    return await transfer.export_json(db)


@router.get("/export.zip", response_class=Response, responses={200: {"content": {"application/zip": {}}}})
async def export_csv(db: DbDep, user: StaffUser) -> Response:
    """The whole directory in the HSDS CSV form, as a zip."""
    data = await transfer.export_csv_zip(db)
    return Response(
        data, media_type="application/zip", headers={"Content-Disposition": 'attachment; filename="directory-hsds.zip"'}
    )
