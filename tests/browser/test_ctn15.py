"""Issue 15 items 5 and 6 in a real browser, at desktop width and at 375 px: the dashboard's chart labels are
readable (apart, inside the chart, not tiny), and the meetings pages with their calendar links are accessible."""

import re
from datetime import timedelta

import pytest

from app.ctn.demo import load_demo
from app.ctn.models import Meeting
from app.extensions import db
from app.timeutil import utcnow

from .conftest import sign_in_page

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)

# Each chart's x labels as boxes on the screen, and the chart's own box.
LABEL_BOXES = """() => [...document.querySelectorAll('svg.ctn-chart')].map(svg => ({
    svg: svg.getBoundingClientRect().toJSON(),
    labels: [...svg.querySelectorAll('.ctn-chart__x-label')]
        .map(t => ({text: t.textContent, box: t.getBoundingClientRect().toJSON()})),
    fontPx: svg.querySelector('.ctn-chart__x-label') ?
        parseFloat(getComputedStyle(svg.querySelector('.ctn-chart__x-label')).fontSize)
            * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : null,
}))"""


def _overlap(a, b):
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    )


def _labels_overlap_rotated(a, b):
    # Rotated labels' bounding boxes overlap even when the text does not: compare along the axis instead,
    # where neighbours must be at least a line apart (their tick positions are their right edges).
    return abs(a["right"] - b["right"]) < (a["bottom"] - a["top"]) * 0.45


@pytest.fixture
def officer_page(live_server, page, make_user, app, organisation, wards):
    load_demo()
    start = utcnow().replace(hour=17, minute=0, second=0, microsecond=0) + timedelta(days=14)  # ends the same day
    meeting = Meeting(
        title="Winter open meeting",
        theme="Food security",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue_name="OneStoneGrove",
        capacity=30,
    )
    db.session.add(meeting)
    db.session.commit()
    officer = make_user("strategy_officer")
    sign_in_page(page, live_server, officer.email)
    page.meeting = meeting
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_dashboard_chart_labels_are_readable(live_server, officer_page, check_page, width):
    page = officer_page
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/ctn/manage?year=2019", "/ctn/manage"):
        page.goto(live_server + path)
        check_page(f"{path} at {width}px")
        charts = page.evaluate(LABEL_BOXES)
        assert charts, path
        for chart in charts:
            labels = chart["labels"]
            assert len(labels) >= 2, (path, chart)
            assert chart["fontPx"] >= 9, (path, width, chart["fontPx"])
            svg = chart["svg"]
            for label in labels:
                box = label["box"]
                # Inside the chart: nothing clipped, the last label included.
                assert box["left"] >= svg["left"] - 0.5 and box["right"] <= svg["right"] + 0.5, (path, width, label)
                assert box["top"] >= svg["top"] - 0.5 and box["bottom"] <= svg["bottom"] + 0.5, (path, width, label)
            for a, b in zip(labels, labels[1:], strict=False):
                assert not _labels_overlap_rotated(a["box"], b["box"]), (path, width, a, b)
        # The accessible table is still there.
        assert page.locator("table", has_text="Confirmed members at the end of each month").count() == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_meetings_pages_with_calendar_links(live_server, officer_page, check_page, width):
    page = officer_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/ctn/meetings")
    check_page(f"meetings at {width}px")
    assert page.locator("#not-held").is_visible()
    page.goto(live_server + f"/ctn/meetings/{page.meeting.id}")
    check_page(f"meeting at {width}px")
    for name in ("Add to Google Calendar", "Add to Outlook.com", "Download a calendar file (.ics)"):
        assert page.get_by_role("link", name=name).first.is_visible(), name


@pytest.mark.parametrize("width", WIDTHS)
def test_member_and_steering_group_editing_in_the_browser(live_server, officer_page, check_page, width):
    from app.ctn.models import Member, SteeringSeat

    page = officer_page
    page.set_viewport_size({"width": width, "height": 900})
    member = db.session.scalar(db.select(Member).order_by(Member.id))
    page.goto(live_server + f"/ctn/manage/members/{member.id}")
    page.get_by_role("link", name="Edit details").click()
    page.wait_for_url(f"**/ctn/manage/members/{member.id}/edit")  # the edit page, not the one we left
    check_page(f"member edit at {width}px")
    page.get_by_label("Full name").fill("")
    page.get_by_role("button", name="Save changes").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Enter the member's full name" in page.locator(".govuk-error-summary").inner_text()
    check_page(f"member edit errors at {width}px")
    page.get_by_label("Full name").fill("Corrected Name")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", name="Corrected Name").wait_for()
    page.goto(live_server + "/ctn/manage/steering-group")
    check_page(f"steering group at {width}px")
    seat = db.session.scalar(db.select(SteeringSeat).order_by(SteeringSeat.position.desc()))
    page.goto(live_server + f"/ctn/manage/steering-group/{seat.id}/edit")
    check_page(f"seat edit at {width}px")
    # "Who represents it" narrows the network's members as the officer types (the select, enhanced).
    who = page.get_by_role("combobox", name="Who represents it (optional)")
    assert "member_id-hint" in who.get_attribute("aria-describedby").split()  # its hint is read with it
    who.fill("Corrected")
    option = page.get_by_role("option", name=re.compile("^Corrected Name"))
    option.wait_for()
    assert page.get_by_role("option").count() == 1
    check_page(f"seat edit, member suggested, at {width}px")
    option.click()
    page.get_by_role("button", name="Save seat").click()
    page.wait_for_url("**/ctn/manage/steering-group")
    assert "Corrected Name" in page.locator(f"#seat-{seat.id}").inner_text()
