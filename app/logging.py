"""Structured (JSON) logging: one line per request with its id, user, status and duration."""

import logging
import sys
import time
import uuid

from flask import g, request
from flask_login import current_user
from pythonjsonlogger.json import JsonFormatter

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def init_app(app):
    handler = logging.StreamHandler(sys.stderr)
    if app.config["LOG_JSON"]:
        handler.setFormatter(JsonFormatter(LOG_FORMAT, rename_fields={"levelname": "level"}))
    else:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
    portal_logger = logging.getLogger("portal")
    portal_logger.handlers[:] = [handler]
    portal_logger.setLevel(app.config["LOG_LEVEL"])
    portal_logger.propagate = False
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(app.config["LOG_LEVEL"])

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()
        # Trust an id from the reverse proxy when it looks like one, so logs can be joined up.
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isalnum() else uuid.uuid4().hex

    def _path_without_tokens():
        # A personal link's token is as good as a password to its page: it stays out of the logs.
        path = request.path
        for name, value in (request.view_args or {}).items():
            if name.endswith("token") and isinstance(value, str) and value:
                path = path.replace(value, "[token]")
        return path

    @app.after_request
    def log_request(response):
        started = g.pop("request_started", None)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if started is None or request.endpoint == "static":
            return response
        user_id = current_user.get_id() if current_user and current_user.is_authenticated else None
        logging.getLogger("portal.request").info(
            "request",
            extra={
                "request_id": g.get("request_id"),
                "method": request.method,
                "path": _path_without_tokens(),
                "endpoint": request.endpoint,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "user_id": user_id,
                "remote_addr": request.remote_addr,
            },
        )
        return response
