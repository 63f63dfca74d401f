from django.contrib.auth import views as auth_views
from django.urls import path

from annotate.views import articles, projects
from annotate.views import manage, profile
from annotate.views import editor, public
from annotate.views import claims, review
from annotate.views import dashboard, public_index
from annotate import feeds
from annotate.forms_auth import LoginForm
from annotate.views import suggestions

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", projects.project_list, name="project-list"),
    path("p/<slug:slug>/", articles.article_list, name="article-list"),
    # pages: import, profile and API token, rating scale, members
    path("p/<slug:slug>/import/", articles.article_import, name="article-import"),
    path("profile/", profile.profile, name="profile"),
    path("profile/token/", profile.token_create, name="token-create"),
    path("profile/token/revoke/", profile.token_revoke, name="token-revoke"),
    path("p/<slug:slug>/scale/", manage.rating_scale, name="rating-scale"),
    path("p/<slug:slug>/scale/add/", manage.rating_add, name="rating-add"),
    path("p/<slug:slug>/scale/<int:pk>/", manage.rating_edit, name="rating-edit"),
    path("p/<slug:slug>/scale/<int:pk>/move/", manage.rating_move, name="rating-move"),
    path("p/<slug:slug>/scale/<int:pk>/delete/", manage.rating_delete, name="rating-delete"),
    path("p/<slug:slug>/members/", manage.project_members, name="project-members"),
    path("p/<slug:slug>/members/add/", manage.member_add, name="member-add"),
    path("p/<slug:slug>/members/<int:pk>/role/", manage.member_role, name="member-role"),
    path("p/<slug:slug>/members/<int:pk>/remove/", manage.member_remove, name="member-remove"),
    # review: the reviewer's workspace and the claim panel
    path("p/<slug:slug>/sources/", review.source_search, name="source-search"),
    path("articles/<int:pk>/", review.review, name="review"),
    path("articles/<int:pk>/claims/", review.claim_add, name="claim-add"),
    path("articles/<int:pk>/claims-panel/", review.claims_panel, name="claims-panel"),
    path("articles/<int:pk>/suggestions/", suggestions.suggestions_panel, name="suggestions-panel"),
    path("articles/<int:pk>/suggestions/<str:key>/accept/", suggestions.suggestion_accept, name="suggestion-accept"),
    path("articles/<int:pk>/suggestions/<str:key>/dismiss/", suggestions.suggestion_dismiss, name="suggestion-dismiss"),
    path("claims/<int:pk>/", claims.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/edit/", claims.claim_edit, name="claim-edit"),
    path("claims/<int:pk>/verdict/", claims.verdict_save, name="verdict-save"),
    path("claims/<int:pk>/evidence/", claims.evidence_add, name="evidence-add"),
    path("claims/<int:pk>/comments/", claims.comment_add, name="comment-add"),
    path("claims/<int:pk>/delete/", claims.claim_delete, name="claim-delete"),
    path("claims/<int:pk>/replace/", claims.claim_replace, name="claim-replace"),
    # editor: queue, final verdict, status and publishing; the public page
    path("p/<slug:slug>/queue/", editor.queue, name="editor-queue"),
    path("claims/<int:pk>/final/", editor.claim_final, name="claim-final"),
    path("claims/<int:pk>/status/", editor.claim_status, name="claim-status"),
    path("f/<slug:slug>/<int:article_id>/", public.public_article, name="public-article"),
    # public index of a desk's fact-checks, its feeds, embeddable cards and oEmbed
    path("f/<slug:slug>/", public_index.public_index, name="public-index"),
    path("f/<slug:slug>/feed.rss", feeds.FactCheckRss(), name="public-feed-rss"),
    path("f/<slug:slug>/feed.atom", feeds.FactCheckAtom(), name="public-feed-atom"),
    path("f/<slug:slug>/feed.json", feeds.json_feed, name="public-feed-json"),
    path("f/<slug:slug>/<int:article_id>/<int:claim_id>/embed/", public_index.public_embed, name="public-embed"),
    path("oembed/", public_index.oembed, name="oembed"),
    # dashboard: charts for editors, a reviewer's own workload; one CSV per chart
    path("p/<slug:slug>/dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("p/<slug:slug>/dashboard/<slug:chart>.csv", dashboard.dashboard_csv, name="dashboard-csv"),
]
