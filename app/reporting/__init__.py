"""Reporting: the committee's quarterly delivery plan performance report (bolt-on blueprint, /reporting).

What it holds (after the Q1 and Q2 2019/20 reports, ../shared/seeds/000_0692e8566ba44968.txt:680-1400, and
the 2019/20 delivery plan, ../shared/seeds/004_eefa4e81a284a492.txt):

- a delivery plan per financial year: priorities -> actions, KPIs (polarity, annual target, flags) and risks;
- one report per quarter (``ReportPeriod``, code like ``2019-20-Q1``) with each KPI's period target and
  result, each action's RAG, each risk's assessment, the priority commentary, budget forecast and savings
  rows, and a draft -> submitted -> approved workflow recording who did what and when;
- the ratings, computed by the pure functions in ``ratings.py`` exactly as the reports' footnotes 1-4
  define them, each with the words saying how it was reached; a priority's overall rating counts red actions
  from per-action RAGs or else from the stated actions summary, and shows both readings of footnote 4
  (red actions and KPIs counted together or separately) where they differ; the published value is kept
  beside ours so any difference shows;
- the narrative: priority and KPI commentary, explanations of variance, risk history (score changes,
  closure, merger into another risk);
- the workflow: a check page before submit, approvers e-mailed, reopening an approved report with a reason
  as a new version (``ReportVersion`` keeps every published one), and an audit trail (``ReportChange``);
- any financial year: the plan is rolled forward from the year before and edited on the web;
- outputs: the web report with charts, a PDF (WeasyPrint), CSV / XLSX / JSON exports, open data (all
  published KPI results as one CSV and a JSON catalogue), per-KPI trend charts (inline SVG with a table),
  and ``flask reporting import`` / ``flask reporting export``; source references (file:line of the council
  papers, in the demo data) never leave the officers' pages;
- live KPIs: a KPI may name a source registered in ``live.py`` (by the module whose data it counts, in
  its ``contributions.py``) that counts the portal's own data.
"""
