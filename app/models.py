"""Imports every module's models so that the metadata (and so Flask-Migrate) sees all tables."""

from .assets.models import AcvDisposalNotice, AcvNomination, CommunityAsset  # noqa: F401
from .auth.models import TodoNotice, User, user_organisations  # noqa: F401
from .bulletins.models import Bulletin, BulletinDelivery, BulletinItem  # noqa: F401
from .covenant.models import CovenantPledge, CovenantReminder  # noqa: F401
from .ctn.models import (  # noqa: F401
    AgendaItem,
    Consent,
    DepartedMember,
    Meeting,
    MeetingAction,
    Member,
    MemberInterest,
    Registration,
    SteeringSeat,
    Suppression,
    ThemePlanEntry,
)
from .datacache import DataVersion  # noqa: F401
from .directory.import_models import DirectoryImport  # noqa: F401
from .directory.models import (  # noqa: F401
    Closure,
    ListingChange,
    ListingDraft,
    ListingVersion,
    Location,
    Organisation,
    ProblemReport,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .exchange.models import Feed, FeedRecord, FeedRun  # noqa: F401
from .places.models import Postcode, Ward  # noqa: F401
from .ratelimit import RateLimitWindow  # noqa: F401  (also registers the portal-db:// limits storage)
from .reporting.models import (  # noqa: F401
    Action,
    ActionUpdate,
    BudgetLine,
    Kpi,
    KpiResult,
    Priority,
    PriorityUpdate,
    ReportPeriod,
    Risk,
    RiskAssessment,
    SavingLine,
)
