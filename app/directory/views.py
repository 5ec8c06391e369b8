import functools
import json
import math

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from .. import datacache
from ..auth.models import User
from ..extensions import db, limiter
from ..forms import ConfirmForm
from ..maps import services as map_services
from ..places.services import normalise_postcode, ward_choices
from ..ratelimit import client_address, limit_posts
from ..request import page_asked
from ..security import GROUP_EDITOR, STRATEGY_OFFICER, public, roles_required
from ..timeutil import to_london, utcnow
from . import cards, contributions, diff, drafts, listing_facts, services, taxonomy, vocabulary_views
from . import search as directory_search
from .forms import ClaimForm, DecisionForm, PinForm, ProblemForm, SearchForm
from .models import ListingChange, ListingVersion, Location, Organisation, ProblemReport

bp = Blueprint("directory", __name__, url_prefix="/directory")
vocabulary_views.register(bp)  # /directory/vocabulary: strategy officers' search vocabulary

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


# --- Residents: search and listings ------------------------------------------------------------


@bp.route("/")
@public
def index():
    form = SearchForm(request.args)
    form.category.choices = [("", "Any category")] + taxonomy.term_choices("category")
    form.ward.choices = [("", "Any ward")] + ward_choices()
    form.accessibility.choices = taxonomy.term_choices("accessibility")
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
            if request.args.get("place") == "words":  # "Search everywhere for … instead"
                results = directory_search.search(query)
            else:
                # "youth clubs in Hendon": the form then shows the ward chosen and the other words.
                results, place = directory_search.search_naming_a_place(query)
                if place:
                    form.q.data, form.ward.data, form.postcode.data = place.words, place.ward_code, place.postcode
        except directory_search.UnknownPostcode as exc:
            form.postcode.errors.append(
                f"We cannot find the postcode {exc} in {current_app.config['COUNCIL_NAME'].replace('London Borough of ', '')}. Check it, or search without a postcode"  # noqa: E501
            )
    # Every value of a repeated parameter (several access needs), so page links and suggestions keep them all.
    args = {key: values if len(values) > 1 else values[0] for key, values in request.args.lists() if key != "page"}
    as_typed_url = None
    if results is not None and results.place_in_words:
        # The page's own links (pages, "without the postcode", "Did you mean") go on from the search as made,
        # with its place chosen; one link goes back to the words as typed.
        as_typed_url = url_for("directory.index", **dict(args, place="words"))
        args = dict(args, q=form.q.data, ward=form.ward.data or None, postcode=form.postcode.data or None)
        args = {key: value for key, value in args.items() if value is not None}
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
    if results is not None and results.place_in_words:
        filters_applied += 1  # the ward or postcode the words named, filled in on the form the page shows
    no_results_help = None
    if results is not None and results.total == 0:
        no_results_help = {
            "categories": taxonomy.term_choices("category"),
            "borough_wide": directory_search.borough_wide(),
            "borough": directory_search.borough_name(),
        }
    search_form = None
    if not request.args or (results is not None and not form.errors):
        # The form is the same for everyone who asks the same (until a category or ward changes), and GOV.UK's
        # field macros cost most of the front page's time and a tenth of a kept search's: rendered once per
        # version of the data and per search, the front page's in the main store (issue 16).
        asked = tuple(sorted((key, value) for key, value in request.args.items(multi=True) if key != "page"))
        search_form = datacache.get_or_make(
            datacache.cache_key("directory search form", ("directory", "places"), (asked, filters_applied)),
            lambda: Markup(
                render_template(
                    "directory/_search_form.html", form=form, results=results, filters_applied=filters_applied
                )
            ),
            store="searches" if request.args else "data",
        )
    response = make_response(
        render_template(
            "directory/index.html",
            form=form,
            search_form=search_form,
            no_results_help=no_results_help,
            results=results,
            cards=result_cards,
            results_map=results_map,
            points=points,
            off_map=off_map,
            searched=searched,
            describe_miles=directory_search.describe_miles,
            page_args=args,
            as_typed_url=as_typed_url,
            filters_applied=filters_applied,
            organisation_count=services.published_organisation_count() if not searched else None,
        )
    )
    if results is not None and current_app.config["SEARCH_TIMING_HEADER"]:
        # For bench/directory_search.py, which times kept and fresh searches apart.
        response.headers["Server-Timing"] = f'search;desc="{"kept" if results.kept else "ranked"}"'
    return response


