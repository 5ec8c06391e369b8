from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from ..forms import Form
from ..security import ROLE_LABELS
from .models import TODO_EMAIL_CHOICES
from .services import password_problem

EMAIL_VALIDATORS = [
    InputRequired(message="Enter your email address"),
    Length(max=254, message="Email address must be 254 characters or fewer"),
    Email(message="Enter an email address in the correct format, like name@example.com"),
]


class SignInForm(Form):
    email = StringField("Email address", widget=GovTextInput(), validators=EMAIL_VALIDATORS)
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password"), Length(max=1024)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ForgotPasswordForm(Form):
    email = StringField("Email address", widget=GovTextInput(), validators=EMAIL_VALIDATORS)
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class NewPasswordForm(Form):
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="Use 12 characters or more. A few unrelated words make a strong password.",
        validators=[InputRequired(message="Enter a new password")],
    )
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm your new password"),
            EqualTo("password", message="Passwords must match"),
        ],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self._email = email

    def validate_password(self, field):
        problem = password_problem(field.data or "", self._email)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password")],
    )


def role_choices(allowed_roles):
    return [(role, ROLE_LABELS[role]) for role in allowed_roles]


class InviteUserForm(Form):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the person's name"), Length(max=120)],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the person's email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
        ],
    )
    role = RadioField("Role", widget=GovRadioInput(), validators=[InputRequired(message="Select a role")])
    organisations = SelectMultipleField(
        "Organisations this person may edit",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="Needed for group editors. Officers can edit every listing.",
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())

    def validate_organisations(self, field):
        if self.role.data == "group_editor" and not field.data:
            raise ValidationError("Select at least one organisation for a group editor")


class EditUserForm(Form):
    role = RadioField("Role", widget=GovRadioInput(), validators=[InputRequired(message="Select a role")])
    organisations = SelectMultipleField(
        "Organisations this person may edit", widget=GovCheckboxesInput(), coerce=int
    )
    active = BooleanField("Account is active (can sign in)", widget=GovCheckboxInput())
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    def validate_organisations(self, field):
        if self.role.data == "group_editor" and not field.data:
            raise ValidationError("Select at least one organisation for a group editor")


class ConfirmForm(Form):
    """An empty form: a button that carries the CSRF token (sign out, resend)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class TodoEmailsForm(Form):
    todo_emails = RadioField(
        "When should we email you about your to-do list?",
        widget=GovRadioInput(),
        choices=list(TODO_EMAIL_CHOICES.items()),
        validators=[InputRequired(message="Select when we should email you about your to-do list")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
