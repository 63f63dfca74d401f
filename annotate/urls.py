from django.contrib.auth import views as auth_views
from django.urls import path

from annotate.views import articles, projects
from annotate.views import manage, profile
from annotate.views import editor, public
from annotate.views import claims, review
from annotate.views import dashboard, public_index
from annotate import feeds
from annotate.forms.auth import LoginForm
from annotate.views import suggestions
from annotate.views import workflow
from annotate.views import integrity
from annotate.views import sources
from annotate.views import chrome
from annotate.views import memory

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
    # workflow (issue 11): My work, assignments, unpublish, workflow settings, notifications
    path("p/<slug:slug>/mine/", workflow.my_work, name="my-work"),
    path("p/<slug:slug>/mine/next/", workflow.next_claim, name="next-claim"),
    path("p/<slug:slug>/settings/", workflow.project_settings, name="project-settings"),
    path("claims/<int:pk>/assign/", workflow.claim_assign, name="claim-assign"),
    path("claims/<int:pk>/take/", workflow.claim_take, name="claim-take"),
    path("claims/<int:pk>/unpublish/", editor.claim_unpublish, name="claim-unpublish"),
    path("articles/<int:pk>/assign/", workflow.article_assign, name="article-assign"),
    path("notifications/", workflow.notifications, name="notifications"),
    path("notifications/bell/", workflow.notification_bell, name="notification-bell"),
    path("notifications/<int:pk>/read/", workflow.notification_read, name="notification-read"),
    path("notifications/read-all/", workflow.notifications_read_all, name="notifications-read-all"),
    # integrity: a claim changed in revision is accepted with its new wording, or orphaned
    path("claims/<int:pk>/accept-wording/", integrity.accept_wording, name="claim-accept-wording"),
    path("claims/<int:pk>/orphan/", integrity.orphan_changed, name="claim-orphan"),
    # sources (issue 15): snapshot text with the excerpt's match, re-check and archive requests
    path("claims/<int:pk>/evidence/<int:evidence_id>/snapshot/", sources.evidence_snapshot, name="evidence-snapshot"),
    path("claims/<int:pk>/sources/<int:source_id>/recheck/", sources.source_recheck, name="source-recheck"),
    path("claims/<int:pk>/sources/<int:source_id>/archive/", sources.source_archive, name="source-archive"),
    # review page (issue 12): /favicon.ico, the desk's verdict colours as a stylesheet
    path("favicon.ico", chrome.favicon, name="favicon"),
    path("f/<slug:slug>/ratings.css", chrome.scale_stylesheet, name="scale-stylesheet"),
    # desk memory: search, Checked before (claim matching), claimants, matching thresholds
    path("p/<slug:slug>/search/", memory.search_page, name="search"),
    path("claims/<int:pk>/checked-before/", memory.checked_before, name="checked-before"),
    path("claims/<int:pk>/checked-before/decide/", memory.match_decide, name="match-decide"),
    path("p/<slug:slug>/claimants/", memory.claimant_list, name="claimants"),
    path("p/<slug:slug>/claimants/<str:key>/", memory.claimant_detail, name="claimant"),
    path("p/<slug:slug>/matching/", memory.thresholds, name="match-thresholds"),
]
