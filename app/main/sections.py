"""The home page's sections, registered by the modules they describe (the core imports none of them).

A module registers each of its sections from its `contributions.py`:

    register_home_section(HomeSection(
        order=40, title="Faith covenant", endpoint="covenant.index", count=services.signatory_count,
        text="faith organisations have signed the covenant for engagement with the council."))

`count` is the same function the linked page uses for its own figure, so the home page and the page it links
to can never disagree (tests/test_home_counts.py follows every link and compares). `count` may be None for a
section without a figure.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeSection:
    order: int
    title: str
    endpoint: str
    text: str
    count: Callable[[], int] | None = None


_SECTIONS: dict[str, HomeSection] = {}


def register_home_section(section):
    if section.endpoint in _SECTIONS:
        raise ValueError(f"a home page section already links to {section.endpoint!r}")
    _SECTIONS[section.endpoint] = section


def home_sections():
    """The sections in their order."""
    return sorted(_SECTIONS.values(), key=lambda section: section.order)
