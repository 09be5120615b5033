"""The loyalty domain's tables, one module per concept."""

from .audit import AuditEvent
from .books import ReconcileRun
from .cards import Card, Purchase, Visit, VisitLine
from .catalog import Brand, Item, Manufacturer
from .credits import AnswerSource, DeclineReason, ReportStatusChange
from .custom import CashBackEntry, CashBackPlan, PrepaidPackage, PrepaidPlan, PrepaidUse
from .messages import MessageSettings, OwnerMessage
from .offers import Coupon, Offer, OfferRedemption
from .owners import Pet, PetOwner, PosLink
from .paper_import import PaperImport, PaperImportRow
from .points import PointReward, PointsEntry
from .programs import Distributor, Enrollment, Program, ProgramCard
from .redemptions import Redemption, ReopenRequest
from .reports import DistributorReport, ReportKind, ReportState
from .tenancy import Location, Retailer, User

__all__ = [
    "AuditEvent",
    "Brand",
    "Card",
    "CashBackEntry",
    "CashBackPlan",
    "Coupon",
    "Distributor",
    "AnswerSource",
    "DeclineReason",
    "DistributorReport",
    "Enrollment",
    "Item",
    "Location",
    "Manufacturer",
    "MessageSettings",
    "Offer",
    "OfferRedemption",
    "PaperImport",
    "PaperImportRow",
    "OwnerMessage",
    "Pet",
    "PetOwner",
    "PointReward",
    "PointsEntry",
    "PosLink",
    "PrepaidPackage",
    "PrepaidPlan",
    "PrepaidUse",
    "Program",
    "ProgramCard",
    "Purchase",
    "ReconcileRun",
    "Redemption",
    "ReopenRequest",
    "ReportKind",
    "ReportStatusChange",
    "ReportState",
    "Retailer",
    "User",
    "Visit",
    "VisitLine",
]
