"""Directory search latency over HTTP against gunicorn, side by side with a bare ranked full-text query.

    .venv/bin/python -m bench.directory_search [--organisations 20000] [--requests 150] [--database-url URL]
        [--kinds "words,words + ward"]

For each kind of search (the directory page with words, words + ward, words + postcode, postcode only,
everyday words the vocabulary expands, misspelt words, words that find nothing, and the Open Referral API's
/services?search=) it prints the p95 latency and, measured in the same run right after it, the p95 of a bare
ranked full-text query for the same words, in-process: FTS5 with bm25 on SQLite, the GIN-indexed tsvector with
ts_rank on PostgreSQL, top 20. Target (issue 16, 1): every search's p95 at most 2 times the bare query's.

"The same words": what the resident typed (for a misspelt word, its correct spelling, which is what the page
ends up searching). A postcode-only search has no words: it is set against the bare query over the same sample
of directory words as the word searches. The plain page (/accessibility) p95 is printed too: it is the fixed
cost of any page over HTTP (rendering, headers, the socket), which no search can go below.

Kept searches (app/directory/search.py keeps a search's ranking and counting per data version): each kind's
paths are requested twice, and the server says for each directory page whether the search was ranked afresh
("cold": the first time that worker saw the query since the data last changed) or kept ("warm"), in a
Server-Timing header the bench turns on (SEARCH_TIMING_HEADER). Cold and warm are printed apart, each with its
ratio to the same bare query; "all" mixes them as residents would meet them. Pages that say neither (the API,
or code without the cache) count as cold. `--cold` keeps no search at all (SEARCH_CACHE_ENTRIES=0), so every
request of a kind with few distinct searches (everyday words, misspelt words) is a cold one.

Run it against PostgreSQL with the throwaway server of scripts/with-postgres:
    scripts/with-postgres sh -c '.venv/bin/python -m bench.directory_search --database-url "$TEST_DATABASE_URL"'
"""

import argparse
import json
import os
import random
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from .common import GEO_DIR, ROOT, gunicorn, prepared_database, summary, time_requests
from .dataset import WORDS, load_postcodes

WARDS_2022 = [f"E050136{n}" for n in range(28, 52)]
# Searches the vocabulary expands (issue 14), and misspellings of the dataset's words (with the right spelling).
EVERYDAY = ["foodbank", "elderly", "youth club", "jobs", "english classes", "food bank", "older people", "young people"]
MISSPELT = {
    "gardning": "gardening",
    "volunters": "volunteers",
    "refugess": "refugees",
    "dementa": "dementia",
    "homwork": "homework",
    "wellbeeing": "wellbeing",
    "employmnet": "employment",
    "benifits": "benefits",
}
FTS_WEIGHTS = "10.0, 4.0, 1.0"
# The stored, GIN-indexed vector where the schema has it (perf_search_0002), else the indexed expression.
PG_VECTOR_COLUMN = "search_vector"
PG_VECTOR_EXPRESSION = (
    "(setweight(to_tsvector('english'::regconfig, search_name), 'A') || "
    "setweight(to_tsvector('english'::regconfig, search_keywords), 'B') || "
    "setweight(to_tsvector('english'::regconfig, search_text), 'C'))"
)


def bare_query_sql(dialect, stored_vector=True):
    """The bare ranked full-text query, top 20, with the words as :words (all must match)."""
    if dialect == "postgresql":
        vector = PG_VECTOR_COLUMN if stored_vector else PG_VECTOR_EXPRESSION
        return (
            f"SELECT id, ts_rank({vector}, q) AS rank FROM organisation, plainto_tsquery('english', :words) q "
            f"WHERE {vector} @@ q ORDER BY rank DESC LIMIT 20"
        )
    return (
        f"SELECT rowid, bm25(organisation_fts, {FTS_WEIGHTS}) AS rank FROM organisation_fts "
        "WHERE organisation_fts MATCH :words ORDER BY rank LIMIT 20"
    )


