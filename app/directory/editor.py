"""The listing editor and registration as a GOV.UK task list (issue 15 item 2; the pattern "Complete multiple
tasks": https://design-system.service.gov.uk/patterns/complete-multiple-tasks/).

Two blueprints share the pages: `listing_editor` (/directory/<slug>/edit/..., a group's editors and strategy
officers) and `registration` (/directory/register/..., anyone). Each page edits one part of a draft kept on
the server (drafts.py) until the person checks their answers and sends it. Claiming a listing keeps its own
one-page form (views.claim): it asks four questions about the person, none about the listing.
"""

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..forms import ConfirmForm
from ..places.services import normalise_postcode, ward_choices
from ..ratelimit import limit_posts
from ..security import GROUP_EDITOR, STRATEGY_OFFICER, public, roles_required
from . import cards, diff, drafts, services, taxonomy
from .forms import (
    AboutForm,
    ContactDetailsForm,
    LocationForm,
    SendForm,
    ServiceForm,
    YourDetailsForm,
    hours_form,
)
from .models import AREA_SCOPE_LABELS, KIND_LABELS, STATUS_LABELS, Organisation

listing_editor = Blueprint("listing_editor", __name__, url_prefix="/directory/<slug>/edit")
registration = Blueprint("registration", __name__, url_prefix="/directory/register")

LISTING_EDITORS = (GROUP_EDITOR, STRATEGY_OFFICER)
SESSION_KEY = "registration_draft"
TERM_FIELDS = (
    ("categories", "category"),
    ("beneficiaries", "beneficiary"),
    ("faiths", "faith"),
    ("languages", "language"),
)


@dataclass
class Journey:
    """Whose listing is being edited, and its draft (None until the first page is saved)."""

    blueprint: str
    organisation: Organisation | None
    officer: bool
    draft: object
    data: dict
    contact: dict

    @property
    def registering(self):
        return self.organisation is None

    def url(self, endpoint, **values):
        if not self.registering:
            values["slug"] = self.organisation.slug
        return url_for(f"{self.blueprint}.{endpoint}", **values)

    def save(self, section, contact=None):
        if self.draft is not None:
            drafts.save(self.draft, self.data, contact, section)
            return
        # An edit's first saved page starts its draft; a second tab (or a double click) that started one
        # at the same moment leaves this page's answers to go into that one.
        self.draft = drafts.start_edit(self.organisation, current_user, self.officer)
        try:
            drafts.save(self.draft, self.data, contact, section)
        except IntegrityError:
            db.session.rollback()
            self.draft = drafts.edit_draft(self.organisation, current_user)
            drafts.save(self.draft, self.data, contact, section)

    def page(self, template, **context):
        return render_template(f"directory/editor/{template}", journey=self, org=self.organisation, **context)


def _edit_journey(slug):
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    if not current_user.can_edit_organisation(organisation):
        abort(403)
    officer = current_user.moderates_listings
    draft = drafts.edit_draft(organisation, current_user)
    data = drafts.data_of(draft) if draft else drafts.edit_starting_point(organisation, officer)[0]
    return Journey("listing_editor", organisation, officer, draft, data, {})


def _registration_journey(item_page=False):
    user = current_user if current_user.is_authenticated else None
    draft = drafts.registration_draft(user) if user else None
    draft = draft or drafts.registration_draft(token=session.get(SESSION_KEY))
    if draft is None:
        # Nothing started (or it was sent): a page about one service or place of it does not exist.
        if item_page:
            abort(404)
        abort(redirect(url_for("registration.start")))
    return Journey("registration", None, False, draft, drafts.data_of(draft), drafts.contact_of(draft))


def _clean(value):
    value = (value or "").strip()
    return value or None


def _item(items, n):
    """The n-th (from 1) of a draft's services or locations, or 404."""
    if not 1 <= n <= len(items):
        abort(404)
    return items[n - 1]


# --- The pages, shared by both journeys ------------------------------------------------------------------


