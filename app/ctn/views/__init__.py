"""CTN pages: public (about, join, confirm, preferences, meetings, calendar) and officers' (/ctn/manage).

One blueprint, `ctn`, made in `common.py`; `public.py` and `manage.py` add their routes to it when
imported, which this package does, so `from app.ctn.views import bp` gives the blueprint with every page.
"""

from . import manage, public  # noqa: F401 (importing them adds their routes to bp)
from .common import bp

__all__ = ["bp"]
