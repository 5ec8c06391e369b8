"""The delivery plan of a financial year, edited on the web: priorities with their actions, KPIs (and
targets) and risks; rolled forward from the year before."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...extensions import db
from ...security import OFFICER_ROLES, PERFORMANCE_OFFICER, roles_required
from .. import services
from ..forms import ConfirmForm, PlanActionForm, PlanKpiForm, PlanPriorityForm, PlanRiskForm
from ..models import Priority
from .common import EDITORS, bp

PLAN_FORMS = {
    "priorities": PlanPriorityForm,
    "actions": PlanActionForm,
    "kpis": PlanKpiForm,
    "risks": PlanRiskForm,
}


@bp.route("/plan/<int:year>")
@roles_required(*OFFICER_ROLES)
def plan(year):
    """The year's delivery plan: priorities with their actions, KPIs (and targets) and risks."""
    if not 2000 <= year <= 2100:
        abort(404)
    return render_template(
        "reporting/plan.html",
        year=year,
        year_label=services.year_label(year),
        priorities=services.priorities_for_year(year),
        locked=services.plan_locked_reason(year),
        may_edit=current_user.role in EDITORS,
        confirm=ConfirmForm(),
        earlier=[y for y in services.plan_years() if y < year],
    )


@bp.route("/plan/<int:year>/roll-forward", methods=["POST"])
@roles_required(PERFORMANCE_OFFICER)
def roll_forward(year):
    if not ConfirmForm().validate_on_submit() or not 2000 <= year <= 2100:
        abort(400)
    try:
        from_year = services.roll_forward_plan(year, current_user)
    except services.WorkflowError as exc:
        flash(str(exc), "info")
    else:
        flash(
            f"The {services.year_label(from_year)} plan has been copied into {services.year_label(year)}: "
            f"change what is different this year",
            "success",
        )
    return redirect(url_for("reporting.plan", year=year))


@bp.route("/plan/<int:year>/<kind>/new", methods=["GET", "POST"])
@bp.route("/plan/<int:year>/<kind>/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_plan_item(year, kind, item_id=None):
    """Add or change a priority, or an action / KPI / risk of a priority (?priority=<id> when adding)."""
    if kind not in services.PLAN_ITEMS or not 2000 <= year <= 2100:
        abort(404)
    model, fields, label = services.PLAN_ITEMS[kind]
    item = db.session.get(model, item_id) if item_id is not None else None
    if item_id is not None:
        owner_year = (item.year_start if kind == "priorities" else item.priority.year_start) if item else None
        if owner_year != year:
            abort(404)
    priority = None
    if kind != "priorities":
        priority = item.priority if item else db.session.get(Priority, request.args.get("priority", type=int) or 0)
        if priority is None or priority.year_start != year:
            abort(404)
    back = url_for("reporting.plan", year=year) + (f"#priority-{priority.id}" if priority else "")
    locked = services.plan_locked_reason(year)
    if locked:
        flash(locked, "info")
        return redirect(back)
    form = PLAN_FORMS[kind](obj=item if request.method == "GET" else None)
    if request.method == "GET" and item is not None and kind == "priorities":
        form.position.data = str(item.position)
    page = {"form": form, "year": year, "kind": kind, "label": label, "item": item, "priority": priority, "back": back}
    if form.validate_on_submit():
        if kind == "priorities":
            position = int(form.position.data.strip())
            clash = services.priority_at(year, position)
            if clash is not None and clash is not item:
                form.position.errors.append(f"Section {position} is already '{clash.title}'")
                return render_template("reporting/plan_item.html", **page), 400
        services.save_plan_item(year, kind, item, priority, {name: getattr(form, name).data for name in fields})
        flash(f"Saved the {label} in the {services.year_label(year)} plan", "success")
        return redirect(back)
    return render_template("reporting/plan_item.html", **page)
