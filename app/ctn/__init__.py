"""Communities Together Network (CTN): membership and meetings.

The CTN is the council's forum with the voluntary, community and faith sector (VCFS), businesses and
strategic partners (002_6240a75a79bed02c.txt, sections 2-3). This package holds:

- members, with a consent record per change, double opt-in, preferences, unsubscribe (suppression
  list), GDPR export and erasure (`services/`);
- the steering group's core seats (002 section 2.4.1);
- meetings (open forum, steering group, emergency) with agenda, registrations and waiting list,
  attendance, minutes and actions; the yearly theme plan; the public iCalendar feed (`calendar.py`);
- the officer dashboard and the figures the annual CTN report quotes (`services.annual_report_figures`).

Functions for the reporting module's live KPIs: `services.meetings_held`, `services.members_by_sector`,
`services.member_count`, `services.attendance_by_meeting`.
"""
