"""Counting the SQL statements a piece of code sends (issue 16, target 5: no page does work per organisation).

    with count_statements() as counted:
        client.get("/wards")
    assert counted.total == 7, counted.statements

Counts every statement sent through the app's engine (SQLAlchemy's before_cursor_execute event), from the
test's own session and from the request alike; `statements` keeps their text for the failure message.
"""

from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db


class CountedStatements:
    def __init__(self):
        self.statements = []

    @property
    def total(self):
        return len(self.statements)

    def __repr__(self):
        return f"<{self.total} statements>"


@contextmanager
def count_statements(engine=None):
    """Count the statements `engine` (default: the app's) executes inside the block."""
    engine = engine if engine is not None else db.engine
    counted = CountedStatements()

    def note(conn, cursor, statement, parameters, context, executemany):
        counted.statements.append(" ".join(statement.split())[:300])

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", note)
