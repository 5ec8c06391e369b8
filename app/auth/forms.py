from wtforms.validators import EqualTo, ValidationError

from ..forms import (
    ConfirmForm,  # noqa: F401 (the views take it from here)
    Form,
    GovukCheckboxesField,
    GovukCheckboxField,
    GovukEmailField,
    GovukPasswordField,
    GovukRadiosField,
    GovukSubmitField,
    GovukTextInputField,
    OrganisationChooser,
    Required,
    max_length,
    organisation_chooser_fields,
)
from ..security import ROLE_LABELS
from .models import TODO_EMAIL_CHOICES
from .services import password_problem


class SignInForm(Form):
    email = GovukEmailField("Email address", validators=[Required(thing="your email address")])
    password = GovukPasswordField(
        "Password",
        validators=[Required(thing="your password"), max_length(1024)],
    )
    submit = GovukSubmitField("Sign in")


class ForgotPasswordForm(Form):
    email = GovukEmailField("Email address", validators=[Required(thing="your email address")])
    submit = GovukSubmitField("Send reset link")


class NewPasswordForm(Form):
    password = GovukPasswordField(
        "New password",
        description="Use 12 characters or more. A few unrelated words make a strong password.",
        validators=[Required(thing="a new password")],
    )
    confirm = GovukPasswordField(
        "Confirm new password",
        validators=[
            Required(message="Confirm your new password"),
            EqualTo("password", message="Passwords must match"),
        ],
    )
    submit = GovukSubmitField("Save password")

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self._email = email

    def validate_password(self, field):
        problem = password_problem(field.data or "", self._email)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current_password = GovukPasswordField(
        "Current password",
        validators=[Required(thing="your current password")],
    )


def role_choices(allowed_roles):
    return [(role, ROLE_LABELS[role]) for role in allowed_roles]


ADD_ORGANISATION = "Add an organisation this person may edit"
ADD_ORGANISATION_HINT = "Start typing the name of its listing in the community directory."
NEEDS_ORGANISATION = "Select at least one organisation for a group editor"


class InviteUserForm(OrganisationChooser, Form):
    """Invite someone. A group editor's organisations are the ones ticked (those already chosen) and the one
    named in the organisation chooser: the page never lists the whole directory (issue 16)."""

    organisation_not_listed = "None of these"

    name = GovukTextInputField(
        "Full name",
        validators=[Required(thing="the person's name"), max_length(120)],
    )
    email = GovukEmailField(
        "Email address",
        validators=[Required(thing="the person's email address")],
    )
    role = GovukRadiosField("Role", validators=[Required(thing="a role")])
    organisations = GovukCheckboxesField(
        "Organisations this person may edit",
        coerce=int,
        description="Needed for group editors. Officers can edit every listing.",
    )
    organisation_name, organisation_id, organisation_choice = organisation_chooser_fields(
        ADD_ORGANISATION, hint=ADD_ORGANISATION_HINT
    )
    submit = GovukSubmitField("Send invitation")

    def validate_organisations(self, field):
        if self.role.data == "group_editor" and not field.data and not (self.organisation_name.data or "").strip():
            raise ValidationError(NEEDS_ORGANISATION)


class EditUserForm(OrganisationChooser, Form):
    organisation_not_listed = "None of these"

    role = GovukRadiosField("Role", validators=[Required(thing="a role")])
    organisations = GovukCheckboxesField("Organisations this person may edit", coerce=int)
    organisation_name, organisation_id, organisation_choice = organisation_chooser_fields(
        ADD_ORGANISATION, hint=ADD_ORGANISATION_HINT
    )
    active = GovukCheckboxField("Account is active (can sign in)")
    submit = GovukSubmitField("Save changes")

    def validate_organisations(self, field):
        if self.role.data == "group_editor" and not field.data and not (self.organisation_name.data or "").strip():
            raise ValidationError(NEEDS_ORGANISATION)


class TodoEmailsForm(Form):
    todo_emails = GovukRadiosField(
        "When should we email you about your to-do list?",
        choices=list(TODO_EMAIL_CHOICES.items()),
        validators=[Required(message="Select when we should email you about your to-do list")],
    )
    submit = GovukSubmitField("Save")
