"""The shared forms kit (app/forms.py): every form is a `Form`, and every single-line text field of every form
refuses line breaks and other control characters with a message (issue 12, finding 7)."""

import importlib
import pkgutil

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

import app as app_package
from app.extensions import db
from app.forms import Form, is_single_line, one_line

from .conftest import post_form
from .directory_helpers import add_postcodes, make_listing

BREAKS = [
    "Line\r\nbreak",
    "Line\nbreak",
    "Line\rbreak",
    "Tab\there",
    "Bell\x07",
    "Esc\x1b[31m",
    "Next\x85line",
    "Sep\u2028arator",
    "Para\u2029graph",
    "cod\u202eexe.doc",
    "Del\x7f",
]


def _all_form_classes():
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    found, todo = set(), [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("app.") and sub not in found:
                found.add(sub)
            todo.append(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def test_every_form_in_the_portal_uses_the_kit(app):
    forms = _all_form_classes()
    assert len(forms) > 40
    assert [f"{cls.__module__}.{cls.__name__}" for cls in forms if not issubclass(cls, Form)] == []


def test_every_single_line_field_of_every_form_refuses_line_breaks(app):
    checked, missed = 0, []
    for cls in _all_form_classes():
        if cls is Form:
            continue
        with app.test_request_context("/", method="POST"):
            probe = cls(formdata=MultiDict(), meta={"csrf": False})
            names = [field.name for field in probe if is_single_line(field) and field.type != "CSRFTokenField"]
        for name in names:
            for value in BREAKS[:2] + BREAKS[-4:]:
                with app.test_request_context("/", method="POST"):
                    form = cls(formdata=MultiDict({name: value}), meta={"csrf": False})
                    for field in form:  # choices are filled in by the views
                        if hasattr(field, "choices") and field.choices is None:
                            field.choices = []
                    try:
                        form.validate()
                    except Exception as exc:  # a form's own checks meeting odd data: not what is tested here
                        missed.append(f"{cls.__name__}.{name}: {exc!r}")
                        continue
                    errors = " ".join(form[name].errors)
                    checked += 1
                    if "must be on one line" not in errors:
                        missed.append(f"{cls.__name__}.{name} accepted {value!r}")
    assert checked > 100
    assert missed == []


def test_text_areas_keep_line_breaks_but_refuse_other_control_characters(app):
    from app.directory.forms import ProblemForm

    with app.test_request_context("/", method="POST"):
        form = ProblemForm(formdata=MultiDict({"details": "Line one\r\nLine two\tand a tab"}), meta={"csrf": False})
        form.validate()
        assert form.details.errors == []
        form = ProblemForm(formdata=MultiDict({"details": "Ring\x07"}), meta={"csrf": False})
        form.validate()
        assert "must not contain control characters" in " ".join(form.details.errors)


def test_what_single_line_fields_allow():
    from app.forms import control_characters

    for fine in (
        "Zoë's Café",
        "\u0639\u0631\u0628\u064a \u200f(Arabic)",
        "👩\u200d👩\u200d👧",
        "Ŝ\u200cx",
        "  spaced  ",
    ):
        assert control_characters(fine) == [], fine
    for refused in ("a\u202eb", "a\u2066b", "a\x00b", "a\nb"):
        assert control_characters(refused), refused
    assert control_characters("a\r\nb\tc", multiline=True) == []


def test_one_line():
    assert one_line("A\r\nBcc: x@example.org") == "A Bcc: x@example.org"
    assert one_line("  A\u2028B\x00C\t ") == "A B C"
    assert one_line(None) == ""


def test_a_listing_name_with_a_line_break_is_refused_on_the_page(app, client, wards, taxonomies):
    from app.directory.models import ListingDraft, Organisation

    from .listing_editor import register, start_registration

    start_registration(client)
    response = register(
        client, "about", {"name": "Hendon Lunch Club\r\nBcc: everyone@example.org", "description": "Lunch"}
    )
    assert response.status_code == 200
    assert "must be on one line" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Organisation).where(Organisation.name.contains("Bcc"))) is None
    assert all("Bcc" not in (draft.payload or "") for draft in db.session.scalars(db.select(ListingDraft)))


def test_a_meeting_title_with_a_line_break_is_refused(client, signed_in_as):
    from app.ctn.models import Meeting

    from .test_ctn_meetings import meeting_form

    signed_in_as("strategy_officer")
    page = post_form(client, "/ctn/manage/meetings/new", meeting_form(title="Open\r\nmeeting")).get_data(as_text=True)
    assert "must be on one line" in page
    assert db.session.scalar(db.select(Meeting)) is None


def test_mail_built_from_a_name_saved_before_the_check_neither_fails_nor_injects(client, outbox, wards, taxonomies):
    """Listings saved before forms refused line breaks still exist: a problem report about one is sent, its
    subject on one line and with no header added."""
    add_postcodes()
    listing = make_listing(
        "Old Club\r\nBcc: attacker@example.org", description="x", categories=["Food"], postcode="NW9 4EW"
    )
    response = post_form(
        client,
        f"/directory/{listing.slug}/report-a-problem",
        {
            "problem": "wrong-hours",
            "details": "Closed now",
            "reporter_email": "resident@example.org",
        },
    )
    assert response.status_code == 200
    assert outbox
    for message in outbox:
        headers = message.message()
        assert "attacker@example.org" not in message.recipients()
        assert headers["Bcc"] is None and "attacker" not in str(headers.keys())
        assert "\r" not in message.subject and "\n" not in message.subject
