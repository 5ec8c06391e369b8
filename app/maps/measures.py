"""What the ward choropleth can count: every kind of ward content (see app/places/ward_contents.py)."""
from ..places.ward_contents import contents, organisations_by_ward  # noqa: F401


def measures():
    """name -> (label for people, function(ward_set) -> {ward code: count})"""
    return {content.key: (content.label, content.count_by_ward) for content in contents()}
