"""Responses do not name the server software or its version (the `Server` header says only "portal").

Neither gunicorn nor Werkzeug's development server has a setting for this header, so the one string each
uses is replaced here, once per process, from `create_app`. A reverse proxy in front may set its own.
"""

SHOWN_AS = "portal"


def hide_server_software():
    from werkzeug.serving import WSGIRequestHandler

    # http.server puts version_string() ("Werkzeug/x Python/y") in the Server header of every response.
    WSGIRequestHandler.version_string = lambda self: SHOWN_AS
    try:
        import gunicorn.http.wsgi
    except ImportError:  # not installed: nothing to hide
        return
    # gunicorn's Response reads this module global for its "Server:" line on every response.
    gunicorn.http.wsgi.SERVER = SHOWN_AS