@bp.route("/organisation-names.json")
@limiter.limit(lambda: current_app.config["SUGGESTIONS_RATE_LIMIT"], key_func=client_address)
@public
def organisation_names():
    """Suggestions for the organisation chooser (accessible-autocomplete): published listings (for officers
    who moderate listings and ask with hidden=1, any listing, labelled "(not published)") whose names
    match `q` as typed so far, at most 10, as [{"id", "name"}]. The dot keeps it clear of listing slugs."""
    typed = request.args.get("q", "")[:200]
    # Officers' forms ask for every listing (hidden=1); anyone else gets published listings whatever they ask.
    include_hidden = (
        request.args.get("hidden") == "1" and current_user.is_authenticated and current_user.moderates_listings
    )
    listings = services.organisation_suggestions(typed, include_hidden=include_hidden)
    return jsonify([{"id": listing.id, "name": listing.name, "label": listing.label} for listing in listings])


@bp.route("/<slug>")
@public
def listing(slug):
    organisation = listing_facts.load(slug, to_london(utcnow()).date())
    if organisation is None:
        abort(404)
    officer = current_user.is_authenticated and current_user.moderates_listings
    can_edit = current_user.is_authenticated and current_user.can_edit_organisation(organisation)
    places = organisation.locations if officer else organisation.public_locations
    points = cards.map_points([organisation])  # public addresses only, even for officers
    listing_map = None
    if points:
        listing_map = map_services.render_centred(current_app.config, points[0][:2], zoom=15)
    last_checked, out_of_date = cards.last_checked(organisation)
    return render_template(
        "directory/listing.html",
        org=organisation,
        officer=officer,
        can_edit=can_edit,
        places=places,
        opening=cards.opening_for(organisation),
        hours=cards.weekly_hours(organisation),
        closures=cards.closures_ahead(organisation),
        closure_text=cards.closure_text,
        service_hours=cards.service_hours,
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
    unsent = {org.id: drafts.edit_draft(org, current_user) for org in organisations}
    return render_template(
        "directory/mine.html",
        organisations=organisations,
        pending=pending,
        unsent=unsent,
        confirm_form=ConfirmForm(),
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
        changes.append((newer, diff.compare(old, json.loads(newer.snapshot))))
    return render_template("directory/history.html", org=organisation, changes=changes)


# --- Officers: moderation, freshness, problems ------------------------------------------------------


# Officers' long lists go a page at a time: a moderation queue can grow long (a claims campaign, a bulk
# registration drive), and half the directory can be due for checking at once.
OFFICER_PAGE_SIZE = 50


def _page_number(total):
    """(page asked for, within range; number of pages) of a list of `total` items."""
    pages = max(1, math.ceil(total / OFFICER_PAGE_SIZE))
    return page_asked(pages), pages


@bp.route("/moderation")
@roles_required(*MODERATORS)
def moderation():
    total = services.pending_change_count()
    page, pages = _page_number(total)
    pending = services.pending_changes(OFFICER_PAGE_SIZE, (page - 1) * OFFICER_PAGE_SIZE)
    recent = db.session.scalars(
        db.select(ListingChange)
        .options(selectinload(ListingChange.organisation), selectinload(ListingChange.decided_by))
        .where(ListingChange.status != "pending")
        .order_by(ListingChange.decided_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "directory/moderation.html",
        pending=pending,
        total=total,
        page=page,
        pages=pages,
        recent=recent if page == 1 else [],
        loads=json.loads,
    )


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
    rows = diff.compare(published, proposed) if change.kind != "claim" else []
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
    # Counted as the officers' to-do list counts them (kept per minute and version of the directory); the
    # page's listings for the same minute, with the editors of every row in one query (issue 16).
    minute = utcnow().replace(second=0, microsecond=0)
    total = contributions.listings_not_checked_count(minute)
    page, pages = _page_number(total)
    organisations = db.session.scalars(
        services.stale_query(minute)
        .order_by(Organisation.id)  # after the query's own order: a stable one to page through
        .options(selectinload(Organisation.editors))
        .limit(OFFICER_PAGE_SIZE)
        .offset((page - 1) * OFFICER_PAGE_SIZE)
    ).all()
    return render_template(
        "directory/needs_checking.html",
        organisations=organisations,
        total=total,
        page=page,
        pages=pages,
        page_size=OFFICER_PAGE_SIZE,
    )


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
