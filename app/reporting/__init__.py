"""Reporting: the committee's quarterly delivery plan performance report (bolt-on blueprint, /reporting).

What it holds (after the Q1 and Q2 2019/20 reports, ../shared/seeds/000_0692e8566ba44968.txt:680-1400, and
the 2019/20 delivery plan, ../shared/seeds/004_eefa4e81a284a492.txt):

- a delivery plan per financial year: priorities -> actions, KPIs (polarity, annual target, flags) and risks;
- one report per quarter (``ReportPeriod``, code like ``2019-20-Q1``) with each KPI's period target and
  result, each action's RAG, each risk's assessment, the priority commentary, budget forecast and savings
  rows, and a draft -> submitted -> approved workflow recording who did what and when;
- the ratings, computed by the pure functions in ``ratings.py`` exactly as the reports' footnotes 1-4
  define them; the published value is kept beside ours so any difference shows;
- outputs: the web report, a PDF (WeasyPrint), CSV / XLSX / JSON exports, per-KPI trend charts (inline SVG
  with a table), and ``flask reporting import`` / ``flask reporting export``;
- live KPIs: a KPI may name a source registered in ``live.py`` (by the module whose data it counts, in
  its ``contributions.py``) that counts the portal's own data.
"""
