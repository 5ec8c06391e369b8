import functools
import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.models import User
from ..extensions import db
from ..forms import ConfirmForm
from ..maps import services as map_services
from ..places.models import WARD_SET_2022, Ward
from ..places.services import normalise_postcode
from ..ratelimit import limit_posts
from ..security import GROUP_EDITOR, STRATEGY_OFFICER, public, roles_required
from ..timeutil import utcnow
from . import cards, services, vocabulary
from . import search as directory_search
from .forms import (
    ClaimForm,
    DecisionForm,
    ListingForm,
    PinForm,
    ProblemForm,
    RegisterForm,
    SearchForm,
    SynonymForm,
    normal_time,
)
from .models import WEEKDAYS, ListingChange, ListingVersion, Location, Organisation, ProblemReport, SearchSynonym

bp = Blueprint("directory", __name__, url_prefix="/directory")

MODERATORS = (STRATEGY_OFFICER,)


def _published_or_404(slug):
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
    if organisation is None or not organisation.published:
        abort(404)
    return organisation


@functools.lru_cache(maxsize=4)
def _results_map(tile_url, tile_attribution):
    """The results map's element and script: the same for every search (the points go in the element's data),
    so folium builds it once a process, not once a request."""
    config = {"MAP_TILE_URL": tile_url, "MAP_TILE_ATTRIBUTION": tile_attribution}
    return map_services.render(map_services.new_map(config))


def _ward_choices():
    return [
        (w.code, w.name)
        for w in db.session.scalars(db.select(Ward).where(Ward.ward_set == WARD_SET_2022).order_by(Ward.name))
    ]


# --- Residents: search and listings ------------------------------------------------------------


@bp.route("/")
@public
def index():
    form = SearchForm(request.args)
    form.category.choices = [("", "Any category")] + services.term_choices("category")
    form.ward.choices = [("", "Any ward")] + _ward_choices()
    form.accessibility.choices = services.term_choices("accessibility")
    searched = any(request.args.get(key) for key in ("q", "category", "ward", "accessibility", "open_now", "postcode"))
    results = None
    if searched and form.validate():
        try:
            page = max(1, min(int(request.args.get("page", 1)), 10_000))
        except ValueError:
            page = 1
        query = directory_search.SearchQuery(
            words=form.q.data or "",
            category=form.category.data or "",
            ward=form.ward.data or "",
            accessibility=form.accessibility.data or [],
            open_now=form.open_now.data,
            postcode=normalise_postcode(form.postcode.data) or "",
            # Optional() lets a blank or spaces-only distance through; anything not offered means 1 mile.
            distance_miles=float(form.distance.data) if form.distance.data in dict(form.distance.choices) else 1.0,
            page=page,
        )
        try:
            results = directory_search.search(query)
        except directory_search.UnknownPostcode as exc:
            form.postcode.errors.append(
                f"We cannot find the postcode {exc} in {current_app.config['COUNCIL_NAME'].replace('London Borough of ', '')}. Check it, or search without a postcode"  # noqa: E501
            )
    args = {key: value for key, value in request.args.items(multi=True) if key != "page"}
    result_cards = [cards.card(item) for item in results.items] if results else []
    results_map = points = None
    off_map = []
    if result_cards:
        points = cards.map_points(c.organisation for c in result_cards)
        if points:
            results_map = _results_map(
                current_app.config.get("MAP_TILE_URL"), current_app.config["MAP_TILE_ATTRIBUTION"]
            )
            # Beside the map, in words: the results it cannot show, with the area each one serves.
            off_map = [c for c in result_cards if not cards.map_points([c.organisation])]
    filters_applied = sum(1 for key in ("category", "ward", "open_now", "postcode") if request.args.get(key)) + len(
        form.accessibility.data or []
    )
    no_results_help = None
    if results is not None and results.total == 0:
        no_results_help = {
            "categories": services.term_choices("category"),
            "borough_wide": directory_search.borough_wide(),
            "borough": directory_search.borough_name(),
        }
    return render_template(
        "directory/index.html",
        form=form,
        no_results_help=no_results_help,
        results=results,
        cards=result_cards,
        results_map=results_map,
        points=points,
        off_map=off_map,
        searched=searched,
        describe_miles=directory_search.describe_miles,
        page_args=args,
        filters_applied=filters_applied,
        organisation_count=services.published_organisation_count() if not searched else None,
    )


