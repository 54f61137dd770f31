"""Staff take words that identify someone out of a piece of feedback: each word or phrase they
choose is replaced by "[removed]" wherever it appears. The audit log says who did it and how many
words went, never which; once it commits, the old words leave the database's files too."""

from __future__ import annotations

from feedback import redaction
from feedback.records import Feedback
from feedback.schemas import FeedbackRedaction
from feedback.service import Actor
from feedback.store import feedback_queries
from forum_shared.db import Database
from forum_shared.unit_of_work import unit_of_work


async def redact_feedback(db: Database, actor: Actor, feedback_id: str, data: FeedbackRedaction) -> Feedback:
    """Replace the chosen words in the feedback's text by "[removed]"; refused if none is there."""
    async with unit_of_work(db, actor, "feedback.redacted", f"feedback:{feedback_id}") as work:
        item = await feedback_queries.load_feedback(work.session, feedback_id)
        text, removed = redaction.redact(item.text, data.words)
        await feedback_queries.save_text(work.session, feedback_id, text)
        work.audit("feedback.redacted", words_removed=removed)
        Database.forget_after_commit(work.session)
        return await feedback_queries.load_feedback(work.session, feedback_id)


def words_to_choose(item: Feedback) -> list[str]:
    """The words of the feedback staff may choose from, each once, in the order they appear."""
    return redaction.words_of(item.text)
