"""The layout every page shares."""

from .conftest import BROWSER, start_web


async def test_every_page_links_to_the_forums_other_services_but_not_itself(database_url):
    sites = {"toy": "http://toy.example", "membership": "https://join.example.org", "signposting": "https://groups.example.org/"}
    web = await start_web(await database_url("toy"), forum_sites=sites)
    try:
        page = (await web.client.get("/notes/new", headers=BROWSER)).text
    finally:
        await web.client.aclose()
        await web.kit.db.dispose()
    assert "More from the Partnership Forum" in page
    assert '<a class="forum-footer__link" href="https://join.example.org/">Join the forum</a>' in page
    assert '<a class="forum-footer__link" href="https://groups.example.org/">Find a local group</a>' in page
    assert "http://toy.example" not in page
    header = page[page.index('<header class="forum-header">'):page.index("</header>")]
    # The header too, where people look first: the other services by what they are for.
    assert 'href="https://join.example.org/">Join the forum</a>' in header
    assert 'href="https://groups.example.org/">Find a local group</a>' in header


def test_every_service_is_named_for_what_people_come_for_not_its_internal_name():
    import importlib

    for name in ("membership", "meetings", "feedback", "signposting"):
        app = importlib.import_module(f"{name}.app").create_app(
            importlib.import_module(f"{name}.config").Settings(database_url="sqlite+aiosqlite:///:memory:")
        )
        title = app.state.kit.title
        # Not "Partnership Forum — meetings": what the service does, in words people use.
        assert title.lower() != name and "partnership forum" not in title.lower() and len(title.split()) > 2, title
