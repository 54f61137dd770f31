"""Structured logs: every line written while a request or an event is handled carries its ids, the
forum's own lines and the libraries' alike, and the events recorded meanwhile name their cause."""

import io
import json
import logging
import sys

import pytest

from forum_shared import logs


@pytest.fixture
def json_lines(monkeypatch):
    """The JSON lines logged since the last call (logs go to stderr, as JSON outside development)."""
    stream = io.StringIO()
    with monkeypatch.context() as patched:
        patched.setattr(sys, "stderr", stream)
        logs.configure("INFO", "json")

    def read() -> list[dict]:
        lines, _ = stream.getvalue().splitlines(), stream.truncate(0)
        stream.seek(0)
        return [json.loads(line) for line in lines if line.startswith("{")]

    yield read
    logs.configure()


def test_a_line_logged_while_a_request_is_handled_carries_its_ids(json_lines):
    log = logs.get_logger("forum.test")
    with logs.caused_by("req-1", None, request_id="req-1"):
        log.info("handling")
        assert logs.current_cause() == ("req-1", "req-1")
    log.info("after")
    handling, after = json_lines()
    assert (handling["request_id"], handling["causation_id"], handling["correlation_id"]) == ("req-1",) * 3
    assert not {"request_id", "causation_id", "correlation_id"} & after.keys()
    assert logs.current_cause() == (None, None)


def test_an_event_handled_within_a_request_adds_its_own_ids_and_keeps_the_requests(json_lines):
    log = logs.get_logger("forum.test")
    with logs.caused_by("req-2", None, request_id="req-2"):
        with logs.caused_by("evt-9", "corr-3", event_id="evt-9", consumer="feedback-reactions"):
            log.info("inner", consumer="named on the line")
            assert logs.current_cause() == ("evt-9", "corr-3")
        log.info("outer again")
    inner, outer = json_lines()
    assert inner["request_id"] == "req-2" and inner["event_id"] == "evt-9"
    assert (inner["causation_id"], inner["correlation_id"]) == ("evt-9", "corr-3")
    assert inner["consumer"] == "named on the line"  # a field the line gives is kept
    assert "event_id" not in outer and outer["causation_id"] == "req-2"


def test_the_libraries_lines_carry_the_ids_too(json_lines):
    with logs.caused_by("req-3", None, request_id="req-3"):
        logging.getLogger("some.library").warning("a library's warning")
    [line] = [line for line in json_lines() if line.get("event") == "a library's warning"]
    assert line["request_id"] == "req-3" and line["correlation_id"] == "req-3"
