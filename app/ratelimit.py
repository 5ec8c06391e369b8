"""Rate-limit counters every web worker shares, without Redis: a `limits` storage in the portal's database.

Flask-Limiter keeps its counters in whatever `limits` storage RATELIMIT_STORAGE_URI names. The in-process
`memory://` store is per worker (with 2 gunicorn workers, 12 sign-in attempts on one account let 8 through),
so the portal uses:

- `REDIS_URL` when it is set (`redis://...`: shared by every worker on every machine);
- otherwise `portal-db://`, this module: one row per fixed window in the portal's own database, which every
  worker and the task runners already share (SQLite file or PostgreSQL). An increment is one
  `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement, atomic on both databases, on its own short
  transaction (never the request's), so two workers can never both see "under the limit" for the same slot.

Why not another option: the `limits` package has no SQL storage, memcached/MongoDB/etcd would be a new
server to run, and a file-lock store would not be shared across machines. Limits are checked only on the
form posts that send e-mail, hold a place or try a password, a few per visitor, so the database load is
tiny; expired rows are deleted now and then by the increments themselves.

Keys are stored as SHA-256 digests: some keys contain an e-mail address (sign-in attempts per account).
"""

import hashlib
import random
import time

from flask import current_app, request
from limits.storage import Storage
from sqlalchemy import Float, Integer, String, case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db, limiter

SCHEME = "portal-db"


class RateLimitWindow(db.Model):
    """One rate-limit counter: hits in the current fixed window, and when that window ends (epoch s)."""

    __tablename__ = "rate_limit_window"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


def _digest(key):
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class DatabaseStorage(Storage):
    """`portal-db://`: fixed-window counters in the portal's database (see the module's docstring)."""

    STORAGE_SCHEME = [SCHEME]
    # Delete expired rows on about one increment in this many.
    PURGE_EVERY = 200

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.table = RateLimitWindow.__table__

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    @property
    def engine(self):
        return db.engine  # the app's engine: needs an app context, as every request has

    def incr(self, key, expiry, amount=1):
        now = time.time()
        table = self.table
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        statement = insert(table).values(key_hash=_digest(key), hits=amount, expires_at=now + expiry)
        expired = table.c.expires_at <= now
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key_hash],
            set_={
                "hits": case((expired, amount), else_=table.c.hits + amount),
                "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
            },
        ).returning(table.c.hits)
        with self.engine.begin() as connection:
            hits = connection.execute(statement).scalar_one()
            if random.randrange(self.PURGE_EVERY) == 0:
                connection.execute(delete(table).where(table.c.expires_at <= now))
        return hits

    def _row(self, key):
        with self.engine.connect() as connection:
            return connection.execute(
                select(self.table.c.hits, self.table.c.expires_at).where(self.table.c.key_hash == _digest(key))
            ).first()

    def get(self, key):
        row = self._row(key)
        return row.hits if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key):
        row = self._row(key)
        return row.expires_at if row is not None and row.expires_at > time.time() else time.time()

    def check(self):
        try:
            with self.engine.connect() as connection:
                connection.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self):
        with self.engine.begin() as connection:
            return connection.execute(delete(self.table)).rowcount

    def clear(self, key):
        with self.engine.begin() as connection:
            connection.execute(delete(self.table).where(self.table.c.key_hash == _digest(key)))


# --- Limits on public form posts --------------------------------------------------------------------
# Every public POST that sends e-mail, holds a place or tries a password is limited per client address;
# the client address is the connecting one, or the one TRUSTED_PROXY_COUNT proxies vouch for (ProxyFix in
# create_app), never whatever X-Forwarded-For a client sends. Each limit is a setting in config.py.


def client_address():
    return request.remote_addr or "unknown"


def limit_posts(setting, key=None):
    """Limit the view's POSTs to current_app.config[setting] per client address (or per `key()`)."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"], key_func=key or client_address)


def per_form_address(field):
    """A key per e-mail address typed into `field`: one address can't be mailed from many machines."""

    def key():
        address = (request.form.get(field) or "").strip().lower()
        return f"to:{address}" if address else f"from:{client_address()}"

    return key


def per_meeting_and_client():
    """Bookings per meeting from one client address: one visitor cannot fill a meeting's places."""
    return f"meeting:{(request.view_args or {}).get('meeting_id')}:{client_address()}"
