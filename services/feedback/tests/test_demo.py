"""The demo data loader fills an empty service through its API, and the pages show it."""

import datetime

from feedback import demo

HTML = {"accept": "text/html"}


async def test_the_demo_fills_the_pages(start_feedback):
    async with start_feedback() as fb:
        made = await demo.load(fb.admin, datetime.date.today())
        assert len(made["feedback_ids"]) == len(demo.FEEDBACK) == 25
        assert len(made["response_ids"]) == 3

        escalations = (await fb.admin.get("/escalations")).json()
        assert {e["raised_by"] for e in escalations} == {"staff", "theme_cluster"}
        cluster = next(e for e in escalations if e["raised_by"] == "theme_cluster")
        assert (cluster["status"], cluster["acknowledged_by"]) == ("acknowledged", demo.GOVERNOR)
        feedback = (await fb.admin.get("/feedback", params={"limit": 100})).json()
        anonymous = [f for f in feedback if not f["contact_consent"]]
        assert 15 < len(anonymous) < 25
        assert {f["status"] for f in feedback} == {"new", "triaged", "responded", "closed"}

        staff_list = await fb.admin.get("/staff/feedback", headers=HTML)
        assert "25 pieces of feedback" in staff_list.text
        governors = await fb.admin.get("/governors/escalations", headers=HTML)
        assert "Crisis team told people to ring back in the morning" in governors.text
        assert "waiting times" in governors.text
        public = await fb.client.get("/you-said-we-did", headers=HTML)
        assert "a small family room has been opened" in public.text
        assert "Alex Fairweather" not in public.text
