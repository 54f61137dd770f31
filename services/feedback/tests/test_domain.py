"""The pure rules, without a database, broker or web server."""

from datetime import UTC, date, datetime, timedelta

import pytest

from feedback import domain
from feedback.bank_holidays import in_england
from feedback.domain import RaisedBy, Rules, SourceKind, Voice
from forum_shared.errors import RuleBroken


def test_respond_by_counts_working_days_skipping_weekends_and_england_bank_holidays():
    # Friday 18 Dec 2026: Christmas Day (Fri 25), the Boxing Day substitute (Mon 28) and New
    # Year's Day (Fri 1 Jan) are skipped as well as weekends.
    assert domain.respond_by(date(2026, 12, 18), 1, in_england) == date(2026, 12, 21)
    assert domain.respond_by(date(2026, 12, 18), 5, in_england) == date(2026, 12, 29)
    assert domain.respond_by(date(2026, 12, 18), 20, in_england) == date(2027, 1, 20)


def test_the_raised_day_is_reckoned_in_the_forums_time_zone():
    late_evening_in_summer = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)  # already 1 July in London
    assert Rules().local_date(late_evening_in_summer) == date(2027, 7, 1)


NOW = datetime(2027, 3, 31, 12, tzinfo=UTC)


def voice(n: int, source: str | None, days_ago: float = 1, themes=("waiting times",)) -> Voice:
    return Voice(f"f{n}", source, tuple(themes), NOW - timedelta(days=days_ago))


def cluster(voices, min_sources=3, window_days=30):
    return domain.theme_cluster(voices, "waiting times", now=NOW, window_days=window_days, min_sources=min_sources)


def test_a_theme_cluster_fires_at_the_threshold_of_distinct_sources_and_not_before():
    two = [voice(1, "community_group:a"), voice(2, "community_group:b")]
    assert cluster(two) is None
    three = [*two, voice(3, "pop_up_forum:p")]
    assert [v.feedback_id for v in cluster(three)] == ["f1", "f2", "f3"]


def test_the_same_source_speaking_twice_is_one_source():
    voices = [voice(1, "community_group:a"), voice(2, "community_group:a"), voice(3, "community_group:b")]
    assert cluster(voices) is None


def test_individuals_and_other_themes_do_not_make_a_cluster():
    voices = [voice(1, "community_group:a"), voice(2, None), voice(3, None),
              voice(4, "community_group:c", themes=("carers",))]
    assert cluster(voices) is None


def test_voices_older_than_the_window_do_not_count():
    voices = [voice(1, "community_group:a", days_ago=31), voice(2, "community_group:b"), voice(3, "community_group:c")]
    assert cluster(voices) is None
    assert cluster(voices, window_days=31) is not None


def test_a_group_counts_once_whether_heard_directly_or_at_its_pop_up_forum():
    direct = domain.cluster_source(community_group_id="g1", pop_up_id=None, meeting_id=None, partner_id=None)
    at_pop_up = domain.cluster_source(community_group_id="g1", pop_up_id="p1", meeting_id=None, partner_id=None)
    assert direct == at_pop_up == "community_group:g1"
    assert domain.cluster_source(community_group_id=None, pop_up_id=None, meeting_id=None, partner_id=None) is None


def test_source_kind_follows_the_most_specific_link():
    kind = domain.source_kind
    assert (
        kind("online", community_group_id=None, pop_up_id=None, meeting_id=None, partner_id=None)
        == SourceKind.individual
    )
    assert (
        kind("online", community_group_id="g", pop_up_id="p", meeting_id=None, partner_id=None)
        == SourceKind.pop_up_forum
    )
    assert (
        kind("partner", community_group_id=None, pop_up_id=None, meeting_id=None, partner_id="x")
        == SourceKind.partner_organisation
    )


def test_safeguarding_and_top_criticality_escalate_by_themselves():
    assert domain.automatic_route(safeguarding_concern=True, criticality=None, threshold=5) == RaisedBy.safeguarding
    assert domain.automatic_route(safeguarding_concern=False, criticality=5, threshold=5) == RaisedBy.criticality
    assert domain.automatic_route(safeguarding_concern=False, criticality=4, threshold=5) is None


def test_escalations_move_raised_acknowledged_responded_resolved():
    assert domain.status_after_acknowledgement("raised", None) == "acknowledged"
    with pytest.raises(RuleBroken, match="already acknowledged by Ann"):
        domain.status_after_acknowledgement("acknowledged", "Ann")
    assert domain.escalation_status_after_response("acknowledged") == "responded"
    with pytest.raises(RuleBroken, match="Publish a response"):
        domain.status_after_resolution("acknowledged")
    assert domain.status_after_resolution("responded") == "resolved"


def test_feedback_moves_new_triaged_responded_closed():
    assert domain.status_after_triage("new") == "triaged"
    assert domain.status_after_triage("responded") == "responded"
    assert domain.status_after_response("triaged") == "responded"
    with pytest.raises(RuleBroken):
        domain.status_after_triage("closed")
    with pytest.raises(RuleBroken):
        domain.status_after_closing("closed")


def test_overdue_means_past_respond_by_with_no_response():
    due = date(2027, 4, 1)
    assert not domain.is_overdue("raised", due, due)
    assert domain.is_overdue("acknowledged", due, due + timedelta(days=1))
    assert not domain.is_overdue("responded", due, due + timedelta(days=30))


def test_a_source_reads_in_public_without_anyone_in_it():
    words = domain.describe_source("pop_up_forum", group_name="Wisbech Mind", area="Fenland", month="March 2027")
    assert words == "A pop-up forum with Wisbech Mind, Fenland, March 2027"
    assert domain.describe_source("individual", group_name=None, area=None, month="March 2027") == (
        "A member of the public, March 2027"
    )
