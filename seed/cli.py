"""`flask seed reference`, `flask seed vocabulary` and `flask seed demo`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import loader

seed_cli = AppGroup("seed", help="Load reference data and demo data.")


@seed_cli.command("reference")
def reference():
    """Load the 24 wards of 2022 and the 21 wards of 2002-2022 (safe to run again)."""
    added = loader.load_wards()
    terms = loader.load_taxonomies()
    synonyms = loader.load_search_vocabulary()
    click.echo(
        f"Wards ready ({added} added); directory vocabularies ready ({terms} terms added); "
        f"search vocabulary ready ({synonyms} entries added)."
    )


@seed_cli.command("vocabulary")
def vocabulary():
    """Offer the starting search vocabulary's newer ideas to a vocabulary already in use (safe to run again):
    entries for ideas it lacks are added; officers' own entries are left as they are."""
    from app.directory.vocabulary import add_new_default_ideas

    added, left = add_new_default_ideas()
    click.echo(f"Search vocabulary: {added} new entries added.")
    if left:
        click.echo(
            "Starting terms not added, because an entry for the same idea is kept at /directory/vocabulary "
            "(add them there if you want them): " + ", ".join(left)
        )


@seed_cli.command("demo")
@click.option("--password", envvar="DEMO_PASSWORD", help="Password for the demo accounts (random if not given).")
def demo(password):
    """Load reference data and demo data from the council papers (safe to run again)."""
    loader.load_wards()
    loader.load_taxonomies()
    loader.load_search_vocabulary()
    organisations = loader.load_demo_organisations()
    loader.demo_service_areas()
    click.echo(f"Demo organisations added: {organisations}.")
    for load in loader.module_demo_loaders():
        click.echo(load())
    password = loader.load_demo_accounts(password)
    if password:
        accounts = "\n".join(f"  {email} ({role})" for email, _, role in loader.DEMO_ACCOUNTS)
        note = Path(current_app.instance_path) / "demo-accounts.txt"
        note.write_text(f"Demo accounts (password: {password})\n{accounts}\n", encoding="utf-8")
        note.chmod(0o600)
        click.echo(f"Demo accounts created; sign-in details are in {note}")
