"""Search quality on the demo data: precision at 5 over the judged set of searches, and the misses.

    .venv/bin/python -m bench.search_quality [--database-url URL]

Loads a fresh database (SQLite unless a PostgreSQL URL is given) with the wards, the directory's
vocabularies, the search vocabulary and the demo organisations from the council papers, then runs every
search in tests/search_judgements.py through the directory search. Precision at 5: of the listings judged to
belong in the first five results, the share that are there.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", help="a PostgreSQL URL (its tables are replaced) instead of a new SQLite file"
    )
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="portal-search-quality-")
    os.environ["PORTAL_INSTANCE_DIR"] = instance
    url = args.database_url or f"sqlite:///{instance}/quality.sqlite3"
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from app import create_app
    from app.directory.search import SearchQuery, search
    from seed import loader
    from tests.search_judgements import JUDGEMENTS, precision_at_5

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, LOG_LEVEL="WARNING")
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        loader.load_wards()
        loader.load_taxonomies()
        loader.load_search_vocabulary()
        loader.load_demo_organisations()

        def top(words):
            return [item.organisation.name for item in search(SearchQuery(words=words, per_page=5)).items]

        precision, misses = precision_at_5(top)
        print(
            f"Judged searches: {len(JUDGEMENTS)}; listings judged to belong in the first 5: "
            f"{sum(len(expected) for _, expected in JUDGEMENTS)}"
        )
        print(f"Precision at 5: {precision:.3f}")
        if misses:
            print("Misses:")
            for words, missing, got in misses:
                print(f"  {words!r}: missing {', '.join(missing)}; first five were {', '.join(got) or 'nothing'}")
        else:
            print("Misses: none")


if __name__ == "__main__":
    main()
