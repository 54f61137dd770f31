"""The pure rules, without a database, broker or web server."""

from datetime import UTC, date, datetime, timedelta

import pytest

from feedback import domain, redaction
from feedback.bank_holidays import in_england
from feedback.domain import THE_PUBLIC, RaisedBy, RecordedBy, Rules, SourceKind, Voice
from forum_shared.errors import RuleBroken


def test_the_bank_holidays_are_englands_as_the_holidays_package_lists_them_every_year_from_1980_to_2045():
    import holidays

    from feedback.bank_holidays import in_year

    for year in range(1980, 2046):
        assert in_year(year) == frozenset(holidays.UK(subdiv="ENG", years=year)), year


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


def voice(
    n: int, source: str | None, days_ago: float = 1, themes=("waiting times",), polarity: str | None = "negative"
) -> Voice:
    return Voice(f"f{n}", source, tuple(themes), NOW - timedelta(days=days_ago), polarity)


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


def test_the_public_counts_as_one_source_however_many_write_and_other_themes_do_not_count():
    voices = [voice(1, "community_group:a"), voice(2, THE_PUBLIC), voice(3, THE_PUBLIC),
              voice(4, "community_group:c", themes=("carers",))]
    assert cluster(voices) is None
    assert cluster([*voices, voice(5, "pop_up_forum:p")]) is not None


def test_praise_never_counts_toward_a_cluster_and_unsaid_polarity_waits_for_triage():
    praise = [voice(n, f"community_group:{n}", polarity="positive") for n in range(3)]
    assert cluster(praise) is None
    unsaid = [voice(n, f"community_group:{n}", polarity=None) for n in range(3)]
    assert cluster(unsaid) is None
    mixed = [voice(n, f"community_group:{n}", polarity="mixed") for n in range(3)]
    assert cluster(mixed) is not None
    assert cluster([*praise[:2], mixed[2]]) is None


def test_voices_older_than_the_window_do_not_count():
    voices = [voice(1, "community_group:a", days_ago=31), voice(2, "community_group:b"), voice(3, "community_group:c")]
    assert cluster(voices) is None
    assert cluster(voices, window_days=31) is not None


def test_a_group_counts_once_whether_heard_directly_or_at_its_pop_up_forum():
    source = domain.cluster_source
    direct = source(RecordedBy.partner, community_group_id="g1", pop_up_id=None, meeting_id=None, partner_id="t")
    at_pop_up = source(RecordedBy.staff, community_group_id="g1", pop_up_id="p1", meeting_id=None, partner_id=None)
    assert direct == at_pop_up == "community_group:g1"
    assert source(RecordedBy.staff, community_group_id=None, pop_up_id=None, meeting_id=None, partner_id=None) == (
        THE_PUBLIC
    )


def test_whatever_the_public_sends_is_the_publics_one_voice_links_and_all():
    claimed = domain.cluster_source(
        RecordedBy.public, community_group_id="g1", pop_up_id="p1", meeting_id="m1", partner_id=None
    )
    assert claimed == THE_PUBLIC


def test_only_staff_and_partners_programs_may_speak_for_a_group():
    assert (domain.recorded_by("staff"), domain.recorded_by("admin")) == (RecordedBy.staff, RecordedBy.staff)
    assert domain.recorded_by("partner") == RecordedBy.partner
    assert domain.recorded_by("governor") == domain.recorded_by(None) == RecordedBy.public
    with pytest.raises(RuleBroken, match="Only forum staff, or a partner organisation's program"):
        domain.require_may_speak_for_a_group(RecordedBy.public)
    domain.require_may_speak_for_a_group(RecordedBy.staff)
    domain.require_may_speak_for_a_group(RecordedBy.partner)


def test_a_clusters_reason_gives_its_sources_window_threshold_and_rule():
    sources = ["community_group:a", "community_group:b", "pop_up_forum:p", THE_PUBLIC]
    reason = domain.cluster_reason("waiting times", sources, window_days=30, min_sources=3)
    assert reason.startswith(
        "4 distinct verified sources (2 community groups, 1 pop-up forum, the public as one source) raised "
        "“waiting times” as a concern within 30 days; the forum escalates at 3."
    )
    assert "never praise" in reason
    summary = domain.cluster_summary("waiting times", sources, 30)
    assert summary == "“waiting times” raised by 4 different sources within 30 days"


def test_automatic_routes_say_the_rule_they_met():
    assert "escalates at 4 or above" in domain.automatic_reason(RaisedBy.criticality, 5, 4)
    assert "safeguarding concern" in domain.automatic_reason(RaisedBy.safeguarding, None, 5)


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


def test_an_erased_persons_name_email_and_phone_are_masked_however_they_were_written():
    text = (
        "I am SAM  jones; write to sam.jones@example.org or ring 07700 900123, +44 (0)7700-900-123. "
        "Samjones and Sam Jonesy are someone else. [removed] stays."
    )
    masked, removed = redaction.mask_person(
        text, name="Sam Jones", email="sam.jones@example.org", phone="07700900123"
    )
    assert masked == (
        "I am [removed]; write to [removed] or ring [removed], [removed]. "
        "Samjones and Sam Jonesy are someone else. [removed] stays."
    )
    assert removed >= 4
    assert redaction.mask_person("Nothing here", name="Sam Jones", email=None, phone="12") == ("Nothing here", 0)


def test_staff_redact_chosen_words_everywhere_and_a_redaction_that_changes_nothing_is_refused():
    text, removed = redaction.redact("Ask Priya or priya's team; Priyanka knows", ["Priya"])
    assert (text, removed) == ("Ask [removed] or [removed]'s team; Priyanka knows", 2)
    with pytest.raises(RuleBroken, match="None of those words"):
        redaction.redact(text, ["Sam", "removed"])


def test_the_words_to_choose_from_are_each_word_once_in_order():
    assert redaction.words_of("Call Jo-Ann at jo.ann@example.org. Jo-Ann said [removed] hi") == [
        "Call", "Jo-Ann", "at", "jo.ann@example.org", "said", "hi"
    ]


def test_an_email_greets_someone_only_by_a_plain_name():
    assert domain.greeting_name("  Siân  O’Brien-Jones ") == "Siân O’Brien-Jones"
    assert domain.greeting_name("Dr. Ann") == "Dr. Ann"
    for odd in (None, "", "Win £500 at https://example.com", "Call 0800 123", "Sam <script>", "x" * 61):
        assert domain.greeting_name(odd) is None, odd
