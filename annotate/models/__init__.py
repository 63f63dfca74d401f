from annotate.models.articles import Article, ArticleRevision, Span
from annotate.models.claims import Claim, Comment, HistoryEntry, Status, Verdict
from annotate.models.projects import DEFAULT_SCALE, ROLE_RANK, Membership, Project, Rating, Role
from annotate.models.sources import Evidence, Source, Stance
from annotate.models.tokens import ApiToken
from annotate.models.suggestions import ArticleSuggestions, Decision, SuggestionDecision, SuggestionModel

__all__ = [
    "ApiToken",
    "DEFAULT_SCALE",
    "ROLE_RANK",
    "Article",
    "ArticleSuggestions",
    "Decision",
    "SuggestionDecision",
    "SuggestionModel",
    "ArticleRevision",
    "Claim",
    "Comment",
    "Evidence",
    "HistoryEntry",
    "Membership",
    "Project",
    "Rating",
    "Role",
    "Source",
    "Span",
    "Stance",
    "Status",
    "Verdict",
]
