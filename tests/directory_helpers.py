"""Kept for the test modules others are editing this round; new tests import tests.factories.directory."""

from .factories.directory import POSTCODES, add_postcodes, listing, make_listing  # noqa: F401
