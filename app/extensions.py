"""Extension objects, created once and bound to the app in the factory."""

import sqlite3

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Named constraints so that migrations can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def include_in_migrations(obj, name, type_, reflected, compare_to):
    """Alembic filter: the full-text indexes (SQLite's FTS5 tables, PostgreSQL's expression index) are made
    by hand in the directory migration, not by the models."""
    if type_ == "table" and name.startswith("organisation_fts"):
        return False
    if type_ == "column" and name == "search_vector":  # PostgreSQL's generated search vector (perf_search_0002)
        return False
    return not (type_ == "index" and name == "ix_organisation_search")


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record):
    """SQLite leaves foreign keys (and so ON DELETE CASCADE) unenforced unless each connection asks.

    And SQLite files run in WAL mode (kept in the file once set): readers never wait for a writer, nor a
    writer for readers. In the default rollback journal a large write transaction (a 10,000-row directory
    import) takes the exclusive lock when it spills to disk, and every page view, and the import's own
    progress and Stop checks, then fail with "database is locked"; under the load mix, page views waited
    for every booking and edit. Commits stay fully synchronous."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