@bp.route("/<slug>")
@public
def listing(slug):
    organisation = _published_or_404(slug)
    officer = current_user.is_authenticated and current_user.moderates_listings
    can_edit = current_user.is_authenticated and current_user.can_edit_organisation(organisation)
    places = organisation.locations if officer else organisation.public_locations
    points = cards.map_points([organisation])  # public addresses only, even for officers
    listing_map = None
    if points:
        listing_map = map_services.render(map_services.new_map(current_app.config, location=points[0][:2], zoom=15))
    last_checked, out_of_date = cards.last_checked(organisation)
    return render_template(
        "directory/listing.html",
        org=organisation,
        officer=officer,
        can_edit=can_edit,
        places=places,
        opening=cards.opening_for(organisation),
        hours=cards.weekly_hours(organisation),
        tel=cards.tel_href(organisation.phone),
        listing_map=listing_map,
        points=points,
        directions_url=cards.directions_url,
        maps_search_url=cards.maps_search_url,
        tel_href=cards.tel_href,
        last_checked=last_checked,
        out_of_date=out_of_date,
    )


@bp.route("/<slug>/report-a-problem", methods=["GET", "POST"])
@limit_posts("PUBLIC_FORM_RATE_LIMIT")
@public
def report_problem(slug):
    organisation = _published_or_404(slug)
    form = ProblemForm()
    if form.validate_on_submit():
        services.report_problem(
            organisation,
            form.problem.data,
            dict(form.problem.choices)[form.problem.data],
            form.details.data,
            form.reporter_name.data,
            form.reporter_email.data,
        )
        return render_template("directory/problem_sent.html", org=organisation)
    return render_template("directory/report_problem.html", form=form, org=organisation)


@bp.route("/<slug>/claim", methods=["GET", "POST"])
@limit_posts("PUBLIC_FORM_RATE_LIMIT")
@public
def claim(slug):
    organisation = _published_or_404(slug)
    form = ClaimForm()
    if form.validate_on_submit():
        contact = {
            "name": form.contact_name.data.strip(),
            "email": form.contact_email.data.strip().lower(),
            "role": form.contact_role.data.strip(),
        }
        services.submit_claim(
            organisation,
            contact,
            form.message.data.strip(),
            user=current_user if current_user.is_authenticated else None,
        )
        return render_template("directory/sent_for_approval.html", what="claim", org=organisation)
    return render_template("directory/claim.html", form=form, org=organisation)


@bp.route("/register", methods=["GET", "POST"])
@limit_posts("PUBLIC_FORM_RATE_LIMIT")
@public
def register():
    form = RegisterForm()
    _fill_listing_choices(form)
    if request.method == "GET":
        form.kind.data = "vcfs"
        form.status.data = "active"
    if form.validate_on_submit():
        data = _form_to_snapshot(form, services.empty_snapshot())
        contact = {
            "name": form.contact_name.data.strip(),
            "email": form.contact_email.data.strip().lower(),
            "role": form.contact_role.data.strip(),
        }
        services.submit_registration(data, contact, (form.message.data or "").strip() or None)
        return render_template("directory/sent_for_approval.html", what="registration", org=None)
    return render_template("directory/edit.html", form=form, org=None, register=True)


# --- Groups: their own listings ------------------------------------------------------------------


def _editable_or_403(slug):
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    if not current_user.can_edit_organisation(organisation):
        abort(403)
    return organisation