def bare_words(words, dialect):
    if dialect == "postgresql":
        return words
    # FTS5: each word quoted (so nothing in it is query syntax), all of them required.
    return " ".join(f'"{w}"' for w in words.split())


def time_bare(app, words_list, warm_up=10):
    """In-process p95 of the bare query for each of `words_list` (after a warm-up round), in ms."""
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        dialect = db.engine.dialect.name
        stored = dialect == "postgresql" and "search_vector" in {
            c["name"] for c in sa_inspect(db.engine).get_columns("organisation")
        }
        sql = text(bare_query_sql(dialect, stored))
        with db.engine.connect() as connection:
            for words in words_list[:warm_up]:
                connection.execute(sql, {"words": bare_words(words, dialect)}).all()
            latencies = []
            for words in words_list:
                started = time.perf_counter()
                connection.execute(sql, {"words": bare_words(words, dialect)}).all()
                latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def timed(base, paths, warm_up):
    """common.time_requests with a long timeout: on PostgreSQL at 100,000 organisations a ranked search takes
    seconds on a busy machine."""
    return time_requests(base, paths, warm_up=warm_up, timeout=300)


def reused_database(url):
    """Upgrade a database an earlier run generated (generating 100,000 organisations takes minutes); returns
    the instance folder and how many organisations the database holds."""
    instance = tempfile.mkdtemp(prefix="portal-bench-")
    os.environ.update(PORTAL_INSTANCE_DIR=instance, DATABASE_URL=url)
    from flask_migrate import upgrade

    from app import create_app
    from app.directory.models import Organisation
    from app.extensions import db

    with create_app("development", SQLALCHEMY_DATABASE_URI=url, LOG_LEVEL="WARNING").app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        return instance, db.session.scalar(db.select(db.func.count(Organisation.id)))


def time_kept(base, paths, warm_up, timeout=300):
    """Request `paths` twice over (after the first `warm_up` of them): ([(ms, kept)], errors), kept True when
    the server said it answered from a kept search."""
    for path in paths[:warm_up]:
        urllib.request.urlopen(base + path, timeout=timeout).read()
    timings, errors = [], 0
    for path in [*paths, *paths]:
        started = time.perf_counter()
        kept = False
        try:
            with urllib.request.urlopen(base + path, timeout=timeout) as response:
                response.read()
                kept = 'desc="kept"' in (response.headers.get("Server-Timing") or "")
        except urllib.error.HTTPError:
            errors += 1
        timings.append(((time.perf_counter() - started) * 1000, kept))
    return timings, errors


def q(words):
    return urllib.parse.quote_plus(words)


