"""Community assets register (public list, officer editing) and Assets of Community Value."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..directory import services as directory_services
from ..extensions import db
from ..places.models import WARD_SET_2022
from ..places.services import wards_in_set
from ..ratelimit import limit_posts
from ..security import STRATEGY_OFFICER, public, roles_required
from . import services
from .forms import (
    AssetForm,
    BidRequestForm,
    DecisionForm,
    DisposalNoticeForm,
    NominationForm,
    OwnerNotifiedForm,
    ReviewOutcomeForm,
    ReviewRequestForm,
    ValidateNominationForm,
)
from .models import CATEGORIES, KINDS, NOMINATION_STATUSES, OWNERS, AcvDisposalNotice, AcvNomination, CommunityAsset

bp = Blueprint("assets", __name__, url_prefix="/assets-register")

# --- Community assets register -------------------------------------------------------------------


def _filtered_assets(include_unpublished=False):
    query = db.select(CommunityAsset).order_by(CommunityAsset.name)
    if not include_unpublished:
        query = query.where(CommunityAsset.published.is_(True))
    filters = {
        "category": request.args.get("category", ""),
        "kind": request.args.get("kind", ""),
        "owner": request.args.get("owner", ""),
        "ward": request.args.get("ward", ""),
        "bookable": request.args.get("bookable", ""),
    }
    if filters["category"] in CATEGORIES:
        query = query.where(CommunityAsset.category == filters["category"])
    if filters["kind"] in KINDS:
        query = query.where(CommunityAsset.kind == filters["kind"])
    if filters["owner"] in OWNERS:
        query = query.where(CommunityAsset.owner == filters["owner"])
    if filters["ward"]:
        query = query.where(CommunityAsset.ward_code == filters["ward"])
    if filters["bookable"] == "yes":
        query = query.where(CommunityAsset.bookable.is_(True))
    return db.session.scalars(query).all(), filters


def _is_manager():
    return current_user.is_authenticated and current_user.role in (STRATEGY_OFFICER, "admin")


@bp.route("/")
@public
def index():
    manager = _is_manager()
    assets, filters = _filtered_assets(include_unpublished=manager)
    return render_template(
        "assets/index.html",
        assets=assets,
        filters=filters,
        categories=CATEGORIES,
        kinds=KINDS,
        owners=OWNERS,
        wards=wards_in_set(WARD_SET_2022),
        manager=manager,
        published_count=services.published_asset_count(),
    )


@bp.route("/assets.csv")
@public
def assets_csv():
    assets, _ = _filtered_assets()
    header = [
        "id",
        "name",
        "category",
        "kind",
        "owner",
        "address",
        "postcode",
        "ward",
        "latitude",
        "longitude",
        "capacity",
        "facilities",
        "accessibility",
        "bookable",
        "how to book",
        "booking web page",
    ]
    rows = (
        [
            a.id,
            a.name,
            a.category,
            a.kind_label,
            a.owner_label,
            a.address,
            a.postcode,
            a.ward.name if a.ward else "",
            a.lat,
            a.lon,
            a.capacity,
            a.facilities,
            a.accessibility,
            "yes" if a.bookable else "no",
            a.booking_details,
            a.booking_url,
        ]
        for a in assets
    )
    return _csv_response(services.csv_text(header, rows), "community-assets.csv")


@bp.route("/assets.geojson")
@public
def assets_geojson():
    assets, _ = _filtered_assets()
    return Response(json.dumps(services.map_features(assets)), mimetype="application/geo+json")


@bp.route("/<int:asset_id>")
@public
def asset(asset_id):
    item = db.get_or_404(CommunityAsset, asset_id)
    if not item.published and not _is_manager():
        abort(404)
    nominations = db.session.scalars(
        db.select(AcvNomination).where(AcvNomination.asset_id == item.id, AcvNomination.status == "listed")
    ).all()
    return render_template("assets/asset.html", asset=item, nominations=nominations, manager=_is_manager())


def _save_asset(form, organisation_id, item=None):
    item, place = services.save_asset(
        item,
        form.postcode.data,
        name=form.name.data,
        category=form.category.data,
        kind=form.kind.data,
        owner=form.owner.data,
        description=form.description.data,
        address=form.address.data,
        capacity=form.capacity.data,
        facilities=form.facilities.data,
        accessibility=form.accessibility.data,
        bookable=form.bookable.data == "yes",
        booking_details=form.booking_details.data,
        booking_url=form.booking_url.data,
        organisation_id=organisation_id or None,
        published=form.published.data,
    )
    if place.postcode and not place.found:
        flash(
            f"{place.postcode} is not in the postcode table for Barnet, so the ward and map position are not known",
            "info",
        )
    return item


@bp.route("/new", methods=["GET", "POST"])
@roles_required(STRATEGY_OFFICER)
def new_asset():
    form = AssetForm()
    if request.method == "GET":
        form.category.data = "Spaces"
    organisation_id = form.validate_choosing(directory_services.choose_any_listing, listing=True)
    if organisation_id is not None:
        item = _save_asset(form, organisation_id)
        flash(f"Added {item.name} to the register", "success")
        return redirect(url_for("assets.asset", asset_id=item.id))
    return render_template("assets/edit.html", form=form, asset=None)


@bp.route("/<int:asset_id>/edit", methods=["GET", "POST"])
@roles_required(STRATEGY_OFFICER)
def edit_asset(asset_id):
    item = db.get_or_404(CommunityAsset, asset_id)
    form = AssetForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.bookable.data = "yes" if item.bookable else "no"
        form.show_organisation(
            directory_services.listing_by_id(item.organisation_id, include_hidden=True),
            item.organisation.name if item.organisation else "",
        )
    organisation_id = form.validate_choosing(directory_services.choose_any_listing, listing=True)
    if organisation_id is not None:
        _save_asset(form, organisation_id, item)
        flash(f"Saved changes to {item.name}", "success")
        return redirect(url_for("assets.asset", asset_id=item.id))
    return render_template("assets/edit.html", form=form, asset=item)


# --- Assets of Community Value: public -------------------------------------------------------------


@bp.route("/acv")
@public
def acv():
    return render_template("assets/acv.html", periods=services.current_periods())


@bp.route("/acv/nominate", methods=["GET", "POST"])
@limit_posts("PUBLIC_FORM_RATE_LIMIT")
@public
def nominate():
    form = NominationForm()
    if form.validate_on_submit():
        nomination = services.create_nomination(
            body_name=form.body_name.data.strip(),
            body_type=form.body_type.data,
            body_number=(form.body_number.data or "").strip() or None,
            members_on_register=form.members_on_register.data,
            distributes_surplus={"yes": True, "no": False}.get(form.distributes_surplus.data),
            local_connection=form.local_connection.data.strip(),
            body_address=form.body_address.data.strip(),
            contact_name=form.contact_name.data.strip(),
            contact_email=form.contact_email.data.strip().lower(),
            contact_phone=(form.contact_phone.data or "").strip() or None,
            site_name=form.site_name.data.strip(),
            site_address=form.site_address.data.strip(),
            site_postcode=form.site_postcode.data,
            boundary_description=form.boundary_description.data.strip(),
            occupants=form.occupants.data.strip(),
            freehold_owners=form.freehold_owners.data.strip(),
            leasehold_owners=form.leasehold_owners.data.strip(),
            reasons=form.reasons.data.strip(),
            evidence=form.evidence.data.strip(),
        )
        session["acv_nomination"] = nomination.id
        return redirect(url_for("assets.nomination_sent"))
    return render_template("assets/nominate.html", form=form)


@bp.route("/acv/nominate/sent")
@public
def nomination_sent():
    nomination = db.session.get(AcvNomination, session.get("acv_nomination") or 0)
    return render_template("assets/nomination_sent.html", nomination=nomination)


def _csv_response(text, filename):
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/acv/listed")
@public
def listed():
    return render_template("assets/listed.html", nominations=services.listed_nominations())


@bp.route("/acv/listed.csv")
@public
def listed_csv():
    rows = services.listed_rows(services.listed_nominations())
    return _csv_response(services.csv_text(services.LISTED_HEADER, rows), "assets-of-community-value-listed.csv")


@bp.route("/acv/unsuccessful")
@public
def unsuccessful():
    return render_template("assets/unsuccessful.html", nominations=services.unsuccessful_nominations())


@bp.route("/acv/unsuccessful.csv")
@public
def unsuccessful_csv():
    rows = services.unsuccessful_rows(services.unsuccessful_nominations())
    return _csv_response(
        services.csv_text(services.UNSUCCESSFUL_HEADER, rows), "assets-of-community-value-unsuccessful.csv"
    )


@bp.route("/acv/register/<int:nomination_id>")
@public
def register_entry(nomination_id):
    nomination = db.get_or_404(AcvNomination, nomination_id)
    if nomination.status not in ("listed", "not_listed", "removed"):
        abort(404)
    return render_template("assets/register_entry.html", nomination=nomination)


# --- Assets of Community Value: officers -----------------------------------------------------------


@bp.route("/acv/nominations")
@roles_required(STRATEGY_OFFICER)
def nominations():
    status = request.args.get("status", "")
    query = db.select(AcvNomination).order_by(AcvNomination.received_on.desc(), AcvNomination.id.desc())
    if status in NOMINATION_STATUSES:
        query = query.where(AcvNomination.status == status)
    return render_template(
        "assets/nominations.html",
        nominations=db.session.scalars(query).all(),
        status=status,
        statuses=NOMINATION_STATUSES,
    )


@bp.route("/acv/due")
@roles_required(STRATEGY_OFFICER)
def due():
    today = services.london_today()
    monday, sunday = services.week_containing(today)
    open_nominations = db.session.scalars(
        db.select(AcvNomination).where(AcvNomination.status.in_(("received", "valid", "listed")))
    ).all()
    return render_template(
        "assets/due.html",
        today=today,
        monday=monday,
        sunday=sunday,
        this_week=services.due_between(open_nominations, monday, sunday),
        overdue=services.overdue(open_nominations, today),
    )


def _action_forms(nomination, **bound):
    decision = bound.get("decision") or DecisionForm(prefix="decision")
    decision.asset.choices = [(0, "Not on the register")] + [
        (a.id, a.venue_label) for a in db.session.scalars(db.select(CommunityAsset).order_by(CommunityAsset.name))
    ]
    forms = {
        "validate": bound.get("validate") or ValidateNominationForm(prefix="validate"),
        "decision": decision,
        "owner": bound.get("owner") or OwnerNotifiedForm(prefix="owner"),
        "review_request": bound.get("review_request") or ReviewRequestForm(prefix="review-request"),
        "review_outcome": bound.get("review_outcome") or ReviewOutcomeForm(prefix="review-outcome"),
        "disposal": bound.get("disposal") or DisposalNoticeForm(prefix="disposal"),
    }
    for notice in nomination.disposal_notices:
        key = f"bid_{notice.id}"
        forms[key] = bound.get(key) or BidRequestForm(prefix=f"bid-{notice.id}")
    return forms


def _show_nomination(nomination, failed=None, failed_key=None, status=200):
    bound = {failed_key: failed} if failed is not None else {}
    forms = _action_forms(nomination, **bound)
    return (
        render_template(
            "assets/nomination.html",
            nomination=nomination,
            forms=forms,
            form=failed,
            periods=services.current_periods(),
            today=services.london_today(),
        ),
        status,
    )


@bp.route("/acv/nominations/<int:nomination_id>")
@roles_required(STRATEGY_OFFICER)
def nomination(nomination_id):
    return _show_nomination(db.get_or_404(AcvNomination, nomination_id))


def _act(nomination, key, form, action, done_message):
    """Run one officer step; on a form error or a step that does not fit, show the page with the message."""
    if not form.validate_on_submit():
        return _show_nomination(nomination, form, key)
    try:
        action()
    except services.NotAllowedNow as exc:
        db.session.rollback()
        first_field = next(iter(f for f in form if f.type not in ("CSRFTokenField", "SubmitField")))
        first_field.errors = [*first_field.errors, str(exc)]
        return _show_nomination(nomination, form, key)
    flash(done_message, "success")
    return redirect(url_for("assets.nomination", nomination_id=nomination.id))


@bp.route("/acv/nominations/<int:nomination_id>/validate", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def validate_nomination(nomination_id):
    n = db.get_or_404(AcvNomination, nomination_id)
    form = ValidateNominationForm(prefix="validate")
    return _act(
        n,
        "validate",
        form,
        lambda: services.validate_nomination(
            n, form.outcome.data == "valid", form.checked_on.data, form.note.data, current_user
        ),
        "Saved the check of the nomination",
    )


@bp.route("/acv/nominations/<int:nomination_id>/decide", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def decide_nomination(nomination_id):
    n = db.get_or_404(AcvNomination, nomination_id)
    form = _action_forms(n, decision=DecisionForm(prefix="decision"))["decision"]
    return _act(
        n,
        "decision",
        form,
        lambda: services.decide_nomination(
            n,
            form.outcome.data == "listed",
            form.decided_on.data,
            form.reasons.data,
            current_user,
            db.session.get(CommunityAsset, form.asset.data) if form.asset.data else None,
        ),
        "Saved the decision and e-mailed the nominating group",
    )


@bp.route("/acv/nominations/<int:nomination_id>/owner-notified", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def owner_notified(nomination_id):
    n = db.get_or_404(AcvNomination, nomination_id)
    form = OwnerNotifiedForm(prefix="owner")
    return _act(
        n,
        "owner",
        form,
        lambda: services.record_owner_notified(n, form.on.data),
        "Saved the date the owner was notified",
    )


@bp.route("/acv/nominations/<int:nomination_id>/review-request", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def review_request(nomination_id):
    n = db.get_or_404(AcvNomination, nomination_id)
    form = ReviewRequestForm(prefix="review-request")
    return _act(
        n,
        "review_request",
        form,
        lambda: services.record_review_request(n, form.on.data),
        "Saved the request for a review",
    )


@bp.route("/acv/nominations/<int:nomination_id>/review-outcome", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def review_outcome(nomination_id):
    n = db.get_or_404(AcvNomination, nomination_id)
    form = ReviewOutcomeForm(prefix="review-outcome")
    return _act(
        n,
        "review_outcome",
        form,
        lambda: services.record_review_outcome(n, form.outcome.data, form.decided_on.data, form.reasons.data),
        "Saved the review decision",
    )


@bp.route("/acv/nominations/<int:nomination_id>/disposal", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def disposal_notice(nomination_id):
    n = db.get_or_404(AcvNomination, nomination_id)
    form = DisposalNoticeForm(prefix="disposal")
    return _act(
        n,
        "disposal",
        form,
        lambda: services.record_disposal_notice(n, form.on.data),
        "Saved the disposal notice and moratorium dates",
    )


@bp.route("/acv/disposals/<int:notice_id>/bid-request", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def bid_request(notice_id):
    notice = db.get_or_404(AcvDisposalNotice, notice_id)
    form = BidRequestForm(prefix=f"bid-{notice.id}")
    return _act(
        notice.nomination,
        f"bid_{notice.id}",
        form,
        lambda: services.record_bid_request(notice, form.on.data, form.group.data),
        "Saved the request to bid: the full moratorium applies",
    )
