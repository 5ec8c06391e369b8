from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from ..directory import services as directory_services
from ..directory.models import Organisation
from ..extensions import db, limiter, login_manager
from ..forms import whole_number
from ..ratelimit import limit_posts, per_form_address
from ..security import (
    ADMIN,
    GROUP_EDITOR,
    OFFICER_ROLES,
    ROLES,
    is_safe_next_url,
    public,
    roles_required,
    signed_in,
)
from ..templating import work_for_current_user
from ..todo import todo_preview
from . import services
from .forms import (
    NEEDS_ORGANISATION,
    ChangePasswordForm,
    ConfirmForm,
    EditUserForm,
    ForgotPasswordForm,
    InviteUserForm,
    NewPasswordForm,
    SignInForm,
    TodoEmailsForm,
    role_choices,
)
from .models import User

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to see this page"
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id):
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.is_active:
        return None
    # A cookie from before sign-out, a password change or reset, or deactivation is no longer honoured.
    return user if services.session_is_current(user) else None


def _login_account_key():
    return "sign-in:" + (request.form.get("email") or "").strip().lower()


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], key_func=_login_account_key)
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
@public
def sign_in():
    next_url = request.args.get("next", "")
    if current_user.is_authenticated:
        return redirect(next_url if is_safe_next_url(next_url) else url_for("auth.account"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.email.errors.append("Enter a correct email address and password")
        else:
            services.start_session(user)
            flash(f"You are signed in as {user.name}", "success")
            return redirect(next_url if is_safe_next_url(next_url) else url_for("auth.account"))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    # Server-side: the cookie (and any copy of it) stops working, on every device this account used.
    services.end_all_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    response = redirect(url_for("main.home"))
    # The browser drops what it kept from the signed-in pages (cache, storage); the cookie is replaced.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
@limit_posts("EMAIL_RECIPIENT_RATE_LIMIT", key=per_form_address("email"))
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        # The same answer whether or not the address has an account.
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limit_posts("LINK_FORM_RATE_LIMIT")
@public
def reset_password(token):
    try:
        user = services.user_for_token(token, services.PURPOSE_RESET, current_app.config["PASSWORD_RESET_MAX_AGE"])
    except services.TokenInvalid as exc:
        return render_template("auth/link_invalid.html", expired=exc.expired, kind="reset"), 400
    form = NewPasswordForm(email=user.email)
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/new_password.html", form=form, user=user, heading="Choose a new password")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limit_posts("LINK_FORM_RATE_LIMIT")
@public
def accept_invitation(token):
    try:
        user = services.user_for_token(token, services.PURPOSE_INVITATION, current_app.config["INVITATION_MAX_AGE"])
    except services.TokenInvalid as exc:
        return render_template("auth/link_invalid.html", expired=exc.expired, kind="invitation"), 400
    form = NewPasswordForm(email=user.email)
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        services.start_session(user)
        flash("Your account is ready", "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/new_password.html", form=form, user=user, heading="Set up your account")


@bp.route("/account")
@signed_in
def account():
    return render_template(
        "auth/account.html",
        sign_out_form=ConfirmForm(),
        work=work_for_current_user(),
        todo=todo_preview(current_user),
    )


@bp.route("/account/notifications", methods=["GET", "POST"])
@roles_required(*OFFICER_ROLES)
def notifications():
    form = TodoEmailsForm(todo_emails=current_user.todo_emails)
    if form.validate_on_submit():
        services.set_todo_emails(current_user._get_current_object(), form.todo_emails.data)
        flash(
            "We will email you " + ("once a day" if form.todo_emails.data == "daily" else "as things arrive"), "success"
        )
        return redirect(url_for("auth.account"))
    return render_template("auth/notifications.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm(email=current_user.email)
    if form.validate_on_submit():
        if services.authenticate(current_user.email, form.current_password.data) is None:
            form.current_password.errors.append("Your current password is not correct")
        else:
            user = current_user._get_current_object()
            services.set_password(user, form.password.data)
            services.end_all_sessions(user, keep_current=True)  # signed out everywhere else
            flash("Your password has been changed", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


# --- People management: officers invite group editors; administrators manage everyone. ---


def _assignable_roles():
    return ROLES if current_user.is_admin else (GROUP_EDITOR,)


NAME_NEEDED = "Enter the name of the organisation a group editor edits"
# At most this many organisations are offered as ticked boxes (those a person edits, or an officer chose).
MAX_ORGANISATIONS_SHOWN = 200


def _organisation_choices(ids=()):
    """The organisations a person edits or an officer has chosen, as ticked boxes: never the whole directory
    (issue 16); more are added one at a time through the organisation chooser."""
    wanted = set(ids)
    wanted.update(whole_number(value) for value in request.form.getlist("organisations"))
    wanted = sorted(i for i in wanted if i)[:MAX_ORGANISATIONS_SHOWN]
    if not wanted:
        return []
    rows = db.session.execute(
        db.select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted)).order_by(Organisation.name)
    )
    return [(row.id, row.name) for row in rows]


def _chosen_organisations(form):
    """On a valid POST: the organisations ticked and the one named in the chooser (added to the boxes, so the
    page shows it ticked if it comes back); otherwise None, with the messages on the form."""
    if not form.is_submitted():
        return None
    valid = form.validate()
    if form.organisations.errors and not form.organisations.choices:
        # No boxes on the page to carry the message: it goes to the box for the organisation's name.
        form.organisations.errors = []
        form.organisation_name.errors = [NAME_NEEDED]
    # Officers who moderate listings may link an editor to a listing that is not published yet (a new group's).
    resolve = (
        directory_services.choose_any_listing
        if current_user.moderates_listings
        else directory_services.choose_organisation
    )
    added = form.choose_listing(resolve)
    if added is None or not valid:
        return None
    ids = list(form.organisations.data or [])
    if added and added not in ids:
        ids.append(added)
        form.organisations.choices = _organisation_choices(ids)
        form.organisations.data = ids
        form.organisation_id.data, form.organisation_name.data = None, ""
    if form.role.data == GROUP_EDITOR and not ids:
        if form.organisations.choices:
            form.organisations.errors = [NEEDS_ORGANISATION]
        else:
            form.organisation_name.errors = [NAME_NEEDED]
        return None
    return db.session.scalars(db.select(Organisation).where(Organisation.id.in_(ids))).all() if ids else []


def _may_manage(user):
    return current_user.is_admin or user.role == GROUP_EDITOR


@bp.route("/people")
@roles_required(*OFFICER_ROLES)
def people():
    users = db.session.scalars(db.select(User).order_by(User.role, User.name)).all()
    return render_template("auth/people.html", users=users)


@bp.route("/people/invite", methods=["GET", "POST"])
@roles_required(*OFFICER_ROLES)
def invite():
    form = InviteUserForm()
    form.role.choices = role_choices(_assignable_roles())
    form.organisations.choices = _organisation_choices()
    if len(form.role.choices) == 1 and not form.role.data:
        form.role.data = form.role.choices[0][0]
    chosen = _chosen_organisations(form)
    if chosen is not None:
        if User.by_email(form.email.data):
            form.email.errors.append("Someone with this email address already has an account")
        else:
            user = services.invite_user(
                form.email.data, form.name.data, form.role.data, chosen, invited_by=current_user
            )
            flash(f"Invitation sent to {user.email}", "success")
            return redirect(url_for("auth.people"))
    return render_template("auth/invite.html", form=form)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@roles_required(*OFFICER_ROLES)
def edit_person(user_id):
    user = db.get_or_404(User, user_id)
    if not _may_manage(user):
        abort(403)
    form = EditUserForm(obj=user if request.method == "GET" else None)
    form.role.choices = role_choices(_assignable_roles())
    form.organisations.choices = _organisation_choices([org.id for org in user.organisations])
    if request.method == "GET":
        form.organisations.data = [org.id for org in user.organisations]
    chosen = _chosen_organisations(form)
    if chosen is not None:
        if user.id == current_user.id and (form.role.data != ADMIN or not form.active.data):
            form.role.errors.append("You cannot remove your own administrator role or deactivate yourself")
        else:
            services.update_person(user, form.role.data, form.active.data, chosen)
            flash(f"Saved changes to {user.name}", "success")
            return redirect(url_for("auth.people"))
    return render_template("auth/edit_person.html", form=form, person=user, resend_form=ConfirmForm())


@bp.route("/people/<int:user_id>/resend-invitation", methods=["POST"])
@roles_required(*OFFICER_ROLES)
def resend_invitation(user_id):
    user = db.get_or_404(User, user_id)
    if not _may_manage(user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if user.password_hash is not None:
        flash(f"{user.name} has already set up their account", "info")
    else:
        services.send_invitation(user)
        flash(f"Invitation sent again to {user.email}", "success")
    return redirect(url_for("auth.edit_person", user_id=user.id))
