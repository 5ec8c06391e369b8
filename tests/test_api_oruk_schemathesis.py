"""schemathesis against the Open Referral UK API: the official openapi.json (from ../shared/oruk, its remote
schemas bundled locally and its own errors corrected as oruk_official_fixes.json records) and the portal's
own /api/oruk/v3/openapi.json. Every generated request, valid or not, must get an answer the document allows:
never a server error, JSON of the declared shape, and a 400 for values the document rules out.

Lean on purpose: a bounded number of examples per operation, the same examples every run in CI (the "ci"
hypothesis profile in conftest.py derandomizes).
"""

import copy
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance, status_code_conformance

from app.api import openapi

from .conftest import ORUK_DIR
from .oruk_documents import bundled_official_document
from .test_api_oruk import directory  # noqa: F401  (the small directory the requests run over)

API = "/api/oruk/v3"
EXAMPLES = int(os.environ.get("ORUK_SCHEMATHESIS_EXAMPLES", "12"))  # more for a deeper run by hand
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


def _official():
    if ORUK_DIR.is_dir():
        return schemathesis.openapi.from_dict(bundled_official_document(ORUK_DIR, f"http://localhost{API}"))
    # Without the shared files there is nothing to run; in CI that is a failure (below), not a skip.
    return schemathesis.openapi.from_dict({"openapi": "3.0.0", "info": {"title": "-", "version": "-"}, "paths": {}})


# Built when the module is imported (schemathesis' fixture-based loader does not work with pytest 9); the
# portal's document is the one /openapi.json serves (checked below).
OFFICIAL = _official()
PORTAL_DOCUMENT = openapi.document(f"http://localhost{API}", "http://localhost/open-data")
PORTAL = schemathesis.openapi.from_dict(copy.deepcopy(PORTAL_DOCUMENT))


def test_the_portals_document_is_the_one_it_serves(client):
    assert client.get(f"{API}/openapi.json").get_json() == PORTAL_DOCUMENT


def test_the_official_document_is_here():
    if not ORUK_DIR.is_dir():
        message = f"{ORUK_DIR} is missing (the shared HSDS-UK 3.0 files), so the official document is not checked"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


# The official document declares 200 as the only answer and no bounds on any parameter (page=0,
# per_page=1000000 and day=xyz are valid to it), so against it two checks cannot apply: "status code
# documented" (an unknown id must be a 404, a nonsense value a 400) and "valid data accepted". Everything
# else is checked: no server errors, JSON of the declared schemas, headers, and values it rules out refused.
# The portal's own document declares the bounds and the 400 and 404 answers, and is held to every check.
NOT_FOR_THE_OFFICIAL_DOCUMENT = [status_code_conformance, positive_data_acceptance]
# Schemathesis asks for gzip as `requests` does, but over WSGI it reads the body without decoding it; the
# lists answer gzip to a client that asks (tests/test_page_caching.py), so here the bodies are asked plain.
PLAIN_BODY = {"Accept-Encoding": "identity"}


@OFFICIAL.parametrize()
@SETTINGS
def test_the_official_document(case, app, directory):  # noqa: F811
    case.call_and_validate(app=app, excluded_checks=NOT_FOR_THE_OFFICIAL_DOCUMENT, headers=PLAIN_BODY)


@PORTAL.parametrize()
@SETTINGS
def test_the_portals_own_document(case, app, directory):  # noqa: F811
    query = case.query or {}
    if case.meta.generation.mode.is_positive and (query.get("postcode") or "proximity" in query):
        # A well-formed postcode the directory does not know is a 400 by design (test_api_oruk.py); like an
        # id, a postcode that finds something has to come from the data. And proximity needs a postcode,
        # as its description says (OpenAPI cannot state that one parameter needs another).
        query["postcode"] = "EN5 4AG"
    case.call_and_validate(app=app, headers=PLAIN_BODY)
