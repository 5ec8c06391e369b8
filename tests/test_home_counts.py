"""Every figure on the home page equals the figure on the page it links to (issue 14: the covenant showed 0
against "1 faith organisation has signed", assets 8 against 18 in the register)."""

import re

import pytest

from .conftest import GEO_DIR

SECTION = re.compile(
    r'<h2 class="govuk-heading-m"><a class="govuk-link" href="([^"]+)">([^<]+)</a></h2>\s*'
    r'(?:<p[^>]*><span class="portal-figure" data-count>([\d,]+)</span></p>)?'
)


def _count_on(html):
    found = re.findall(r"<span[^>]*data-count>([\d,]+)</span>", html)
    assert len(found) == 1, f"expected one figure marked data-count, found {found}"
    return int(found[0].replace(",", ""))


@pytest.fixture
def demo(app):
    runner = app.test_cli_runner()
    for args in (
        ["seed", "demo", "--password", "a demo passphrase"],
        ["geo", "import-postcodes", str(GEO_DIR / "barnet_postcodes.csv")],
        ["directory", "geocode"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output


def test_every_home_page_figure_equals_the_figure_on_the_page_it_links_to(client, demo):
    home = client.get("/").get_data(as_text=True)
    sections = SECTION.findall(home)
    figures = {title: (href, int(figure.replace(",", ""))) for href, title, figure in sections if figure}
    assert set(figures) == {"Directory", "Wards", "Communities Together Network", "Faith covenant", "Community assets"}
    for title, (href, figure) in figures.items():
        target = client.get(href)
        assert target.status_code == 200, href
        assert _count_on(target.get_data(as_text=True)) == figure, f"{title}: home {figure}, {href} differs"
    # The demo data has signatories and assets without a postcode the ward table knows: they still count.
    assert figures["Faith covenant"][1] >= 1
    assert figures["Wards"][1] == 24


def test_asset_map_counts_agree_with_its_points(client, demo):
    html = client.get("/maps/assets").get_data(as_text=True)
    caption = re.search(r"Assets in the register \((\d+)\), (\d+) on the map", html)
    assert caption, "the table caption gives both the register's and the map's counts"
    points = client.get("/maps/assets/points.json").get_json()["points"]
    assert int(caption.group(2)) == len(points)
    register = client.get("/assets-register/").get_data(as_text=True)
    assert int(caption.group(1)) == _count_on(register)
