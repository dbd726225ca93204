"""The agents' pages of letters, included by backoffice/urls.py in the back office's namespace and paths
(`backoffice:letter`, /agents/dossiers/<reference>/courriers/…)."""

from django.urls import path

from letters import agent_views as views

urlpatterns = [
    path("dossiers/<str:reference>/courriers/", views.letter_new, name="letter_new"),
    path("dossiers/<str:reference>/courriers/<str:code>/", views.letter_detail, name="letter"),
    path("dossiers/<str:reference>/courriers/<str:code>/envoyer/", views.letter_send, name="letter_send"),
    path("dossiers/<str:reference>/courriers/<str:code>/etat/", views.letter_status, name="letter_status"),
]
