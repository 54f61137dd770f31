"""Staff take words that identify someone out of a piece of feedback, through the use case
directly (fast tier)."""

import pytest

from feedback.schemas import FeedbackCreate, FeedbackRedaction
from feedback.service import intake, redaction, reports, triage
from forum_shared.audit import list_audit
from forum_shared.errors import NotFound, RuleBroken

WORDS = "Jordan Ashby at the Ely clinic told me to ring 01353 000111. Jordan was kind."


async def test_chosen_words_become_removed_everywhere_in_the_feedback(db, rules, staff):
    item = await intake.receive_feedback(db, "anonymous", FeedbackCreate(text=WORDS), rules)
    assert "Jordan" in redaction.words_to_choose(item) and "01353" in redaction.words_to_choose(item)
    done = await redaction.redact_feedback(
        db, staff, item.id, FeedbackRedaction(words=["Jordan", "Ashby", "01353", "000111"])
    )
    assert done.text == "[removed] [removed] at the Ely clinic told me to ring [removed] [removed]. [removed] was kind."
    assert "Jordan" not in await reports.feedback_csv(db, rules)
    assert "Jordan" not in redaction.words_to_choose(done)


async def test_the_audit_entry_says_how_many_words_went_never_which(db, rules, staff):
    item = await intake.receive_feedback(db, "anonymous", FeedbackCreate(text=WORDS), rules)
    await redaction.redact_feedback(db, staff, item.id, FeedbackRedaction(words=["Jordan Ashby", "01353"]))
    async with db.read() as session:
        [entry], _ = await list_audit(session, action="feedback.redacted")
    assert (entry["target"], entry["actor"]) == (f"feedback:{item.id}", staff.actor)
    assert entry["details"] == {"words_removed": 3}
    assert "Jordan" not in repr(entry) and "01353" not in repr(entry)


async def test_a_redaction_that_would_change_nothing_is_refused_and_not_audited(db, rules, staff, audited):
    item = await intake.receive_feedback(db, "anonymous", FeedbackCreate(text=WORDS), rules)
    with pytest.raises(RuleBroken, match="None of those words"):
        await redaction.redact_feedback(db, staff, item.id, FeedbackRedaction(words=["Priya"]))
    assert (await triage.get_feedback(db, item.id)).text == WORDS
    assert await audited("feedback.redacted") == 0
    with pytest.raises(NotFound):
        await redaction.redact_feedback(db, staff, "nope", FeedbackRedaction(words=["Jordan"]))
