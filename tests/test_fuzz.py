"""Each service's OpenAPI document is exact: a property-based tester (schemathesis) sends thousands of
generated requests, anonymous and with a staff token, to the service over real HTTP, and fails on
any 5xx, any status the document does not list for the operation, and any body or content type that
does not match it. Signposting is also checked against the official Open Referral UK profile's
OpenAPI. Bounded in time: `make fuzz` runs it (CI does, after the tests)."""

import asyncio
import os
import sys
from pathlib import Path

import pytest

from .services import NAMES, start

pytestmark = pytest.mark.fuzz

SECONDS = int(os.environ.get("FORUM_FUZZ_SECONDS", "20"))
CHECKS = os.environ.get("FORUM_FUZZ_CHECKS") or (
    "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
    "unsupported_method,allow_header_conformance"
)
ROOT = Path(__file__).parents[1]
ORUK_PROFILE = ROOT / "services" / "signposting" / "tests" / "standards" / "oruk-profile"


async def schemathesis(schema: str, url: str, *options: str, checks: str = CHECKS) -> tuple[int, str]:
    st = Path(sys.executable).parent / "st"
    process = await asyncio.create_subprocess_exec(
        str(st), "run", schema, "--url", url, "--checks", checks, "--max-time", str(SECONDS),
        "--workers", "1", "--no-color", "--suppress-health-check", "all", *options,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.fuzz_hooks", "PYTHONPATH": str(ROOT)}, cwd=ROOT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode(errors="replace")


@pytest.mark.parametrize("name", NAMES)
async def test_every_generated_request_is_answered_as_the_openapi_document_says(name, nats_server, tmp_path):
    database = f"sqlite+aiosqlite:///{tmp_path / name}.db"
    async with await start(name, nats_server, None, database_url=database) as svc, svc.serve_http() as url:
        token = (await svc.as_role("staff")).headers["authorization"]
        for who, options in (("anonymous", ()), ("staff", ("--header", f"Authorization: {token}"))):
            code, output = await schemathesis(f"{url}/openapi.json", url, *options)
            assert code == 0, f"{name}, {who}:\n{output[-20000:]}"


async def test_signposting_answers_every_request_of_the_open_referral_uk_profile_as_it_says(nats_server, tmp_path):
    """The profile's own OpenAPI document lists only the 200 answers, so here every answer must be
    no 5xx, and every 200 must be what the profile describes."""
    database = f"sqlite+aiosqlite:///{tmp_path / 'signposting.db'}"
    async with await start("signposting", nats_server, None, database_url=database) as svc, svc.serve_http() as url:
        await svc.staff.post("/community-groups", json={"name": "Wisbech Wellbeing Café", "areas": ["Fenland"]})
        code, output = await schemathesis(
            str(ORUK_PROFILE / "openapi.json"), url,
            checks="not_a_server_error,content_type_conformance,response_schema_conformance",
        )
        assert code == 0, output[-20000:]
