"""Settings, read from the environment with safe development defaults.

Every setting can be overridden by an environment variable of the same name (a `.env` file in the
project folder is read too). There is no default secret key: in production (`PORTAL_ENV=production`)
the portal refuses to start without a `SECRET_KEY`; elsewhere it makes a random one per machine, kept in
`instance/secret_key` (see app/secret_key.py).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE_DIR", BASE_DIR / "instance"))

# SHA-256 of keys that have been published (the repository once shipped a development key): refused in
# every mode, because anyone could sign sessions and e-mailed links with them.
PUBLISHED_SECRET_KEY_SHA256 = frozenset(
    {
        "63d6f4854bf304117c8c2d3c7726cbb2d45be3a45dcf08c1f7be0eef20f19b1e",
    }
)


def _bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _float(name, default):
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


class Config:
    ENV_NAME = "development"
    # Unset means: refuse to start in production, a per-machine random key in instance/ elsewhere.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Council identity shown in the header and in e-mails.
    COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "London Borough of Barnet")
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Community Partnership Portal")
    # Absolute address used in e-mail links (password reset, invitations, unsubscribe, List-Unsubscribe), as
    # people reach the portal: its scheme is kept (http stays http). `make run` sets it from HOST and PORT.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost:5000")

    # Mail: "file" writes each message to MAIL_FILE_PATH (the embedded default), "smtp" sends.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")
    MAIL_FILE_PATH = os.environ.get("MAIL_FILE_PATH", str(INSTANCE_DIR / "outbox"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 30)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Community Partnership Portal <community@barnet.example>"
    )

    # Optional postcodes.io-compatible API for postcodes missing from the local table (off when empty).
    POSTCODES_API_URL = os.environ.get("POSTCODES_API_URL", "")
    # Open Referral UK API: the public address it is reached at, when it differs from the request's host
    # (empty: the address each request came to). `openapi_url` and the OpenAPI document's server use it.
    ORUK_PUBLIC_BASE_URL = os.environ.get("ORUK_PUBLIC_BASE_URL", "")
    # Feed imports from other ORUK directories: allow feeds on private, loopback or link-local addresses
    # (off: a feed must not point the portal at internal services; tests on loopback turn it on).
    FEED_ALLOW_PRIVATE_ADDRESSES = _bool("FEED_ALLOW_PRIVATE_ADDRESSES", False)
    POSTCODES_API_TIMEOUT = _int("POSTCODES_API_TIMEOUT", 3)

    # Map tiles: any XYZ tile server; set MAP_TILE_URL empty for maps without a background (offline).
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    MAP_TILE_ATTRIBUTION = os.environ.get(
        "MAP_TILE_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    )

    # Cached public figures, lists and map points (app/datacache.py): keyed on versions in the database, so
    # never stale after a write; kept at most this many seconds (0 turns the cache off) and entries per worker.
    DATA_CACHE_SECONDS = _int("DATA_CACHE_SECONDS", 300)
    DATA_CACHE_ENTRIES = _int("DATA_CACHE_ENTRIES", 256)
    # Directory searches kept the same way (the ids of a page of results, the count, "Did you mean", and the
    # facts the page's cards show), in a store of their own of this many entries per worker (a page of cards'
    # facts holds about 36 kB, so 1,000 entries stay under 40 MB a worker; 0 keeps none).
    SEARCH_CACHE_ENTRIES = _int("SEARCH_CACHE_ENTRIES", 1000)
    # Benchmarks only: a Server-Timing header saying whether a search was kept or ranked afresh. Off in
    # production, where it would tell anyone whether somebody else had made the same search lately.
    SEARCH_TIMING_HEADER = _bool("SEARCH_TIMING_HEADER", False)
    # Directory search: when the vocabulary's other words find more listings than this, the listings with the
    # words as typed come first (ranked), then the others ranked in blocks of SEARCH_RANK_BLOCK (newest block
    # first), so an everyday word never ranks the whole directory for one page (issue 16).
    SEARCH_RANK_ALL_UP_TO = _int("SEARCH_RANK_ALL_UP_TO", 1000)
    SEARCH_RANK_BLOCK = _int("SEARCH_RANK_BLOCK", 500)
    # Items per page on a ward's page (its organisations, and the services that serve the ward).
    WARD_PAGE_SIZE = _int("WARD_PAGE_SIZE", 50)

    # Where "report a problem" and other directory notices go, besides the group's own editors.
    DIRECTORY_TEAM_EMAIL = os.environ.get("DIRECTORY_TEAM_EMAIL", "community@barnet.example")

    # Redis is optional. Rate limits are shared by every worker either way: through Redis when it is set,
    # otherwise through the portal's own database (portal-db://, app/ratelimit.py); never per process.
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "portal-db://"
    # Behind a reverse proxy: how many proxies in front of the portal append to X-Forwarded-For (and set
    # X-Forwarded-Proto). 0: the connecting address is the client's, and X-Forwarded-* are ignored.
    TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 0)
    RATELIMIT_HEADERS_ENABLED = True
    # Sign-in attempts per account, and per address (a council office shares one address).
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute")
    LOGIN_IP_RATE_LIMIT = os.environ.get("LOGIN_IP_RATE_LIMIT", "30 per minute")
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per hour")
    # Public form posts that send e-mail or hold a place (join, report a problem, claim, register a group,
    # covenant pledge, ACV nomination), per client address and per form.
    PUBLIC_FORM_RATE_LIMIT = os.environ.get("PUBLIC_FORM_RATE_LIMIT", "10 per hour;30 per day")
    # Saving a page of a group's registration (the task list's draft: "Start now" and sending it count as
    # public form posts above), per client address: enough for a long registration, not for filling the table.
    REGISTRATION_DRAFT_RATE_LIMIT = os.environ.get("REGISTRATION_DRAFT_RATE_LIMIT", "120 per hour;400 per day")
    # Forms that mail an address the visitor types (join, meeting booking, forgotten password): per address.
    EMAIL_RECIPIENT_RATE_LIMIT = os.environ.get("EMAIL_RECIPIENT_RATE_LIMIT", "3 per hour;10 per day")
    # Meeting bookings per meeting from one client address (so nobody fills a meeting), and in all.
    MEETING_BOOKING_RATE_LIMIT = os.environ.get("MEETING_BOOKING_RATE_LIMIT", "4 per day")
    # Posts on e-mailed links (choose a password, confirm, preferences, cancel a booking), per address.
    LINK_FORM_RATE_LIMIT = os.environ.get("LINK_FORM_RATE_LIMIT", "30 per hour")
    # The organisation chooser's suggestions (one request per pause in typing), per client address.
    SUGGESTIONS_RATE_LIMIT = os.environ.get("SUGGESTIONS_RATE_LIMIT", "120 per minute;2000 per hour")

    # Folder holding the ONS/OS reference files (ward boundaries, postcodes) for `flask geo`.
    GEO_DATA_DIR = os.environ.get("GEO_DATA_DIR", str(BASE_DIR.parent / "shared" / "geo"))

    # Token lifetimes, in seconds.
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 60 * 60)
    INVITATION_MAX_AGE = _int("INVITATION_MAX_AGE", 7 * 24 * 60 * 60)

    # Cookies: HttpOnly and SameSite everywhere, Secure wherever the site is served over https.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # A signed-in session ends 8 hours after sign-in whatever happens, and after an hour without a request.
    PERMANENT_SESSION_LIFETIME = _int("PERMANENT_SESSION_LIFETIME", 8 * 60 * 60)
    SESSION_IDLE_TIMEOUT = _int("SESSION_IDLE_TIMEOUT", 60 * 60)
    FORCE_HTTPS = _bool("FORCE_HTTPS", False)

    # Assets of Community Value (Localism Act 2011 Part 5 Chapter 3; SI 2012/2421): statutory periods,
    # counted from the day of receipt inclusive. Settings, because a bill proposes changing them.
    ACV_DECISION_WEEKS = _int("ACV_DECISION_WEEKS", 8)
    ACV_LISTING_YEARS = _int("ACV_LISTING_YEARS", 5)
    ACV_REVIEW_REQUEST_WEEKS = _int("ACV_REVIEW_REQUEST_WEEKS", 8)
    ACV_REVIEW_DECISION_WEEKS = _int("ACV_REVIEW_DECISION_WEEKS", 8)
    ACV_INTERIM_MORATORIUM_WEEKS = _int("ACV_INTERIM_MORATORIUM_WEEKS", 6)
    ACV_FULL_MORATORIUM_MONTHS = _int("ACV_FULL_MORATORIUM_MONTHS", 6)
    ACV_PROTECTED_PERIOD_MONTHS = _int("ACV_PROTECTED_PERIOD_MONTHS", 18)
    # Faith covenant pledges are renewed every N years; signatories are reminded N days before.
    COVENANT_RENEWAL_YEARS = _int("COVENANT_RENEWAL_YEARS", 3)
    COVENANT_REMINDER_DAYS = _int("COVENANT_REMINDER_DAYS", 60)

    # Communities Together Network: how long a "confirm your membership" link works, and the open meetings
    # planned each year (002:117, "four open meetings").
    CTN_CONFIRM_MAX_AGE = _int("CTN_CONFIRM_MAX_AGE", 7 * 24 * 60 * 60)
    CTN_OPEN_MEETINGS_TARGET = _int("CTN_OPEN_MEETINGS_TARGET", 4)

    # Bulletin sender (app/bulletins/sender.py).
    BULLETIN_RATE_PER_SECOND = _float("BULLETIN_RATE_PER_SECOND", 0.0)  # messages a second per sender; 0: no limit
    BULLETIN_BATCH_SIZE = _int(
        "BULLETIN_BATCH_SIZE", 100
    )  # rows claimed at a time (and how often a routine send looks for emergencies)
    BULLETIN_LEASE_SECONDS = _int(
        "BULLETIN_LEASE_SECONDS", 120
    )  # how long a claim lasts before another sender may take the rows over
    BULLETIN_MAX_ATTEMPTS = _int("BULLETIN_MAX_ATTEMPTS", 5)  # temporary failures before a row is given up as failed
    BULLETIN_RETRY_BASE_SECONDS = _int("BULLETIN_RETRY_BASE_SECONDS", 60)  # back-off: base, 2 x base, 4 x base ...
    BULLETIN_RETRY_MAX_SECONDS = _int("BULLETIN_RETRY_MAX_SECONDS", 3600)  # ... up to this

    # Background tasks (app/tasks.py): through Redis when REDIS_URL is set, otherwise in this SQLite file.
    # TASKS_IMMEDIATE runs each task at once in the caller (tests).
    TASKS_SQLITE_PATH = os.environ.get("TASKS_SQLITE_PATH") or str(INSTANCE_DIR / "tasks.sqlite3")
    TASKS_IMMEDIATE = False

    # Folder holding pg_dump and pg_restore for `flask backup` (found on PATH when empty).
    PG_BINDIR = os.environ.get("PG_BINDIR", "")

    WTF_CSRF_TIME_LIMIT = _int("WTF_CSRF_TIME_LIMIT", 8 * 60 * 60)
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 10 * 1024 * 1024)
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    LOG_JSON = _bool("LOG_JSON", True)


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    TASKS_IMMEDIATE = True
    MAP_TILE_URL = ""  # no tile server on a test machine
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    MAIL_BACKEND = "locmem"
    RATELIMIT_STORAGE_URI = "memory://"
    LOG_LEVEL = "WARNING"
    SERVER_NAME = None


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    FORCE_HTTPS = _bool("FORCE_HTTPS", True)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name=None):
    return CONFIGS[name or os.environ.get("PORTAL_ENV", "development")]
