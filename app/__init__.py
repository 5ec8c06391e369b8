"""Application factory for the Community Partnership Portal."""

from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from config import BASE_DIR, INSTANCE_DIR, config_for

from . import (
    errors,
    models,  # noqa: F401  (registers every table)
    modules,  # noqa: F401  (every module's ward contents, live sources, tasks, demo loaders, to-do lists)
    secret_key,
    security,
    tasks,
    templating,
)
from . import logging as portal_logging
from . import request as portal_request
from .api.views import bp as api_bp
from .assets.views import bp as assets_bp
from .auth.cli import users_cli
from .auth.views import bp as auth_bp
from .backup import backup_cli
from .bulletins.cli import bulletins_cli
from .bulletins.views import bp as bulletins_bp
from .covenant.cli import covenant_cli
from .covenant.views import bp as covenant_bp
from .ctn.views import bp as ctn_bp
from .directory.cli import directory_cli
from .directory.editor import listing_editor as directory_listing_editor_bp
from .directory.editor import registration as directory_registration_bp
from .directory.import_views import export_bp as directory_export_bp
from .directory.import_views import import_bp as directory_import_bp
from .directory.views import bp as directory_bp
from .exchange.views import bp as exchange_bp
from .extensions import csrf, db, limiter, login_manager, mail, migrate
from .main.views import bp as main_bp
from .maps.views import bp as maps_bp
from .places.cli import geo_cli
from .places.views import bp as places_bp
from .reporting.cli import reporting_cli
from .reporting.views import bp as reporting_bp
from .secret_key import InsecureConfiguration  # noqa: F401  (raised by create_app)
from .server_header import hide_server_software
from .tasks import tasks_cli


class DatabaseIntegerConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(config_name=None, **overrides):
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        static_folder=str(BASE_DIR / "static"),
        template_folder=str(BASE_DIR / "templates"),
    )
    # Record ids in URLs fit a database integer: a larger number is a 404, never a database error.
    app.url_map.converters["int"] = DatabaseIntegerConverter
    app.config.from_object(config_for(config_name))
    app.config.update(overrides)
    # E-mail templates write PUBLIC_BASE_URL + url_for(...): one slash between them, whatever was typed.
    app.config["PUBLIC_BASE_URL"] = (app.config["PUBLIC_BASE_URL"] or "").strip().rstrip("/")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    secret_key.settle(app)  # never a known key; refuses to start rather than use one
    if app.config["SESSION_COOKIE_SECURE"] and app.config.get("SESSION_COOKIE_NAME", "session") == "session":
        # Over https the browser then accepts the cookie only if Secure, Path=/ and no Domain: no other
        # host (a subdomain, a plain-http page) can set or shadow it.
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
    hide_server_software()
    if app.config["TRUSTED_PROXY_COUNT"] > 0:
        # Client addresses (rate limits, logs) and https come from what the configured number of proxies in
        # front report; with none configured, X-Forwarded-* headers are ignored, as anyone can send them.
        count = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(BASE_DIR / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)

    portal_logging.init_app(app)
    portal_request.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    tasks.init_app(app)

    _register_blueprints(app)
    _register_cli(app)

    errors.init_app(app)
    templating.init_app(app)
    return app


def _register_blueprints(app):
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(directory_listing_editor_bp)
    app.register_blueprint(directory_registration_bp)
    app.register_blueprint(directory_import_bp)
    app.register_blueprint(directory_export_bp)
    app.register_blueprint(places_bp)
    app.register_blueprint(maps_bp)
    app.register_blueprint(ctn_bp)
    app.register_blueprint(bulletins_bp)
    app.register_blueprint(covenant_bp)
    app.register_blueprint(assets_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(exchange_bp)


def _register_cli(app):
    # Imported here: seed.cli -> seed.loader -> app would be a cycle at import time.
    from seed.cli import seed_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(bulletins_cli)
    app.cli.add_command(covenant_cli)
    app.cli.add_command(directory_cli)
    app.cli.add_command(tasks_cli)
    app.cli.add_command(geo_cli)
    app.cli.add_command(reporting_cli)
    app.cli.add_command(seed_cli)
