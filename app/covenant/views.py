"""The faith covenant: public commitments and signatories, the pledge form, officer approval."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..assets.services import csv_text, place_for_postcode
from ..directory import services as directory_services
from ..directory.models import Organisation
from ..extensions import db
from ..forms import whole_number
from ..ratelimit import limit_posts
from ..security import STRATEGY_OFFICER, public, roles_required
from . import services
from .forms import PledgeDecisionForm, PledgeForm, RenewalForm
from .models import PLEDGE_STATUSES, CovenantPledge

bp = Blueprint("covenant", __name__, url_prefix="/covenant")


@bp.route("/")
@public
def index():
    return render_template(
        "covenant/index.html",
        council_commitments=services.COUNCIL_COMMITMENTS,
        faith_pledge=services.FAITH_COMMUNITIES_PLEDGE,
        faith_pledge_source=services.FAITH_COMMUNITIES_PLEDGE_SOURCE,
        principles=services.APPG_PRINCIPLES_SUMMARY,
        signatory_count=services.signatory_count(),
    )


@bp.route("/signatories")
@public
def signatories():
    pledges = services.approved_pledges()
    return render_template(
        "covenant/signatories.html",
        pledges=pledges,
        by_faith=services.counts_by_faith(pledges),
        by_ward=services.counts_by_ward(pledges),
    )


@bp.route("/signatories.csv")
@public
def signatories_csv():
    rows = (
        [
            p.organisation.name,
            p.faith_label,
            p.signatory_name,
            p.signatory_role,
            p.date_signed,
            p.renewal_due,
            p.ward.name if p.ward else "",
            p.commitments,
        ]
        for p in services.approved_pledges()
    )
    header = ["organisation", "faith", "signatory", "role", "date signed", "renewal due", "ward", "commitments"]
    return Response(
        csv_text(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="faith-covenant-signatories.csv"'},
    )


# The covenant is signed by organisations in the community directory: the answer must be a listing.
NOT_IN_DIRECTORY = ", or ask the Strategy Team to add your organisation to the community directory first"


@bp.route("/sign", methods=["GET", "POST"])
@limit_posts("PUBLIC_FORM_RATE_LIMIT")
@public
def sign():
    form = PledgeForm()
    if request.method == "GET":
        # A renewal reminder links here with the organisation filled in.
        form.show_organisation(directory_services.published_listing(whole_number(request.args.get("organisation"))))
    organisation_id = form.validate_choosing(
        directory_services.choose_organisation,
        listing=True,
        required="Enter the name of your organisation",
        unknown=NOT_IN_DIRECTORY,
    )
    if organisation_id:
        place = place_for_postcode(form.postcode.data)
        pledge = services.submit_pledge(
            organisation=db.session.get(Organisation, organisation_id),
            faith=form.faith.data,
            faith_other=form.faith_other.data,
            signatory_name=form.signatory_name.data,
            signatory_role=form.signatory_role.data,
            contact_email=form.contact_email.data,
            date_signed=form.date_signed.data,
            commitments=form.commitments.data,
            postcode=place.postcode,
            ward_code=place.ward_code,
        )
        session["covenant_pledge"] = pledge.id
        return redirect(url_for("covenant.pledge_sent"))
    return render_template("covenant/sign.html", form=form, any_listing=directory_services.any_published_listing())


@bp.route("/sign/sent")
@public
def pledge_sent():
    pledge = db.session.get(CovenantPledge, session.get("covenant_pledge") or 0)
    return render_template("covenant/sent.html", pledge=pledge)


# --- Officers ------------------------------------------------------------------------------------


@bp.route("/pledges")
@roles_required(STRATEGY_OFFICER)
def pledges():
    status = request.args.get("status", "pending")
    query = db.select(CovenantPledge).order_by(CovenantPledge.submitted_at.desc())
    if status in PLEDGE_STATUSES:
        query = query.where(CovenantPledge.status == status)
    today = services.london_today()
    return render_template(
        "covenant/pledges.html",
        pledges=db.session.scalars(query).all(),
        status=status,
        statuses=PLEDGE_STATUSES,
        today=today,
    )


def _show_pledge(pledge, decision=None, renewal=None, failed=None):
    return render_template(
        "covenant/pledge.html",
        pledge=pledge,
        decision_form=decision or PledgeDecisionForm(prefix="decision"),
        renewal_form=renewal or RenewalForm(prefix="renewal"),
        form=failed,
    )


@bp.route("/pledges/<int:pledge_id>")
@roles_required(STRATEGY_OFFICER)
def pledge(pledge_id):
    return _show_pledge(db.get_or_404(CovenantPledge, pledge_id))


@bp.route("/pledges/<int:pledge_id>/decide", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def decide(pledge_id):
    item = db.get_or_404(CovenantPledge, pledge_id)
    form = PledgeDecisionForm(prefix="decision")
    if item.status != "pending":
        flash("This pledge has already been decided", "info")
        return redirect(url_for("covenant.pledge", pledge_id=item.id))
    if not form.validate_on_submit():
        return _show_pledge(item, decision=form, failed=form)
    services.decide_pledge(item, form.decision.data == "approve", current_user, form.note.data)
    flash(
        f"Approved the pledge from {item.organisation.name}"
        if item.status == "approved"
        else f"Did not approve the pledge from {item.organisation.name}",
        "success",
    )
    return redirect(url_for("covenant.pledges"))


@bp.route("/pledges/<int:pledge_id>/renew", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def renew(pledge_id):
    item = db.get_or_404(CovenantPledge, pledge_id)
    if item.status != "approved":
        abort(404)
    form = RenewalForm(prefix="renewal")
    if form.validate_on_submit():
        try:
            services.renew_pledge(item, form.date_signed.data, form.signatory_name.data, form.signatory_role.data)
        except ValueError as exc:
            form.date_signed.errors = [*form.date_signed.errors, str(exc)]
        else:
            flash(f"Recorded the renewal. The next renewal is due on {item.renewal_due:%-d %B %Y}", "success")
            return redirect(url_for("covenant.pledge", pledge_id=item.id))
    return _show_pledge(item, renewal=form, failed=form)
