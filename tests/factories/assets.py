"""Community assets factories: nominations for listing as an Asset of Community Value."""

from app.assets import services
from app.timeutil import london_today

NOMINATION = {
    "body_name": "Group",
    "body_type": "charity",
    "body_number": "1",
    "local_connection": "Local",
    "body_address": "Addr",
    "contact_name": "C",
    "contact_email": "c@example.org",
    "site_name": "Site",
    "site_address": "Addr",
    "site_postcode": None,
    "boundary_description": "B",
    "reasons": "R",
}


def make_nomination(received_on=None, **fields):
    """A received nomination (through the service, so its decision date is set), committed; name only the
    fields the test is about (received_on defaults to today in London)."""
    return services.create_nomination(received_on=received_on or london_today(), **{**NOMINATION, **fields})