def task_list_page(journey):
    published = services.snapshot(journey.organisation) if journey.draft and not journey.registering else None
    rows = drafts.tasks(
        journey.data,
        journey.contact,
        drafts.touched(journey.draft) if journey.draft else (),
        registering=journey.registering,
        published=published,
    )
    pending = None if journey.registering or journey.officer else services.pending_edit(journey.organisation)
    done = sum(1 for row in rows if row.status == drafts.COMPLETED)
    return journey.page(
        "tasks.html", rows=rows, done=done, pending=pending, discard_form=ConfirmForm(), total=len(rows) - 1
    )


def you_page(journey):
    form = YourDetailsForm()
    if request.method == "GET":
        form.contact_name.data = journey.contact.get("name")
        form.contact_email.data = journey.contact.get("email")
        form.contact_role.data = journey.contact.get("role")
    if form.validate_on_submit():
        contact = {
            "name": form.contact_name.data.strip(),
            "email": form.contact_email.data.strip().lower(),
            "role": form.contact_role.data.strip(),
        }
        journey.save("you", contact=contact)
        return redirect(journey.url("tasks"))
    return journey.page("you.html", form=form)


def about_page(journey):
    org = journey.data["organisation"]
    form = AboutForm()
    if request.method == "GET":
        for field in ("name", "description", "kind", "status", "charity_number", "company_number"):
            getattr(form, field).data = org.get(field)
    if form.validate_on_submit():
        org.update(
            {
                "name": form.name.data.strip(),
                "description": form.description.data.strip(),
                "kind": form.kind.data,
                "status": form.status.data,
                "charity_number": form.charity_number.data or None,
                "company_number": form.company_number.data or None,
            }
        )
        journey.save("about")
        return redirect(journey.url("tasks"))
    return journey.page("about.html", form=form)


def contact_page(journey):
    org = journey.data["organisation"]
    form = ContactDetailsForm()
    if request.method == "GET":
        form.email.data, form.website.data, form.phone.data = org.get("email"), org.get("website"), org.get("phone")
    if form.validate_on_submit():
        org.update(
            {
                "email": _clean(form.email.data and form.email.data.lower()),
                "website": _clean(form.website.data),
                "phone": _clean(form.phone.data),
            }
        )
        journey.save("contact")
        return redirect(journey.url("tasks"))
    return journey.page("contact.html", form=form)


def services_page(journey):
    return journey.page("services.html", summary=_summary(journey.data))


def service_page(journey, n=None):
    service_list = journey.data.setdefault("services", [])
    service = _item(service_list, n) if n is not None else {}
    locations = journey.data.get("locations", [])
    form = ServiceForm()
    form.require_place = journey.registering
    for field, taxonomy_code in TERM_FIELDS:
        getattr(form, field).choices = taxonomy.term_choices(taxonomy_code)
    form.areas.choices = ward_choices()
    form.locations.choices = [(str(i), _place_name(loc)) for i, loc in enumerate(locations)]
    if request.method == "GET" and service:
        form.name.data, form.description.data = service.get("name"), service.get("description")
        for field, taxonomy_code in TERM_FIELDS:
            getattr(form, field).data = [t for t in service.get("terms", []) if t.startswith(taxonomy_code + "/")]
        form.fees_description.data = service.get("fees_description")
        form.minimum_age.data, form.maximum_age.data = service.get("minimum_age"), service.get("maximum_age")
        form.areas.data = service.get("areas", [])
        form.area_scope.data = service.get("area_scope") or ("wards" if form.areas.data else "")
        form.locations.data = [str(i) for i in service.get("locations", [])]
    if form.validate_on_submit():
        terms = [key for field, _ in TERM_FIELDS for key in getattr(form, field).data or []]
        scope = form.area_scope.data or ("wards" if form.areas.data else None)
        service.update(
            {
                "name": form.name.data.strip(),
                "description": form.description.data.strip(),
                "status": journey.data["organisation"].get("status") or "active",
                "fees_description": _clean(form.fees_description.data),
                "minimum_age": form.minimum_age.data,
                "maximum_age": form.maximum_age.data,
                "terms": terms,
                # Wards ticked without choosing "in particular wards" mean those wards; all of the borough
                # or online (wider than any ward) leave the wards out.
                "area_scope": scope,
                "areas": (form.areas.data or []) if scope == "wards" else [],
                # Only places the draft has (Optional() lets an empty or odd value past the choices check).
                "locations": sorted(
                    {int(i) for i in form.locations.data or [] if i.isdigit() and int(i) < len(locations)}
                ),
            }
        )
        for key in ("url", "email", "phone"):
            service.setdefault(key, None)
        service.setdefault("hours", [])
        if n is None:
            service_list.append(service)
            n = len(service_list)
        journey.save("services")
        return redirect(journey.url("service_hours", n=n))
    return journey.page("service.html", form=form, n=n, service=service, has_locations=bool(locations))


