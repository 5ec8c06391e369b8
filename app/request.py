"""The portal's request class: NUL characters never reach the database.

A NUL (U+0000) in a query string, form field or URL path is never meaningful here, and PostgreSQL refuses
text containing one (a 500 where SQLite would shrug). Query and form values are cleaned as they are parsed,
and a path containing one is a 404 (see `reject_nul_paths`).
"""

from flask import Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items

from .text import whole_number


def _clean(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict):
    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [(_clean(key), _clean(value)) for key, value in iter_multi_items(mapping)]
        super().__init__(mapping)


class PortalRequest(Request):
    parameter_storage_class = NulFreeMultiDict


def page_asked(pages):
    """The page of a list shown a page at a time that the request asks for (?page=), from 1 to `pages`: a value
    that is not a whole number in ASCII digits asks for page 1, one past the end for the last page."""
    return min(max(1, whole_number(request.args.get("page")) or 1), max(1, pages))


def reject_nul_paths():
    if "\x00" in request.path:
        abort(404)


def init_app(app):
    app.request_class = PortalRequest
    app.before_request(reject_nul_paths)
