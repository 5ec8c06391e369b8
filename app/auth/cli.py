"""`flask users create-admin`: the first administrator, before anyone can be invited."""

import click
from flask.cli import AppGroup

from ..extensions import db
from ..security import ADMIN
from .models import User
from .services import hash_password, password_problem

users_cli = AppGroup("users", help="Manage accounts from the command line.")


@users_cli.command("create-admin")
@click.argument("email")
@click.argument("name")
@click.password_option(envvar="ADMIN_PASSWORD", help="Prompted for when not given.")
def create_admin(email, name, password):
    """Create an administrator account (or make an existing account one)."""
    problem = password_problem(password, email)
    if problem:
        raise click.ClickException(problem)
    user = User.by_email(email)
    if user is None:
        user = User(email=email.strip().lower(), name=name, role=ADMIN)
        db.session.add(user)
    user.role = ADMIN
    user.active = True
    user.password_hash = hash_password(password)
    db.session.commit()
    click.echo(f"{user.email} is an administrator.")