def hours_page(journey, n):
    service = _item(journey.data.get("services", []), n)
    hours, closures = service.get("hours", []), service.get("closures", [])
    form = hours_form(hours, closures, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        service["hours"], service["closures"] = form.hours(), form.closures()
        journey.save("services")
        if form.more.data:
            return redirect(journey.url("service_hours", n=n) + "#hours-heading")
        return redirect(journey.url("services_list"))
    return journey.page("hours.html", form=form, n=n, service=service)


def remove_service_page(journey, n):
    service_list = journey.data.get("services", [])
    service = _item(service_list, n)
    form = ConfirmForm()
    if form.validate_on_submit():
        del service_list[n - 1]
        journey.save("services")
        flash(f"Removed {service.get('name') or 'the service'} from your changes", "success")
        return redirect(journey.url("services_list"))
    return journey.page(
        "remove.html", form=form, what="service", name=service.get("name"), back=journey.url("services_list")
    )


def locations_page(journey):
    return journey.page("locations.html", summary=_summary(journey.data))


def location_page(journey, n=None):
    location_list = journey.data.setdefault("locations", [])
    location = _item(location_list, n) if n is not None else {}
    form = LocationForm()
    form.accessibility.choices = taxonomy.term_choices("accessibility")
    if request.method == "GET" and location:
        for field in ("name", "address_1", "address_2", "city", "postcode", "accessibility_notes"):
            getattr(form, field).data = location.get(field)
        form.confidential.data = bool(location.get("confidential"))
        form.accessibility.data = location.get("accessibility", [])
    if form.validate_on_submit():
        location.update(
            {
                "name": _clean(form.name.data) or "",
                "address_1": form.address_1.data.strip(),
                "address_2": _clean(form.address_2.data),
                "city": _clean(form.city.data) or "London",
                "postcode": normalise_postcode(form.postcode.data),
                "confidential": bool(form.confidential.data),
                "accessibility": form.accessibility.data or [],
                "accessibility_notes": _clean(form.accessibility_notes.data),
            }
        )
        if n is None:
            location_list.append(location)
            # A listing's only service runs at its first place unless the group says otherwise.
            service_list = journey.data.get("services", [])
            if len(location_list) == 1 and len(service_list) == 1 and not service_list[0].get("area_scope"):
                service_list[0]["locations"] = [0]
        journey.save("locations")
        return redirect(journey.url("locations_list"))
    return journey.page("location.html", form=form, n=n, location=location)


def remove_location_page(journey, n):
    location = _item(journey.data.get("locations", []), n)
    form = ConfirmForm()
    if form.validate_on_submit():
        drafts.remove_location(journey.data, n - 1)
        journey.save("locations")
        flash(f"Removed {_place_name(location)} from your changes", "success")
        return redirect(journey.url("locations_list"))
    return journey.page(
        "remove.html", form=form, what="place", name=_place_name(location), back=journey.url("locations_list")
    )


def check_page(journey, send):
    rows = drafts.tasks(
        journey.data,
        journey.contact,
        drafts.touched(journey.draft) if journey.draft else (),
        registering=journey.registering,
    )
    form = SendForm()
    if journey.officer:
        form.submit.label.text = "Publish the changes"
    ready = drafts.ready_to_send(rows)
    if request.method == "POST" and not ready:
        form.validate_on_submit()
        form.form_errors = [
            f"Complete “{row.title}” before you send"
            for row in rows
            if row.status != drafts.COMPLETED and row.key in ("you", "about", "services")
        ]
    elif form.validate_on_submit():
        return send(journey, (form.message.data or "").strip() or None)
    return journey.page("check.html", form=form, summary=_summary(journey.data), ready=ready, rows=rows)


# --- Summaries for the services, locations and check-your-answers pages ---------------------------------


def _place_name(location):
    parts = [location.get("name"), location.get("address_1"), location.get("postcode")]
    return ", ".join(p for p in parts if p) or "An unnamed place"


def _hours_lines(hours):
    return [f"{day}: {times}" for day, times in diff.hours_by_day(hours, " and ").items()]


@dataclass
class _Closure:
    starts_on: object
    ends_on: object
    note: str | None


def _closure_lines(closures):
    return [
        cards.closure_text(
            _Closure(
                date.fromisoformat(c["starts_on"]),
                date.fromisoformat(c.get("ends_on") or c["starts_on"]),
                c.get("note"),
            )
        )
        for c in closures
    ]


def _summary(data):
    """What the draft says, in words, for the summary lists."""
    org = data.get("organisation", {})
    names = {}
    for taxonomy_code in ("category", "beneficiary", "faith", "language", "accessibility"):
        names.update(dict(taxonomy.term_choices(taxonomy_code)))
    wards = dict(ward_choices())
    locations = data.get("locations", [])
    return {
        "org": org,
        "kind": KIND_LABELS.get(org.get("kind"), org.get("kind") or ""),
        "status": STATUS_LABELS.get(org.get("status"), org.get("status") or ""),
        "services": [
            {
                "service": s,
                "terms": [names.get(t, t) for t in s.get("terms", [])],
                "where": AREA_SCOPE_LABELS.get(s.get("area_scope"), "Only at the places where it runs"),
                "wards": [wards.get(code, code) for code in s.get("areas", [])],
                "hours": _hours_lines(s.get("hours", [])),
                "closures": _closure_lines(s.get("closures", [])),
                "places": [_place_name(locations[i]) for i in s.get("locations", []) if 0 <= i < len(locations)],
            }
            for s in data.get("services", [])
        ],
        "locations": [
            {
                "location": loc,
                "name": _place_name(loc),
                "access": [names.get(t, t) for t in loc.get("accessibility", [])],
            }
            for loc in locations
        ],
    }


# --- Sending ------------------------------------------------------------------------------------------


def _send_edit(journey, message):
    if journey.draft is None:  # nothing changed yet: send the listing as it stands
        journey.save("check")
    try:
        drafts.send_edit(journey.draft, current_user, journey.officer, message)
    except services.EditConflict as conflict:
        db.session.rollback()
        rows = diff.compare(conflict.theirs, journey.data)
        return (
            render_template(
                "directory/conflict.html",
                org=journey.organisation,
                rows=rows,
                reason=conflict.reason,
                discard_form=ConfirmForm(),
            ),
            409,
        )
    if journey.officer:
        flash("The listing has been updated and published", "success")
        return redirect(url_for("directory.listing", slug=journey.organisation.slug))
    flash("Your changes have been sent to the council. They will appear once an officer approves them.", "success")
    return redirect(url_for("directory.mine"))


def _send_registration(journey, message):
    drafts.send_registration(journey.draft, message)
    session.pop(SESSION_KEY, None)
    return render_template("directory/sent_for_approval.html", what="registration", org=None)


# --- Routes: editing a listing -------------------------------------------------------------------------


@listing_editor.route("")
@roles_required(*LISTING_EDITORS)
def tasks(slug):
    return task_list_page(_edit_journey(slug))


@listing_editor.route("/about", methods=["GET", "POST"])
@roles_required(*LISTING_EDITORS)
def about(slug):
    return about_page(_edit_journey(slug))


@listing_editor.route("/contact", methods=["GET", "POST"])
@roles_required(*LISTING_EDITORS)
def contact(slug):
    return contact_page(_edit_journey(slug))


@listing_editor.route("/services")
@roles_required(*LISTING_EDITORS)
def services_list(slug):
    return services_page(_edit_journey(slug))


@listing_editor.route("/services/new", methods=["GET", "POST"])
@listing_editor.route("/services/<int:n>", methods=["GET", "POST"])
@roles_required(*LISTING_EDITORS)
def service(slug, n=None):
    return service_page(_edit_journey(slug), n)


@listing_editor.route("/services/<int:n>/hours", methods=["GET", "POST"])
@roles_required(*LISTING_EDITORS)
def service_hours(slug, n):
    return hours_page(_edit_journey(slug), n)


@listing_editor.route("/services/<int:n>/remove", methods=["GET", "POST"])
@roles_required(*LISTING_EDITORS)
def service_remove(slug, n):
    return remove_service_page(_edit_journey(slug), n)


@listing_editor.route("/locations")
@roles_required(*LISTING_EDITORS)
def locations_list(slug):
    return locations_page(_edit_journey(slug))


@listing_editor.route("/locations/new", methods=["GET", "POST"])
@listing_editor.route("/locations/<int:n>", methods=["GET", "POST"])
@roles_required(*LISTING_EDITORS)
def location(slug, n=None):
    return location_page(_edit_journey(slug), n)


@listing_editor.route("/locations/<int:n>/remove", methods=["GET", "POST"])
@roles_required(*LISTING_EDITORS)
def location_remove(slug, n):
    return remove_location_page(_edit_journey(slug), n)


@listing_editor.route("/check", methods=["GET", "POST"])
@roles_required(*LISTING_EDITORS)
def check(slug):
    return check_page(_edit_journey(slug), _send_edit)


@listing_editor.route("/discard", methods=["POST"])
@roles_required(*LISTING_EDITORS)
def discard(slug):
    journey = _edit_journey(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if journey.draft is not None:
        drafts.discard(journey.draft)
    flash("Your unsent changes have been deleted: this is the listing as it stands", "success")
    return redirect(journey.url("tasks"))


# --- Routes: registering a new listing ------------------------------------------------------------------


@registration.route("", methods=["GET", "POST"])
@limit_posts("PUBLIC_FORM_RATE_LIMIT")
@public
def start():
    form = ConfirmForm()
    user = current_user if current_user.is_authenticated else None
    existing = drafts.registration_draft(user) if user else None
    existing = existing or drafts.registration_draft(token=session.get(SESSION_KEY))
    if form.validate_on_submit():
        if existing is None:
            _, token = drafts.start_registration(user)
            if token:
                session[SESSION_KEY] = token
        return redirect(url_for("registration.tasks"))
    return render_template("directory/editor/start.html", form=form, existing=existing)


@registration.route("/tasks", endpoint="tasks")
@public
def register_tasks():
    return task_list_page(_registration_journey())


def _register_routes():
    """The registration journey's pages: the editor's pages, open to anyone holding the draft."""
    pages = [
        ("/you", "you", you_page),
        ("/about", "about", about_page),
        ("/contact", "contact", contact_page),
        ("/services", "services_list", services_page),
        ("/services/new", "service", service_page),
        ("/services/<int:n>", "service", service_page),
        ("/services/<int:n>/hours", "service_hours", hours_page),
        ("/services/<int:n>/remove", "service_remove", remove_service_page),
        ("/locations", "locations_list", locations_page),
        ("/locations/new", "location", location_page),
        ("/locations/<int:n>", "location", location_page),
        ("/locations/<int:n>/remove", "location_remove", remove_location_page),
    ]
    views = {}
    for rule, endpoint, page in pages:
        if endpoint not in views:

            def view(page=page, **values):
                return page(_registration_journey(item_page="n" in values), **values)

            view.__name__ = view.__qualname__ = f"register_{endpoint}"
            views[endpoint] = limit_posts("REGISTRATION_DRAFT_RATE_LIMIT")(public(view))
        methods = ["GET"] if endpoint.endswith("_list") else ["GET", "POST"]
        registration.add_url_rule(rule, endpoint, views[endpoint], methods=methods)


_register_routes()


@registration.route("/check", methods=["GET", "POST"], endpoint="check")
@limit_posts("PUBLIC_FORM_RATE_LIMIT")
@public
def register_check():
    return check_page(_registration_journey(), _send_registration)
