from annotate.models.articles import CHANGED_IN_REVISION, Article, ArticleRevision, Span
from annotate.models.claims import Claim, Comment, HistoryAction, HistoryEntry, Status, Verdict
from annotate.models.projects import DEFAULT_SCALE, ROLE_RANK, Membership, Project, Rating, Role
from annotate.models.sources import CheckState, Evidence, Snapshot, Source, Stance, Verification
from annotate.models.dashboard import DashboardDirty, DashboardTotal
from annotate.models.workflow import Correction, Notification, ProjectEvent
from annotate.models.memory import ClaimMatch, MatchDecision, SearchDocument, SearchKind
from annotate.models.tokens import ApiToken
from annotate.models.suggestions import ArticleSuggestions, Decision, SuggestionDecision, SuggestionModel

__all__ = [
    "ApiToken",
    "CHANGED_IN_REVISION",
    "DEFAULT_SCALE",
    "ROLE_RANK",
    "Article",
    "ArticleSuggestions",
    "DashboardDirty",
    "DashboardTotal",
    "Decision",
    "SuggestionDecision",
    "SuggestionModel",
    "ArticleRevision",
    "Claim",
    "ClaimMatch",
    "MatchDecision",
    "SearchDocument",
    "SearchKind",
    "Comment",
    "Correction",
    "Notification",
    "ProjectEvent",
    "Evidence",
    "HistoryAction",
    "HistoryEntry",
    "Membership",
    "Project",
    "Rating",
    "Role",
    "Source",
    "CheckState",
    "Snapshot",
    "Verification",
    "Span",
    "Stance",
    "Status",
    "Verdict",
]