@bp.route("/mine")
@roles_required(GROUP_EDITOR)
def mine():
    organisations = current_user.organisations if not current_user.moderates_listings else []
    pending = {org.id: services.pending_edit(org) for org in organisations}
    return render_template(
        "directory/mine.html", organisations=organisations, pending=pending, confirm_form=ConfirmForm()
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@roles_required(GROUP_EDITOR, *MODERATORS)
def edit(slug):
    organisation = _editable_or_403(slug)
    officer = current_user.moderates_listings
    pending = None if officer else services.pending_edit(organisation)
    current = json.loads(pending.payload) if pending else services.snapshot(organisation)
    form = ListingForm()
    _fill_listing_choices(form)
    if request.method == "GET":
        _snapshot_to_form(current, form)
        form.base_version.data = str(pending.base_version if pending else organisation.version)
        form.draft_revision.data = str(pending.revision if pending else 0)
    if form.validate_on_submit():
        data = _form_to_snapshot(form, current)
        base_version, draft_revision = _int(form.base_version.data), _int(form.draft_revision.data)
        try:
            if officer:
                services.save_officer_edit(organisation, data, current_user, base_version)
                flash("The listing has been updated and published", "success")
            else:
                services.save_edit(
                    organisation,
                    data,
                    current_user,
                    base_version,
                    draft_revision,
                    (form.message.data or "").strip() or None,
                )
                flash(
                    "Your changes have been sent to the council. They will appear once an officer approves them.",
                    "success",
                )
        except services.EditConflict as conflict:
            db.session.rollback()
            rows = services.compare(conflict.theirs, data)
            return render_template("directory/conflict.html", org=organisation, rows=rows, reason=conflict.reason), 409
        return redirect(url_for("directory.listing", slug=organisation.slug) if officer else url_for("directory.mine"))
    return render_template(
        "directory/edit.html", form=form, org=organisation, pending=pending, officer=officer, register=False
    )


@bp.route("/<slug>/confirm", methods=["POST"])
@roles_required(GROUP_EDITOR, *MODERATORS)
def confirm(slug):
    organisation = _editable_or_403(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.confirm_still_right(organisation, current_user)
    flash(f"Thank you: the listing for {organisation.name} is marked as checked today", "success")
    return redirect(
        request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("directory.mine")
    )


@bp.route("/<slug>/history")
@roles_required(GROUP_EDITOR, *MODERATORS)
def history(slug):
    organisation = _editable_or_403(slug)
    versions = db.session.scalars(
        db.select(ListingVersion)
        .where(ListingVersion.organisation_id == organisation.id)
        .order_by(ListingVersion.version.desc())
    ).all()
    changes = []
    for newer, older in zip(versions, versions[1:] + [None], strict=False):
        old = json.loads(older.snapshot) if older else {}
        rows = [row for row in services.compare(old, json.loads(newer.snapshot)) if row[3]]
        changes.append((newer, rows))
    return render_template("directory/history.html", org=organisation, changes=changes)


# --- Officers: moderation, freshness, problems ------------------------------------------------------


@bp.route("/moderation")
@roles_required(*MODERATORS)
def moderation():
    pending = db.session.scalars(
        db.select(ListingChange).where(ListingChange.status == "pending").order_by(ListingChange.submitted_at)
    ).all()
    recent = db.session.scalars(
        db.select(ListingChange)
        .where(ListingChange.status != "pending")
        .order_by(ListingChange.decided_at.desc())
        .limit(20)
    ).all()
    return render_template("directory/moderation.html", pending=pending, recent=recent, loads=json.loads)


@bp.route("/moderation/<int:change_id>", methods=["GET", "POST"])
@roles_required(*MODERATORS)
def review(change_id):
    change = db.get_or_404(ListingChange, change_id)
    payload = json.loads(change.payload)
    form = DecisionForm()
    problem = None
    if form.validate_on_submit():
        try:
            if form.decision.data == "approve":
                organisation = services.approve(change, current_user)
                flash(f"Approved: {organisation.name}", "success")
            else:
                services.reject(change, current_user, form.reason.data)
                flash("Rejected; the group has been told why", "success")
            return redirect(url_for("directory.moderation"))
        except services.ModerationError as exc:
            db.session.rollback()
            problem = str(exc)
            form.decision.errors.append(problem)
    published = services.snapshot(change.organisation) if change.organisation and change.kind == "edit" else {}
    proposed = payload if change.kind == "edit" else payload.get("listing", {})
    rows = services.compare(published, proposed) if change.kind != "claim" else []
    stale = change.kind == "edit" and change.organisation.version != change.base_version
    # Anyone can type any address into a claim or registration: the officer sees when it is an existing
    # account's, whose owner may not have sent it (approving ties the listing to that account).
    contact_email = (payload.get("contact") or {}).get("email") if change.kind in ("claim", "register") else None
    existing_account = User.by_email(contact_email) if contact_email else None
    return render_template(
        "directory/review.html",
        change=change,
        payload=payload,
        rows=rows,
        form=form,
        stale=stale,
        existing_account=existing_account,
    )


@bp.route("/needs-checking")
@roles_required(*MODERATORS)
def needs_checking():
    organisations = db.session.scalars(services.stale_query().limit(500)).all()
    return render_template("directory/needs_checking.html", organisations=organisations, now=utcnow())


@bp.route("/problems")
@roles_required(*MODERATORS)
def problems():
    reports = db.session.scalars(
        db.select(ProblemReport).where(ProblemReport.resolved_at.is_(None)).order_by(ProblemReport.created_at.desc())
    ).all()
    return render_template("directory/problems.html", reports=reports, resolve_form=ConfirmForm())


@bp.route("/problems/<int:report_id>/resolve", methods=["POST"])
@roles_required(*MODERATORS)
def resolve_problem(report_id):
    report = db.get_or_404(ProblemReport, report_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.resolve_problem(report, current_user.id)
    flash("Marked as dealt with", "success")
    return redirect(url_for("directory.problems"))


@bp.route("/<slug>/locations/<int:location_id>/pin", methods=["GET", "POST"])
@roles_required(*MODERATORS)
def pin_location(slug, location_id):
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
    location = db.session.get(Location, location_id)
    if organisation is None or location is None or location.organisation_id != organisation.id:
        abort(404)
    form = PinForm()
    if request.method == "GET" and location.lat is not None:
        form.latitude.data, form.longitude.data = f"{location.lat:.6f}", f"{location.lon:.6f}"
    if form.validate_on_submit():
        ward = services.pin(location, form.lat, form.lon)
        flash(
            f"Position saved{' in ' + ward.name + ' ward' if ward else ' (outside the imported ward boundaries)'}",
            "success",
        )
        return redirect(url_for("directory.listing", slug=organisation.slug))
    return render_template("directory/pin.html", form=form, org=organisation, location=location)


# --- Form <-> snapshot ----------------------------------------------------------------------------


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _fill_listing_choices(form):
    form.categories.choices = services.term_choices("category")
    form.beneficiaries.choices = services.term_choices("beneficiary")
    form.faiths.choices = services.term_choices("faith")
    form.languages.choices = services.term_choices("language")
    form.accessibility.choices = services.term_choices("accessibility")
    form.areas.choices = _ward_choices()


def _snapshot_to_form(data, form):
    org = data.get("organisation", {})
    for field in (
        "name",
        "description",
        "kind",
        "status",
        "email",
        "website",
        "phone",
        "charity_number",
        "company_number",
    ):
        getattr(form, field).data = org.get(field)
    service = (data.get("services") or [{}])[0]
    form.service_name.data = service.get("name")
    form.service_description.data = service.get("description")
    terms = service.get("terms", [])
    form.categories.data = [t for t in terms if t.startswith("category/")]
    form.beneficiaries.data = [t for t in terms if t.startswith("beneficiary/")]
    form.faiths.data = [t for t in terms if t.startswith("faith/")]
    form.languages.data = [t for t in terms if t.startswith("language/")]
    form.areas.data = service.get("areas", [])
    form.area_scope.data = service.get("area_scope") or ("wards" if form.areas.data else "")
    form.fees_description.data = service.get("fees_description")
    form.minimum_age.data = service.get("minimum_age")
    form.maximum_age.data = service.get("maximum_age")
    for hours in service.get("hours", []):
        day = WEEKDAYS[hours["weekday"]].lower()
        getattr(form, f"{day}_opens").data = hours["opens_at"]
        getattr(form, f"{day}_closes").data = hours["closes_at"]
    location = (data.get("locations") or [{}])[0]
    form.location_name.data = location.get("name")
    for field in ("address_1", "address_2", "city", "postcode", "accessibility_notes"):
        getattr(form, field).data = location.get(field)
    form.confidential.data = bool(location.get("confidential"))
    form.accessibility.data = location.get("accessibility", [])


def _clean(value):
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    return value if value != "" else None


def _form_to_snapshot(form, base):
    """The base snapshot with the organisation, its first service and first location replaced by the form."""
    data = json.loads(json.dumps(base))
    data["organisation"] = {
        "name": form.name.data.strip(),
        "description": form.description.data.strip(),
        "kind": form.kind.data,
        "status": form.status.data,
        "email": _clean(form.email.data and form.email.data.lower()),
        "website": _clean(form.website.data),
        "phone": _clean(form.phone.data),
        "charity_number": form.charity_number.data or None,
        "company_number": form.company_number.data or None,
    }
    has_address = bool(_clean(form.address_1.data) or _clean(form.postcode.data) or _clean(form.location_name.data))
    locations = data.get("locations", [])
    if has_address:
        location = locations[0] if locations else {}
        location.update(
            {
                "name": _clean(form.location_name.data) or "",
                "address_1": _clean(form.address_1.data) or "",
                "address_2": _clean(form.address_2.data),
                "city": _clean(form.city.data) or "London",
                "postcode": normalise_postcode(form.postcode.data) if form.postcode.data else None,
                "confidential": bool(form.confidential.data),
                "accessibility": form.accessibility.data or [],
                "accessibility_notes": _clean(form.accessibility_notes.data),
            }
        )
        locations = [location, *locations[1:]]
    else:
        locations = locations[1:]
    data["locations"] = locations
    hours = []
    for index, day in enumerate(WEEKDAYS):
        opens, closes = getattr(form, f"{day.lower()}_opens").data, getattr(form, f"{day.lower()}_closes").data
        if (opens or "").strip() and (closes or "").strip():
            hours.append({"weekday": index, "opens_at": normal_time(opens), "closes_at": normal_time(closes)})
    service_list = data.get("services", [])
    service = service_list[0] if service_list else {}
    service.update(
        {
            "name": form.service_name.data.strip(),
            "description": form.service_description.data.strip(),
            "url": service.get("url"),
            "email": service.get("email"),
            "phone": service.get("phone"),
            "status": form.status.data,
            "fees_description": _clean(form.fees_description.data),
            "minimum_age": form.minimum_age.data,
            "maximum_age": form.maximum_age.data,
            "terms": [*form.categories.data, *form.beneficiaries.data, *form.faiths.data, *form.languages.data],
            # Wards ticked without choosing "in particular wards" mean those wards; all of the borough or online
            # (wider than any ward) leave the wards out.
            "area_scope": form.area_scope.data or ("wards" if form.areas.data else None),
            "areas": (form.areas.data or []) if (form.area_scope.data or "wards") == "wards" else [],
            "hours": hours,
            "locations": [0] if has_address else [],
        }
    )
    data["services"] = [service, *service_list[1:]]
    return data


# --- Strategy officers: the search vocabulary ----------------------------------------------------


@bp.route("/vocabulary")
@roles_required(STRATEGY_OFFICER)
def vocabulary_list():
    entries = db.session.scalars(db.select(SearchSynonym).order_by(SearchSynonym.terms)).all()
    return render_template("directory/vocabulary.html", entries=entries, delete_form=ConfirmForm())


@bp.route("/vocabulary/new", methods=["GET", "POST"])
@bp.route("/vocabulary/<int:entry_id>/edit", methods=["GET", "POST"])
@roles_required(STRATEGY_OFFICER)
def vocabulary_edit(entry_id=None):
    entry = db.get_or_404(SearchSynonym, entry_id) if entry_id is not None else None
    form = SynonymForm()
    if request.method == "GET" and entry is not None:
        form.terms.data = "\n".join(entry.term_list)
        form.related.data = "\n".join(entry.related_list)
        form.note.data = entry.note
    if form.validate_on_submit():
        if entry is None:
            entry = SearchSynonym()
            db.session.add(entry)
        entry.terms = "\n".join(vocabulary.parse_terms(form.terms.data))
        entry.related = "\n".join(vocabulary.parse_terms(form.related.data))
        entry.note = (form.note.data or "").strip() or None
        entry.updated_by_id = current_user.id
        entry.updated_at = utcnow()
        db.session.commit()
        vocabulary.forget_cache()
        flash(f"Saved: searches for {', '.join(entry.term_list[:3])} now find each other", "success")
        return redirect(url_for("directory.vocabulary_list"))
    return render_template("directory/vocabulary_edit.html", form=form, entry=entry)


@bp.route("/vocabulary/<int:entry_id>/delete", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def vocabulary_delete(entry_id):
    entry = db.get_or_404(SearchSynonym, entry_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    words = ", ".join(entry.term_list[:3])
    db.session.delete(entry)
    db.session.commit()
    vocabulary.forget_cache()
    flash(f"Deleted the entry for {words}", "success")
    return redirect(url_for("directory.vocabulary_list"))
