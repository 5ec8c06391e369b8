"""Load: concurrent clients over a realistic mix with signed-in users and writes, against gunicorn.

    .venv/bin/python -m bench.load [--organisations 20000] [--clients 50] [--seconds 60] [--workers N]
                                   [--database-url URL]

PostgreSQL: scripts/with-postgres sh -c '.venv/bin/python -m bench.load --database-url "$TEST_DATABASE_URL"'.

After a warm-up (the mix with every client for --warm-up seconds, timed by nothing), three runs against the
same server, one after the other:
1. the plain page (`/accessibility`) alone, all clients: the harness's own throughput on this machine;
2. the mix with one client: each kind's single-request latency (p95 of the mix);
3. the mix with all clients.
The mix: residents (home, directory searches by words, ward and postcode, listing pages, ward pages, the map
and its points, the Open Referral API; and writes: joining the CTN, booking a place at a meeting), strategy
officers signed in (moderation queue, /account to-do list, bulletins list, CTN members) and group editors
signed in (/account, their listing's edit form, and a listing edit sent for moderation). A form post counts
its GET (for the CSRF token) and its POST as two requests; redirects are followed inside the request.
The rate limits on public forms are raised for the run through the settings config.py reads (one address
sends everything here); the production defaults are untouched.

Target (issue 16): mix throughput >= half the plain page's; mix p99 <= 10 x the single-client p95; zero
errors. Traffic goes to 127.0.0.1 only, and stops itself.
"""

import argparse
import http.cookiejar
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from html.parser import HTMLParser

from .common import GEO_DIR, gunicorn, percentile, prepared_database, summary
from .dataset import WORDS, load_postcodes

PASSWORD = "load-bench-password-2026"
# Raised for the bench only (every client shares one address); config.py reads these from the environment.
RAISED_LIMITS = {
    "LOGIN_RATE_LIMIT": "100000 per minute",
    "LOGIN_IP_RATE_LIMIT": "100000 per minute",
    "PUBLIC_FORM_RATE_LIMIT": "1000000 per hour",
    "EMAIL_RECIPIENT_RATE_LIMIT": "1000000 per hour",
    "MEETING_BOOKING_RATE_LIMIT": "1000000 per day",
    "LINK_FORM_RATE_LIMIT": "1000000 per hour",
}

WARDS = [f"E050136{n}" for n in range(28, 52)]


def make_mix(organisations, postcodes, rng):
    """The residents' pages: (weight, kind, function returning a path)."""
    return [
        (8, "home", lambda: "/"),
        (14, "search words", lambda: f"/directory/?q={rng.choice(WORDS)}"),
        (8, "search words + ward", lambda: f"/directory/?q={rng.choice(WORDS)}&ward={rng.choice(WARDS)}"),
        (8, "search postcode", lambda: f"/directory/?postcode={rng.choice(postcodes).replace(' ', '+')}&distance=1"),
        (22, "listing", lambda: f"/directory/bench-{rng.randint(1, organisations)}"),
        (10, "ward page", lambda: f"/wards/{rng.choice(WARDS)}"),
        (6, "map page", lambda: "/maps/directory"),
        (2, "map points", lambda: "/maps/directory/points.json"),
        (14, "API services", lambda: f"/api/oruk/v3/services?search={rng.choice(WORDS)}&page={rng.randint(1, 5)}"),
        (
            8,
            "API near postcode",
            lambda: (
                f"/api/oruk/v3/service_at_locations?postcode={rng.choice(postcodes).replace(' ', '+')}&proximity=1500"
            ),
        ),
    ]


