"""The migrations build exactly the schema the models describe, and can be undone."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db, include_in_migrations


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_in_migrations}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], (
        "The models and the migrations differ; run `flask db migrate -m '...'` and review the new file:\n"
        + "\n".join(map(str, differences))
    )


def test_migrations_have_one_head_and_downgrade_cleanly(app):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    script = app.extensions["migrate"].migrate.get_config().get_main_option("script_location")
    from alembic.script import ScriptDirectory

    assert len(ScriptDirectory(script).get_heads()) == 1
    downgrade(revision="base")
    assert [name for name in inspect(db.engine).get_table_names() if name != "alembic_version"] == []
    upgrade()
    assert "user_account" in inspect(db.engine).get_table_names()
