"""Hostile and random input to every form and API parameter: never a server error, nothing stored unescaped.

The forms are found the way a person finds them: by crawling the portal (with the demo data loaded) while
signed in as an administrator, so a new form is fuzzed without anyone listing it here.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from app.extensions import db

from .conftest import sign_in
from .crawler import crawl, parse, shape

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '"><img src=x onerror="window.__xss=1">'
HOSTILE = [
    XSS_SCRIPT,
    XSS_IMG,
    "'; DROP TABLE organisation; --",
    "\x00\x07\x1b[31m",
    "A" * 6000,
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "../../../etc/passwd",
    "{{ 7*7 }}",
    "%s%n%x",
    "javascript:alert(1)",
    '=HYPERLINK("http://evil.example")',
    "   ",
    "",
    "\u202eevil",
    "ñ漢字🙂",
    "2026-02-30",
    "NW4 4BG",
    "a@b",
    *("²", "١٢٣", "9" * 5000, "1e400", "Infinity", "Line\r\nBcc: x@example.org", "\u2028"),
]
# Values that int(), float() and mail headers have tripped over: each goes into every text field of every form.
NUMBER_AND_LINE_TRAPS = ["²", "9" * 5000, "Name\r\nBcc: x@example.org"]
# Text a person might type, and text nobody would: any Unicode, including control characters.
hostile_text = st.one_of(
    st.sampled_from(HOSTILE), st.text(max_size=300), st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=50)
)

SKIP_ACTIONS = ("/sign-out", "/erase", "/delete", "/people/")  # ends the session, or wipes the fixture's data
START_PAGES = [
    "/",
    "/directory/",
    "/directory/?q=barnet",
    "/directory/?q=community",
    "/directory/register",
    "/ctn/",
    "/ctn/join",
    "/ctn/meetings",
    "/ctn/manage",
    "/ctn/manage/meetings",
    "/ctn/manage/members",
    "/covenant/",
    "/covenant/sign",
    "/covenant/pledges",
    "/assets-register/",
    "/assets-register/new",
    "/assets-register/acv",
    "/assets-register/acv/nominate",
    "/assets-register/acv/nominations",
    "/reporting/",
    "/reporting/2019-20-Q3/edit",
    "/directory/moderation",
    "/directory/import/",
    "/people/invite",
    "/account/password",
    "/wards",
    "/maps/wards",
]


CRAWL_LIMIT = 400


def load_demo_portal():
    from seed.loader import load_demo_organisations, load_taxonomies, load_wards, module_demo_loaders

    from .directory_helpers import add_postcodes

    load_wards()
    load_taxonomies()
    add_postcodes()
    load_demo_organisations()
    for load in module_demo_loaders():
        load()
    # A draft quarter, so that the reporting forms (locked on the approved demo quarters) are open too.
    from app.reporting.services import create_period

    create_period(2019, 3)
    db.session.commit()


@pytest.fixture
def demo_portal(app, make_user, prepared):
    """The demo data (loaded once a run, then copied back for each test) and an administrator."""
    prepared("demo portal", load_demo_portal)
    return make_user("admin", email="fuzz-admin@example.org")


PLAUSIBLE = [  # (part of a field name, a value that passes that field's checks)
    # The organisation chooser: some forms take only a listing's name (one in the demo directory).
    ("organisation_name", "Barnet Multi Faith Forum"),
    ("email", "someone@example.org"),
    ("postcode", "NW4 4BG"),
    ("website", "https://www.example.org"),
    ("url", "https://www.example.org"),
    ("phone", "020 8359 2000"),
    ("time", "10:00"),
    ("opens", "09:00"),
    ("closes", "17:00"),
    ("latitude", "51.5883"),
    ("longitude", "-0.2292"),
    ("charity", ""),
    ("company", ""),
    ("age", ""),
    ("capacity", "40"),
    ("likelihood", "3"),
    ("impact", "4"),
    ("score", "12"),
    ("year", "2026"),
    ("day", "12"),
    ("month", "3"),
    ("number", "1"),
    ("count", "1"),
    ("result", "5"),
    ("value", "5"),
]


def plausible(name, default):
    """A value a careful person would type into the field (or what the form already holds)."""
    if default:
        return default
    lowered = name.lower()
    for part, value in PLAUSIBLE:
        if part in lowered:
            return value
    return "Plausible text"


def fill_one(form, target, payload):
    """The form filled in plausibly, with `payload` in the field `target` only."""
    data = {name: plausible(name, value) for name, value in form.fields.items()}
    for name in set(form.text_fields):
        if form.text_fields.count(name) == 3:  # a GOV.UK date: day, month and year inputs share one name
            data[name] = ["1", "6", "2020"]
    data[target] = payload
    for name, options in form.choices.items():
        if options:
            data[name] = options[-1] if len(options) > 1 else options[0]
    return data


def post_payload_everywhere(client, forms, payload):
    """Post `payload` into each free-text field of each form, one field at a time; returns statuses >= 500."""
    seen, failures = set(), []
    for form in forms:
        if form.has_file or any(marker in form.action for marker in SKIP_ACTIONS):
            continue
        current = None
        for target in form.text_fields:
            key = (form.action, tuple(sorted(form.fields)), target)
            if key in seen:
                continue
            seen.add(key)
            if current is None:
                # Fresh from its page: hidden fields (a listing's version) change as edits are saved.
                current = next(
                    (
                        f
                        for f in parse(form.page, client.get(form.page).get_data(as_text=True))[1]
                        if f.action == form.action
                    ),
                    form,
                )
            response = client.post(form.action, data=fill_one(current, target, payload))
            if response.status_code >= 500:
                failures.append(f"{form.action} [{target}]: {response.status_code}")
            # A form sent back with an error summary saved nothing, so its page has not changed either.
            if not (response.status_code == 200 and b"govuk-error-summary" in response.get_data()):
                current = None
    return failures


def _fill(form, values):
    data = dict(form.fields)
    for name, value in zip(form.text_fields, values, strict=False):
        data[name] = value
    for name, options in form.choices.items():
        if options:
            data[name] = options[-1] if len(options) > 1 else options[0]
    return data


def test_every_form_answers_hostile_input_without_a_server_error(app, client, demo_portal):
    assert sign_in(client, demo_portal.email).status_code == 302
    pages, forms = crawl(client, START_PAGES, skip=("/sign-out", "/erase"), limit=CRAWL_LIMIT)
    assert [path for path, (status, _) in pages.items() if status >= 500] == []
    # One of each form: the crawl finds up to three pages of a kind (three listings' edit forms), and the same
    # form at the same route with the same fields is the same code whichever record it edits.
    unique = {}
    for form in forms:
        if form.has_file or any(marker in form.action for marker in SKIP_ACTIONS):
            continue
        unique.setdefault((shape(form.action), tuple(sorted(form.fields)), tuple(sorted(form.choices))), form)
    assert len(unique) >= 25, f"only {len(unique)} forms found: the crawl is not reaching the portal"
    failures = []

    for form in unique.values():

        @settings(
            max_examples=6,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(values=st.lists(hostile_text, min_size=len(form.text_fields), max_size=len(form.text_fields)))
        def post(values):
            response = client.post(form.action, data=_fill(form, values))  # noqa: B023  (run at once, below)
            if response.status_code >= 500:
                failures.append(f"{form.action} from {form.page}: {response.status_code} with {values!r:.300}")  # noqa: B023

        post()
    assert failures == []
    for payload in NUMBER_AND_LINE_TRAPS:
        assert post_payload_everywhere(client, unique.values(), payload) == [], payload
    # The stored-XSS payloads, one field at a time in otherwise sensible forms, for the escaping check below.
    assert post_payload_everywhere(client, unique.values(), XSS_SCRIPT + XSS_IMG) == []

    pages, _ = crawl(client, START_PAGES, skip=("/sign-out", "/erase"), limit=CRAWL_LIMIT)
    unescaped = [path for path, (_, html) in pages.items() if XSS_SCRIPT in html or "<img src=x onerror" in html]
    assert unescaped == []
    assert any("window.__xss=1" in html for _, html in pages.values()), "the payload was stored nowhere: check the test"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "search",
                "page",
                "per_page",
                "postcode",
                "distance",
                "category",
                "ward",
                "proximity",
                "taxonomy_term_id",
                "accessibility",
                "open_now",
                "set",
                "measure",
                "year",
            ]
        ),
        hostile_text,
        max_size=5,
    )
)
def test_query_parameters_never_cause_a_server_error(client, params):
    for path in [
        "/directory/",
        "/api/oruk/v3/services",
        "/api/oruk/v3/service_at_locations",
        "/api/oruk/v3/taxonomy_terms",
        "/maps/wards",
        "/maps/directory/points.json",
        "/wards",
        "/ctn/meetings",
        "/reporting/",
    ]:
        response = client.get(path, query_string=params)
        assert response.status_code < 500, (path, params, response.status_code)


@pytest.mark.parametrize(
    "path",
    ["/directory/no-such", "/api/oruk/v3/services/not-a-uuid", "/wards/%00", "/ctn/meetings/99999999999999999999"],
)
def test_odd_urls_are_404_not_500(client, path):
    assert client.get(path).status_code == 404


# Files no officer means to upload: each goes into every file field of every form (imports of CSV and XLSX).
HOSTILE_FILES = [
    ("long-field.csv", b"name,email,sector,description\r\n" + b"A" * 200_000 + b",a@example.org,VCFS,x\r\n"),
    ("quoted-forever.csv", b'name,email,sector\r\n"' + b"B" * 300_000 + b"\r\n"),
    ("windows-1252.csv", "name,email,sector\r\nZo\u00eb,zoe@example.org,VCFS\r\n".encode("cp1252")),
    ("utf-16.csv", "name,email,sector\r\nZoe,zoe@example.org,VCFS\r\n".encode("utf-16")),
    ("nul.csv", b"name,email\r\nA\x00B,a@example.org\r\n"),
    ("empty.csv", b""),
    ("bom-only.csv", b"\xef\xbb\xbf"),
    ("workbook.csv", b"PK\x03\x04not really a zip"),
    ("broken.xlsx", b"PK\x03\x04not really a zip"),
    ("digits.csv", "name,email,sector\r\n\u00b2,\u0661@x.org,\u00b2\r\n".encode()),
    ("formulas.csv", b"name,email,sector\r\n=cmd|' /C calc'!A0,=1+1@example.org,+VCFS\r\n"),
    ("line-breaks.csv", b'name,email,sector\r\n"Ann\r\nBcc: x@example.org",ann@example.org,VCFS\r\n'),
]


def test_every_file_upload_answers_hostile_files_without_a_server_error(app, client, demo_portal):
    import io

    assert sign_in(client, demo_portal.email).status_code == 302
    _, forms = crawl(
        client,
        ["/directory/import/", "/ctn/manage/members/import", "/reporting/2019-20-Q3/import"],
        skip=("/sign-out", "/erase"),
        limit=20,
    )
    uploads = {form.action: form for form in forms if form.has_file}
    assert len(uploads) >= 3, f"only {sorted(uploads)}: the upload forms moved?"
    failures, answers = [], []
    for form in uploads.values():
        for filename, content in HOSTILE_FILES:
            data = _fill(form, [plausible(name, form.fields[name]) for name in form.text_fields])
            for name in form.file_fields:
                data[name] = (io.BytesIO(content), filename)
            response = client.post(form.action, data=data, content_type="multipart/form-data")
            if response.status_code >= 500:
                failures.append(f"{form.action} with {filename}: {response.status_code}")
            elif filename == "long-field.csv":
                answers.append(
                    response.get_data(as_text=True)
                    + client.get(response.headers.get("Location") or form.page).get_data(as_text=True)
                )
    assert failures == []
    # The files reached the importers (not a CSRF refusal): the long value is named on the pages.
    assert sum("longer than 131,072 characters" in answer for answer in answers) >= 2


# Path segments a signed link (or any other text in a URL) might be replaced with: a digit int() refuses, digits
# int() accepts but ASCII does not have, too many digits, odd dots, non-ASCII, bytes that are not UTF-8.
HOSTILE_SEGMENTS = [
    "%C2%B2.abc",
    "%D9%A1%D9%A2.abc",
    "9" * 5000 + ".x",
    "1." + "%C3%A9" * 20,
    "-1.x",
    "1e400",
    "1.",
    ".",
    "..",
    "%E2%80%AE1.abc",
    "a" * 3000,
    "%FF%FE.x",
    "%20",
    "1.%0D%0ABcc:x",
    "0.AAAAAAAAAAAAAAAAAAAAAAAA",
    "%C2%B2",
]


def test_every_route_answers_hostile_url_segments_without_a_server_error(app, client, make_user, wards):
    """Every route with a text part in its URL (signed links, slugs, codes), asked for and posted to (with a
    valid CSRF token) with each hostile segment in that part: never a server error, as a visitor and as an
    administrator."""
    from .conftest import csrf_token

    token = csrf_token(client, "/ctn/join")
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    checked, failures = 0, []
    for signed_in in (False, True):
        if signed_in:
            admin = make_user("admin", email="segments-admin@example.org")
            assert sign_in(client, admin.email).status_code == 302
            token = csrf_token(client, "/ctn/join")
        for rule in rules:
            text_parts = [name for name in rule.arguments if not isinstance(rule._converters[name], IntegerConverter)]
            for part in text_parts:
                values = {
                    name: ("1" if isinstance(rule._converters[name], IntegerConverter) else "x")
                    for name in rule.arguments
                }
                values[part] = "SEGMENTMARKER"
                url = rule.build(values)[1]
                for segment in HOSTILE_SEGMENTS:
                    hostile = url.replace("SEGMENTMARKER", segment)
                    for method in sorted(rule.methods & {"GET", "POST"}):
                        if rule.endpoint == "auth.sign_out":
                            continue
                        response = client.open(
                            hostile, method=method, data={"csrf_token": token} if method == "POST" else None
                        )
                        checked += 1
                        if response.status_code >= 500:
                            failures.append(f"{method} {hostile[:80]} ({rule.endpoint}): {response.status_code}")
    assert checked > 300
    assert failures == []


def test_member_emails_never_appear_on_public_pages_or_the_api(app, client, demo_portal):
    from app.ctn.models import Member
    from app.extensions import db

    emails = [m.email for m in db.session.scalars(db.select(Member))]
    assert emails, "the demo data has CTN members"
    pages, _ = crawl(
        client,
        [
            "/",
            "/ctn/",
            "/ctn/meetings",
            "/directory/",
            "/wards",
            "/covenant/signatories",
            "/api/oruk/v3/services",
            "/api/oruk/v3/service_at_locations",
        ],
        limit=200,
    )
    api = client.get("/api/oruk/v3/services?per_page=200").get_data(as_text=True)
    leaked = [(path, email) for path, (_, html) in pages.items() for email in emails if email in html]
    leaked += [("api", email) for email in emails if email in api]
    assert leaked == []


def test_nul_characters_never_reach_the_database(client, app, wards, taxonomies):
    """PostgreSQL refuses text with NUL in it; the portal drops NULs from queries and forms, and a path
    with one is simply not found."""
    assert client.get("/directory/", query_string={"q": "fo\x00od"}).status_code == 200
    assert client.get("/api/oruk/v3/services", query_string={"search": "\x00"}).status_code == 200
    assert client.get("/wards/E05013643%00").status_code == 404
    from .conftest import post_form

    page = post_form(client, "/password/forgot", {"email": "some\x00one@example.org"})
    assert page.status_code == 200
