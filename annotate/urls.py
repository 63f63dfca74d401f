from django.contrib.auth import views as auth_views
from django.urls import path

from annotate.views import articles, projects

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", projects.project_list, name="project-list"),
    path("p/<slug:slug>/", articles.article_list, name="article-list"),
]
