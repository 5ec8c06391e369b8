"""Reading a page of result cards' facts (app/directory/card_facts.py), in-process: the time per page of 20
random organisations and the part of it spent in the database driver (issue 16).

    .venv/bin/python -m bench.card_facts --reuse URL [--pages 300]

URL: a database bench.directory_search generated (sqlite:///... or postgresql+psycopg://...). The rest of each
page's time is SQLAlchemy and Python: building, looking up and running the statements, and the rows' objects.
"""

import argparse
import random
import time
from datetime import date

from sqlalchemy import event

from .directory_search import reused_database


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", metavar="URL", required=True)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    reused_database(args.reuse)
    from app import create_app
    from app.directory import card_facts
    from app.extensions import db

    app = create_app("development", SQLALCHEMY_DATABASE_URI=args.reuse, LOG_LEVEL="WARNING")
    with app.app_context():
        highest = db.session.scalar(db.text("SELECT max(id) FROM organisation"))
        rng = random.Random(1)
        pages = [rng.sample(range(1, highest + 1), 20) for _ in range(args.pages)]
        for page in pages[:20]:  # warm-up
            card_facts.load(page, date.today())
        in_driver = [0.0]

        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info["bench started"] = time.perf_counter()

        def after(conn, cursor, statement, parameters, context, executemany):
            in_driver[0] += time.perf_counter() - conn.info["bench started"]

        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
        started = time.perf_counter()
        for page in pages:
            card_facts.load(page, date.today())
        each = (time.perf_counter() - started) * 1000 / len(pages)
        print(
            f"card_facts.load, {db.engine.dialect.name}, {len(pages)} pages of 20: {each:.2f} ms a page, "
            f"of which {in_driver[0] * 1000 / len(pages):.2f} ms in the database driver"
        )


if __name__ == "__main__":
    main()