# --- Sessions and forms ---------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The fields of each POST form on a page: {action: {name: value}} (checked boxes and radios, the first
    radio of a group that has none checked, selected options, text areas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.current, self.select, self.textarea, self.radios = {}, None, None, None, set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.current = self.forms.setdefault(a.get("action") or "", {})
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox",):
                if "checked" in a:
                    self.current.setdefault(a["name"], []).append(a.get("value", "y"))
            elif kind == "radio":
                if "checked" in a or a["name"] not in self.radios:
                    self.current[a["name"]] = a.get("value", "")
                    if "checked" in a:
                        self.radios.add(a["name"])
            elif kind not in ("submit", "button", "file"):
                self.current[a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and ("selected" in a or self.select not in self.current):
            self.current[self.select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.current[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current[self.textarea] += data


def post_fields(html, action=None):
    parser = _Forms()
    parser.feed(html)
    if action is not None and action in parser.forms:
        return dict(parser.forms[action])
    return max(parser.forms.values(), key=len) if parser.forms else {}


class Client:
    """One visitor: its own cookies (a session when signed in); each request's (kind, ms, status) is recorded."""

    def __init__(self, base, latencies, errors):
        self.base, self.latencies, self.errors = base, latencies, errors
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, kind, path, data=None, record=True):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        started = time.perf_counter()
        text = ""
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                text = response.read().decode("utf-8", "replace")
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except Exception as exc:  # noqa: BLE001  (connection failures are errors to count)
            status = f"{type(exc).__name__}: {exc}"
        if record:
            self.latencies[kind].append((time.perf_counter() - started) * 1000)
            if status != 200:
                self.errors.append((kind, path, status))
        return status, text

    def sign_in(self, email):
        _, page = self.request("sign in", "/sign-in", record=False)
        fields = post_fields(page)
        fields.update(email=email, password=PASSWORD)
        status, page = self.request("sign in", "/sign-in", fields, record=False)
        if status != 200 or "Sign out" not in page:
            raise RuntimeError(f"{email} could not sign in (status {status})")

    def post_form(self, kind, path, changes):
        """GET the form (for its CSRF token and current values), then POST it with `changes`."""
        status, page = self.request(f"{kind} (form)", path)
        if status != 200:
            return
        fields = post_fields(page, path)
        fields.update(changes)
        self.request(kind, path, fields)


# --- The writes (one function each, so that a changed route is changed in one place) -----------------------


def edit_listing(client, slug, rng):
    """A group editor changes their listing's description in the task-list editor (the "About the group"
    page saves a draft), then sends it from "Check your answers"; it goes to the moderation queue."""
    client.post_form(
        "listing edit (POST)",
        f"/directory/{slug}/edit/about",
        {
            "description": f"We run {' '.join(rng.sample(WORDS, 5))} sessions for people in Barnet (edit {rng.random():.6f})."
        },
    )
    client.post_form("listing send (POST)", f"/directory/{slug}/edit/check", {"message": "Updated our sessions"})


def join_ctn(client, rng, n):
    client.post_form(
        "CTN join (POST)",
        "/ctn/join",
        {"name": f"Load Visitor {n}", "email": f"load.visitor.{n}.{rng.randrange(10**9)}@example.org", "consent": "y"},
    )


def book_meeting(client, meeting_id, rng, n):
    client.post_form(
        "meeting booking (POST)",
        f"/ctn/meetings/{meeting_id}",
        {"name": f"Load Booker {n}", "email": f"load.booker.{n}.{rng.randrange(10**9)}@example.org"},
    )


def page_action(kind, make_path):
    return lambda client, n: client.request(kind, make_path())


def signed_in_mix(organisations, meeting_id, rng):
    """(weight, who, kind, action(client, n)) for the whole mix; `who` is resident, officer or editor."""
    return [
        (3, "resident", "CTN join", lambda c, n: join_ctn(c, rng, n)),
        (3, "resident", "meeting booking", lambda c, n: book_meeting(c, meeting_id, rng, n)),
        (3, "officer", "moderation queue", lambda c, n: c.request("moderation queue", "/directory/moderation")),
        (3, "officer", "officer /account", lambda c, n: c.request("officer /account", "/account")),
        (2, "officer", "bulletins list", lambda c, n: c.request("bulletins list", "/bulletins/manage")),
        (2, "officer", "CTN members", lambda c, n: c.request("CTN members", "/ctn/manage/members")),
        (2, "editor", "editor /account", lambda c, n: c.request("editor /account", "/account")),
        (
            2,
            "editor",
            "listing edit form",
            lambda c, n: c.request("listing edit form", f"/directory/bench-{n + 1}/edit/about"),
        ),
        (3, "editor", "listing edit", lambda c, n: edit_listing(c, f"bench-{n + 1}", rng)),
    ]


def prepare_people(clients, organisations):
    """Officers and group editors (editor n edits bench-(n+1)), and a meeting open for booking."""
    from datetime import date, timedelta
    from datetime import time as clock

    from app.auth.models import User
    from app.auth.services import hash_password
    from app.ctn.services import MeetingDetails, create_meeting
    from app.directory.models import Organisation
    from app.extensions import db

    digest = hash_password(PASSWORD)
    for n in range(clients):
        db.session.add(
            User(email=f"officer{n}@bench.example", name=f"Officer {n}", role="strategy_officer", password_hash=digest)
        )
        editor = User(email=f"editor{n}@bench.example", name=f"Editor {n}", role="group_editor", password_hash=digest)
        editor.organisations.append(
            db.session.scalar(db.select(Organisation).where(Organisation.slug == f"bench-{n + 1}"))
        )
        db.session.add(editor)
    db.session.commit()
    meeting = create_meeting(
        MeetingDetails(
            kind="open_forum",
            title="CTN open forum (load benchmark)",
            day=date.today() + timedelta(days=30),
            start=clock(18, 0),
            end=clock(20, 0),
            venue_name="Hendon Town Hall",
            venue_address="The Burroughs",
            venue_postcode="NW4 4BG",
            capacity=None,
            status="scheduled",
        )
    )
    db.session.commit()
    return meeting.id


# --- Running ----------------------------------------------------------------------------------------------


def run_clients(base, count, seconds, choose, latencies, errors, setup=None):
    """`count` client threads for `seconds`; each calls choose(client, n, rng) in a loop."""
    clients = [Client(base, latencies, errors) for _ in range(count)]
    if setup:
        for n, client in enumerate(clients):
            setup(client, n)
    stop_at = time.monotonic() + seconds

    def loop(client, n):
        rng = random.Random(n)
        while time.monotonic() < stop_at:
            choose(client, n, rng)

    threads = [threading.Thread(target=loop, args=(client, n)) for n, client in enumerate(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--single-seconds", type=int, default=0, help="the one-client run (default: seconds / 2)")
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn workers (4 threads each, as docs/operations.md)"
    )
    parser.add_argument(
        "--warm-up",
        type=int,
        default=10,
        help="seconds of the mix with every client, timed by nothing, before the three runs (default 10)",
    )
    parser.add_argument("--database-url", help="PostgreSQL URL to benchmark instead of a new SQLite file")
    args = parser.parse_args()
    print(
        f"Load test: {args.clients} clients for {args.seconds} s, {args.organisations:,} organisations, "
        f"gunicorn with {args.workers} workers"
    )
    url, instance = prepared_database(args.organisations, args.database_url)
    from app import create_app

    with create_app("development", SQLALCHEMY_DATABASE_URI=url, LOG_LEVEL="WARNING").app_context():
        meeting_id = prepare_people(args.clients, args.organisations)
    postcodes = [p for p, *_ in load_postcodes(GEO_DIR)]
    pages = make_mix(args.organisations, postcodes, random.Random(1))
    page_weight = sum(weight for weight, _, _ in pages)
    signed_in = signed_in_mix(args.organisations, meeting_id, random.Random(2))
    # Residents' pages keep their share; the signed-in and write kinds are added on top (about 1 request in 4).
    mix = [(weight, "resident", kind, page_action(kind, make)) for weight, kind, make in pages]
    mix += [(weight * page_weight / 75, who, kind, action) for weight, who, kind, action in signed_in]
    weights = [entry[0] for entry in mix]

    def sign_in_all(client, n):
        client.officer = Client(client.base, client.latencies, client.errors)
        client.officer.sign_in(f"officer{n}@bench.example")
        client.editor = Client(client.base, client.latencies, client.errors)
        client.editor.sign_in(f"editor{n}@bench.example")

    def choose_mix(client, n, rng):
        _, who, _, action = rng.choices(mix, weights)[0]
        action({"resident": client, "officer": client.officer, "editor": client.editor}[who], n)

    def choose_plain(client, n, rng):
        client.request("plain page", "/accessibility")

    with gunicorn(url, instance, workers=args.workers, env=RAISED_LIMITS) as base:
        # Each worker's first view of a kind of page (compiling its templates, filling its caches) is not what a
        # resident waits for on a running site; without this the one-client run's p95 was mostly those first
        # views (about 4 times its p95 when run again straight after).
        warm_errors = []
        if args.warm_up:
            run_clients(base, args.clients, args.warm_up, choose_mix, defaultdict(list), warm_errors, sign_in_all)
        plain, plain_errors = defaultdict(list), []
        plain_elapsed = run_clients(base, args.clients, args.seconds, choose_plain, plain, plain_errors)
        single, single_errors = defaultdict(list), []
        run_clients(
            base, 1, args.single_seconds or max(args.seconds // 2, 10), choose_mix, single, single_errors, sign_in_all
        )
        load, load_errors = defaultdict(list), []
        elapsed = run_clients(base, args.clients, args.seconds, choose_mix, load, load_errors, sign_in_all)

    plain_all = plain["plain page"]
    plain_rate = len(plain_all) / plain_elapsed
    everything = [value for values in load.values() for value in values]
    mix_rate = len(everything) / elapsed
    single_all = [value for values in single.values() for value in values]
    single_p95, p99 = percentile(single_all, 0.95), percentile(everything, 0.99)
    errors = warm_errors + plain_errors + single_errors + load_errors
    print(f"  plain page alone: {plain_rate:.1f} requests/s, p95 {percentile(plain_all, 0.95):.1f} ms")
    print(f"  mix, one client: {len(single_all)} requests, p95 {single_p95:.1f} ms")
    print(
        f"  mix, {args.clients} clients: {len(everything):,} requests in {elapsed:.0f} s = {mix_rate:.1f} requests/s; "
        f"median {summary(everything)['median_ms']} ms, p95 {summary(everything)['p95_ms']} ms, p99 {p99:.1f} ms"
    )
    for kind in sorted(load):
        values = load[kind]
        figures = summary(values)
        # A kind the short one-client run never drew has no single-request figure (not 0 ms).
        alone = f"{percentile(single[kind], 0.95):6.1f} ms" if single.get(kind) else "  none   "
        print(
            f"  {kind:28} {figures['requests']:6} requests  median {figures['median_ms']:7.1f} ms  "
            f"p95 {figures['p95_ms']:7.1f} ms  p99 {percentile(values, 0.99):7.1f} ms  (one client: p95 {alone})"
        )
    for kind, path, status in errors[:20]:
        print(f"  ERROR {kind}: {path} -> {status}")
    checks = [
        (f"mix throughput {mix_rate:.1f}/s >= half the plain page's {plain_rate:.1f}/s", mix_rate >= plain_rate / 2),
        (f"p99 {p99:.0f} ms <= 10 x single-client p95 {single_p95:.0f} ms", p99 <= 10 * single_p95),
        (f"errors: {len(errors)}", not errors),
    ]
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}: {text}")
    print(f"  {url.split(':')[0]}: {'PASS' if all(ok for _, ok in checks) else 'FAIL'}")


if __name__ == "__main__":
    main()
