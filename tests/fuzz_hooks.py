"""What schemathesis needs to fuzz the forum (loaded by `tests/test_fuzz.py` through
`SCHEMATHESIS_HOOKS`): bodies for the media types it cannot make from a schema, and one correction
to the Open Referral UK profile's own OpenAPI document, which gives `"type": "time"` (not a JSON
Schema type) for its `start_time` and `end_time` parameters."""

import io
import zipfile
from typing import Any

import schemathesis
from hypothesis import strategies as st


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# An HSDS CSV zip: random bytes, a zip of random files, and zips of the right file names with
# random or empty contents.
schemathesis.openapi.media_type(
    "application/zip",
    st.one_of(
        st.binary(max_size=2000),
        st.dictionaries(st.sampled_from(["services.csv", "organizations.csv", "locations.csv", "x.txt"]),
                        st.binary(max_size=500), max_size=4).map(_zip),
        st.just(_zip({"organizations.csv": b"id,name,description\n", "services.csv": b"id,name\n"})),
    ),
)


def _correct(schema: Any) -> None:
    if isinstance(schema, dict):
        if schema.get("type") == "time":
            schema["type"], schema["format"] = "string", "time"
        for value in schema.values():
            _correct(value)
    elif isinstance(schema, list):
        for value in schema:
            _correct(value)


@schemathesis.hook
def before_load_schema(ctx: Any, raw_schema: dict[str, Any]) -> None:
    _correct(raw_schema)
