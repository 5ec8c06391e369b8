"""Counting an everyday word's matches: every match against only as far as the search page needs (issue 16).

    .venv/bin/python -m bench.search_count [--organisations 20000] [--rounds 50] [--database-url URL | --reuse URL]

An everyday word ("food bank", "elderly") that the vocabulary expands finds a large share of the directory.
The search page used to count every match to choose how to rank them and to say how many there are; it now
counts no further than SEARCH_RANK_ALL_UP_TO (1,000) and the next page, and says "More than 1,000 results"
(app/directory/search.py `_run`). In-process, side by side in one run, for each of bench.directory_search's
everyday searches: the p95 of the full count and of the capped count (the same statements the page sends),
and how many matches each found.

PostgreSQL: scripts/with-postgres sh -c '.venv/bin/python -m bench.search_count --database-url "$TEST_DATABASE_URL"'
"""

import argparse
import time

from .common import prepared_database, summary
from .directory_search import EVERYDAY, reused_database


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--database-url", help="PostgreSQL URL to generate into instead of a new SQLite file")
    parser.add_argument("--reuse", metavar="URL", help="a database an earlier run generated, used as is")
    args = parser.parse_args()
    url = args.reuse if args.reuse else prepared_database(args.organisations, args.database_url)[0]
    if args.reuse:
        reused_database(url)
    from app import create_app
    from app.directory import search, vocabulary
    from app.extensions import db

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, LOG_LEVEL="WARNING")
    with app.app_context():
        cap = app.config["SEARCH_RANK_ALL_UP_TO"]
        print(f"Counting everyday words' matches, {db.engine.dialect.name}, {args.rounds} rounds, cap {cap:,}")
        for words in EVERYDAY:
            matches = search._matches(
                search.SearchQuery(words=words), search._groups_filter(vocabulary.groups_for(words))
            )
            full = matches.select(db.func.count())
            capped = db.select(db.func.count()).select_from(matches.select().limit(cap + 1).subquery())
            timings = {"full": [], "capped": []}
            found = {}
            for _ in range(args.rounds):
                for name, statement in (("full", full), ("capped", capped)):
                    started = time.perf_counter()
                    found[name] = db.session.scalar(statement)
                    timings[name].append((time.perf_counter() - started) * 1000)
            p95 = {name: summary(values)["p95_ms"] for name, values in timings.items()}
            print(
                f"  {words:16} {found['full']:6,} matches: full count p95 {p95['full']:6.1f} ms; "
                f"counted to {found['capped']:,}: p95 {p95['capped']:6.1f} ms "
                f"(ratio {p95['full'] / max(p95['capped'], 0.001):.1f})"
            )


if __name__ == "__main__":
    main()
