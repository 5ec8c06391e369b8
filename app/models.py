"""Imports every module's models so that the metadata (and so Flask-Migrate) sees all tables."""
from .auth.models import User, user_organisations  # noqa: F401
from .directory.models import Organisation  # noqa: F401
from .places.models import Postcode, Ward  # noqa: F401
