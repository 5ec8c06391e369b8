"""Pages of the quarterly report (url prefix /reporting).

Who sees what: an approved report is public (committee members and residents read published reports);
drafts and submitted reports are seen only by officers (strategy officers, performance officers and
administrators), and anyone else gets "Page not found" so unpublished reports are not revealed.
Performance officers and administrators enter, import and submit results; a different performance officer
or administrator approves.

One blueprint, `reporting`, made in `common.py`; each module adds its routes to it when imported, which
this package does, so `from app.reporting.views import bp` gives the blueprint with every page:

- reports.py:  the list of reports, a quarter's report, its PDF and exports, a KPI's trend
- entry.py:    starting a report, the officers' dashboard, entering figures, imports, live results
- workflow.py: submit, approve, return, reopen; published versions; the audit trail
- plan.py:     a year's delivery plan, rolled forward and edited on the web
- public.py:   open data (all published KPI results, a catalogue for the open data portal)

The views read the request and call `app/reporting/services`, which does every write.
"""

from . import entry, plan, public, reports, workflow  # noqa: F401 (importing them adds their routes to bp)
from .common import bp

__all__ = ["bp"]
