"""The key that signs sessions and e-mailed links: never a known one.

- `SECRET_KEY` set: used, unless it is shorter than 32 characters in production or is a key that has
  been published (refused in every mode).
- unset, in production: the portal refuses to start. Several machines behind a load balancer must share
  one key, and only the operator can give them one; a key made up on each machine would sign people out
  whenever the balancer sent them elsewhere.
- unset, anywhere else (`make run`, `flask run`, a bare `gunicorn wsgi:app`): a random key for this
  machine, made on first start in `instance/secret_key` (mode 0600) and reused afterwards, so sessions
  survive a restart and nobody else knows it.
"""

import hashlib
import logging
import os
import secrets
from pathlib import Path

from config import PUBLISHED_SECRET_KEY_SHA256

log = logging.getLogger("portal.secret_key")

KEY_FILE_NAME = "secret_key"
MIN_PRODUCTION_KEY_LENGTH = 32


class InsecureConfiguration(RuntimeError):
    """Raised when the settings would leave the site open."""


def is_published(key):
    raw = key.encode("utf-8") if isinstance(key, str) else key
    return hashlib.sha256(raw).hexdigest() in PUBLISHED_SECRET_KEY_SHA256


def instance_key(instance_path):
    """This machine's key from `instance_path/secret_key`, made (0600) the first time.

    Several gunicorn workers may start at once: the key is written to a private temporary file and then
    hard-linked into place, which fails for all but the first, so every worker reads the same key and
    nobody ever reads a half-written file."""
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / KEY_FILE_NAME
    if not path.exists():
        temporary = folder / f".{KEY_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
            try:
                os.link(temporary, path)
                log.warning("made a new secret key for this machine", extra={"path": str(path)})
            except FileExistsError:
                pass  # another worker was first: use its key
        finally:
            temporary.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        raise InsecureConfiguration(f"{path} can be read by other users of this machine. Run: chmod 600 {path}")
    key = path.read_text().strip()
    if len(key) < MIN_PRODUCTION_KEY_LENGTH:
        raise InsecureConfiguration(f"{path} does not hold a usable key. Delete it and start again.")
    return key


def settle(app):
    """Check the configured key, or supply this machine's; raise InsecureConfiguration to refuse."""
    key = app.config.get("SECRET_KEY")
    production = app.config["ENV_NAME"] == "production"
    if key and is_published(key):
        raise InsecureConfiguration(
            "Refusing to start: SECRET_KEY is a key that has been published (the old development key). "
            "Anyone could sign sessions and e-mailed links with it. Remove it, or set a new one: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
        )
    if production:
        if not key or len(key) < MIN_PRODUCTION_KEY_LENGTH:
            raise InsecureConfiguration(
                "Refusing to start in production without a SECRET_KEY of 32 characters or more. Set the "
                "same SECRET_KEY on every machine, e.g. from: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
            )
        return
    if not key:
        app.config["SECRET_KEY"] = instance_key(app.instance_path)
