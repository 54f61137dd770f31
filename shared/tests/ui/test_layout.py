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
