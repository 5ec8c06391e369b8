"""Where a demo record came from in the council papers (`000_….txt:768`) is for officers checking it: no
public page, nor a group editor's, shows it (issue 15 item 7; the quarterly report's pages and files are
issue 17's)."""

import re

import pytest

from app.assets.models import CommunityAsset
from app.extensions import db

from .conftest import sign_in

REFERENCE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")
SKIP = ("/static/", "/reporting", "/api/", "/sign-out")
FILES = (".csv", ".pdf", ".xlsx", ".json", ".ics", ".zip", ".geojson")


@pytest.fixture
def demo(app, wards, taxonomies):
    from seed import loader

    loader.load_demo_organisations()
    for load in loader.module_demo_loaders():
        load()


def _crawl(client, start=("/",), limit=400):
    """{path: page text} for every same-site page reachable from `start` by links (files left out)."""
    seen, todo, pages = set(), list(start), {}
    while todo and len(seen) < limit:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        pages[path] = response.get_data(as_text=True)
        for href in re.findall(r'href="(/[^"#?]*)', pages[path]):
            if not href.startswith("//") and not href.startswith(SKIP) and not href.endswith(FILES):
                todo.append(href)
    return pages


def _with_references(pages):
    return {path: REFERENCE.search(text).group(0) for path, text in pages.items() if REFERENCE.search(text)}


def test_no_public_page_shows_a_source_reference(client, demo):
    pages = _crawl(client)
    assert len(pages) > 50 and any(path.startswith("/assets-register/") for path in pages)
    assert _with_references(pages) == {}


def test_a_group_editor_sees_none_and_an_officer_sees_where_an_asset_came_from(app, client, demo, make_user):
    from app.directory.models import Organisation

    organisation = db.session.scalar(db.select(Organisation).order_by(Organisation.id))
    editor = make_user("group_editor", organisations=[organisation])
    sign_in(client, editor.email)
    assert _with_references(_crawl(client, start=("/", "/account", "/directory/mine"), limit=150)) == {}

    asset = db.session.scalar(db.select(CommunityAsset).where(CommunityAsset.source.is_not(None)))
    officer_client = app.test_client()
    sign_in(officer_client, make_user("strategy_officer").email)
    page = officer_client.get(f"/assets-register/{asset.id}").get_data(as_text=True)
    assert f"Source: council committee papers ({asset.source})" in page
