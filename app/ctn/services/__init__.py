"""CTN logic that needs no request: membership states, consent, suppression, GDPR, meetings, figures.

Functions other modules may call
--------------------------------
Bulletins (issue 6):
    confirmed_members(sectors=None, interests=None, ward_codes=None)  -> the members to send to
    unsubscribe(member, source)          -> member unsubscribed, address on the suppression list
    unsubscribe_address(email, source)   -> the same by address (also suppresses a non-member)
    mark_bounced(member, source)         -> hard bounce: status bounced, address suppressed
    is_suppressed(email)                 -> never send to these addresses
    preferences_url(member)              -> the link every e-mail must carry
    register_personal_data(...)          -> add a per-member table (e.g. delivery records) to export/erasure
Reporting (issue 7, live KPIs):
    meetings_held(start_date, end_date, kinds=("open_forum",)) -> int
    members_by_sector(as_of=None)        -> {sector: count} for every sector (zeros included)
    member_count(as_of=None)             -> confirmed members on that date
    attendance_by_meeting(start_date, end_date) -> [(meeting, attendance or None)]
    annual_report_figures(year)          -> everything the annual CTN report quotes

The functions live in one module per part (suppression, tokens, joining, gdpr, membership_figures,
meeting_figures, registrations, meetings, member_import); this package names them all, so callers write
`from app.ctn import services` and `services.member_count(...)` whichever module holds the function.
"""

from .gdpr import (
    PERSONAL_DATA_TABLES,
    PersonalDataTable,
    erase_person,
    export_person,
    export_person_csv,
    export_person_json,
    register_personal_data,
)
from .joining import (
    JOIN_CONSENT_WORDING,
    MemberDetails,
    confirm_membership,
    confirmed_members,
    mark_bounced,
    request_membership,
    send_confirmation,
    unsubscribe,
    unsubscribe_address,
    update_preferences,
)
from .meeting_figures import (
    NOT_HELD,
    OUTCOME_LABELS,
    UPCOMING,
    annual_report_csv,
    annual_report_figures,
    attendance_by_meeting,
    calendar_feed_coverage,
    meeting_outcome,
    meetings_held,
    open_meetings_target,
    public_meetings_by_outcome,
)
from .meetings import (
    MeetingDetails,
    add_action,
    add_agenda_item,
    create_meeting,
    front_page,
    remove_agenda_item,
    save_minutes,
    save_theme_plan,
    theme_plan,
    theme_plan_years,
    toggle_action_done,
    update_meeting,
)
from .member_import import (
    IMPORT_COLUMNS,
    SECTOR_ALIASES,
    ImportRow,
    MemberImportReport,
    import_members,
    parse_date,
    parse_interests,
    parse_sector,
)
from .membership_figures import (
    GrowthPoint,
    member_count,
    members_by_sector,
    membership_growth,
    membership_spans,
    month_ends,
    status_counts,
)
from .officer_edits import (
    EditRefused,
    OfficerMemberEdit,
    SeatDetails,
    add_seat,
    edit_member,
    edit_seat,
    move_seat,
    remove_seat,
    steering_seats,
)
from .registrations import (
    RegistrationClosed,
    cancel_registration,
    fill_from_waiting_list,
    london_to_utc,
    promote_after_capacity_change,
    record_attendance,
    register_for_meeting,
    registration_by_cancel_token,
    ward_for_postcode,
)
from .suppression import (
    address_hash,
    address_problem,
    is_suppressed,
    lift_suppression,
    member_by_email,
    record_consent,
    suppress,
    suppression_for,
)
from .tokens import (
    TokenInvalid,
    confirm_max_age_days,
    confirmation_token,
    member_by_preferences_token,
    member_for_confirmation,
    preferences_url,
    rotate_preferences_token,
)

__all__ = [
    "MeetingDetails",
    "add_action",
    "add_agenda_item",
    "create_meeting",
    "remove_agenda_item",
    "save_minutes",
    "save_theme_plan",
    "theme_plan",
    "theme_plan_years",
    "toggle_action_done",
    "update_meeting",
    "address_problem",
    "address_hash",
    "member_by_email",
    "suppression_for",
    "is_suppressed",
    "suppress",
    "lift_suppression",
    "record_consent",
    "TokenInvalid",
    "confirmation_token",
    "member_for_confirmation",
    "confirm_max_age_days",
    "preferences_url",
    "member_by_preferences_token",
    "rotate_preferences_token",
    "JOIN_CONSENT_WORDING",
    "MemberDetails",
    "request_membership",
    "send_confirmation",
    "confirm_membership",
    "unsubscribe",
    "unsubscribe_address",
    "mark_bounced",
    "update_preferences",
    "confirmed_members",
    "PersonalDataTable",
    "PERSONAL_DATA_TABLES",
    "register_personal_data",
    "export_person",
    "export_person_json",
    "export_person_csv",
    "erase_person",
    "membership_spans",
    "member_count",
    "front_page",
    "members_by_sector",
    "month_ends",
    "GrowthPoint",
    "membership_growth",
    "status_counts",
    "meetings_held",
    "meeting_outcome",
    "calendar_feed_coverage",
    "public_meetings_by_outcome",
    "NOT_HELD",
    "OUTCOME_LABELS",
    "UPCOMING",
    "attendance_by_meeting",
    "open_meetings_target",
    "annual_report_figures",
    "annual_report_csv",
    "london_to_utc",
    "ward_for_postcode",
    "RegistrationClosed",
    "register_for_meeting",
    "registration_by_cancel_token",
    "cancel_registration",
    "fill_from_waiting_list",
    "promote_after_capacity_change",
    "record_attendance",
    "IMPORT_COLUMNS",
    "SECTOR_ALIASES",
    "parse_sector",
    "parse_interests",
    "parse_date",
    "ImportRow",
    "MemberImportReport",
    "import_members",
    "EditRefused",
    "OfficerMemberEdit",
    "SeatDetails",
    "add_seat",
    "edit_member",
    "edit_seat",
    "move_seat",
    "remove_seat",
    "steering_seats",
]