def kinds_for(requests, postcodes):
    """{kind: [(path, the words for its bare query)]}"""
    rng = random.Random(7)

    def postcode():
        return q(rng.choice(postcodes))

    kinds = {}
    words = [rng.choice(WORDS) for _ in range(requests)]
    kinds["words"] = [(f"/directory/?q={w}", w) for w in words]
    words = [rng.choice(WORDS) for _ in range(requests)]
    kinds["words + ward"] = [(f"/directory/?q={w}&ward={rng.choice(WARDS_2022)}", w) for w in words]
    words = [rng.choice(WORDS) for _ in range(requests)]
    kinds["words + postcode"] = [(f"/directory/?q={w}&postcode={postcode()}&distance=1", w) for w in words]
    words = [rng.choice(WORDS) for _ in range(requests)]
    kinds["postcode + 1 mile"] = [(f"/directory/?postcode={postcode()}&distance=1", w) for w in words]
    words = [rng.choice(EVERYDAY) for _ in range(requests)]
    kinds["everyday words"] = [(f"/directory/?q={q(w)}", w) for w in words]
    words = [rng.choice(sorted(MISSPELT)) for _ in range(requests)]
    kinds["misspelt word"] = [(f"/directory/?q={w}", MISSPELT[w]) for w in words]
    kinds["nothing found"] = [(f"/directory/?q=zzq{n}+xqj", f"zzq{n} xqj") for n in range(requests)]
    words = [rng.choice(WORDS) for _ in range(requests)]
    kinds["API /services?search="] = [(f"/api/oruk/v3/services?search={w}", w) for w in words]
    return kinds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--database-url", help="PostgreSQL URL to benchmark instead of a new SQLite file")
    parser.add_argument(
        "--reuse",
        metavar="URL",
        help="a database an earlier run generated (sqlite:///... or postgresql+psycopg://...): upgraded and used as is",
    )
    parser.add_argument("--kinds", help="comma-separated kinds to measure (default: all)")
    parser.add_argument("--warm-up", type=int, default=10, help="requests of each kind before timing (default 10)")
    parser.add_argument("--cold", action="store_true", help="keep no search: every request ranked afresh")
    args = parser.parse_args()

    if args.reuse:  # the database says how many it holds, whatever --organisations says
        url = args.reuse
        instance, args.organisations = reused_database(url)
    print(
        f"Directory search benchmark: {args.organisations:,} organisations, {args.requests} requests per kind"
        + (", no search kept" if args.cold else "")
    )
    if not args.reuse:
        url, instance = prepared_database(args.organisations, args.database_url)
    from app import create_app

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, LOG_LEVEL="WARNING")
    postcodes = [p for p, *_ in load_postcodes(GEO_DIR)]
    kinds = kinds_for(args.requests, postcodes)
    if args.kinds:
        wanted = [k.strip() for k in args.kinds.split(",")]
        kinds = {k: v for k, v in kinds.items() if k in wanted}
    results = {}
    server_env = {"SEARCH_TIMING_HEADER": "1"} | ({"SEARCH_CACHE_ENTRIES": "0"} if args.cold else {})
    with gunicorn(url, instance, env=server_env) as base:
        plain, _ = timed(base, ["/accessibility"] * args.requests, args.warm_up)
        warm = args.warm_up
        results["plain page"] = summary(plain)
        print(f"  {'plain page /accessibility':26} p95 {results['plain page']['p95_ms']:7.1f} ms")
        for kind, pairs in kinds.items():
            try:
                timings, errors = time_kept(base, [path for path, _ in pairs], warm)
            except Exception as exc:  # noqa: BLE001  (an endpoint that is not there yet is reported, not fatal)
                print(f"  {kind:26} not measured: {exc}")
                continue
            bare = summary(time_bare(app, [words for _, words in pairs], warm))
            plain_p95 = max(results["plain page"]["p95_ms"], 0.001)
            figures = {"errors": errors, "bare_p95_ms": bare["p95_ms"]}
            for part, latencies in (
                ("all", [ms for ms, _ in timings]),
                ("cold", [ms for ms, kept in timings if not kept]),
                ("warm", [ms for ms, kept in timings if kept]),
            ):
                if not latencies:
                    continue
                figures[part] = summary(latencies)
                figures[part]["ratio"] = round(figures[part]["p95_ms"] / max(bare["p95_ms"], 0.001), 2)
                # Against the plain page too: where the bare query takes less than the plain page (few matches,
                # or a small directory), this is the part of the ratio no search code can remove.
                figures[part]["plain_ratio"] = round(figures[part]["p95_ms"] / plain_p95, 2)
            results[kind] = figures
            print(f"  {kind:26} bare query p95 {bare['p95_ms']:7.1f} ms   errors {errors}")
            for part in ("all", "cold", "warm"):
                if part in figures:
                    one = figures[part]
                    verdict = "meets" if one["ratio"] <= 2 else "MISSES"
                    print(
                        f"    {part:5} p95 {one['p95_ms']:7.1f} ms   ratio {one['ratio']:6.2f}   "
                        f"x plain page {one['plain_ratio']:5.1f}   (median {one['median_ms']:.1f} ms, "
                        f"{one['requests']} requests; {verdict} the 2x target)"
                    )
    print(json.dumps({"organisations": args.organisations, "database": url.split(":")[0], "results": results}))


if __name__ == "__main__":
    main()
