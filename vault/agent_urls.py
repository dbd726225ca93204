"""The agents' pages of the vault, included by backoffice/urls.py in the back office's namespace and paths
(`backoffice:document_verify`, /agents/usagers/…)."""

from django.urls import path

from vault import agent_views as views

urlpatterns = [
    path("usagers/<int:pk>/documents/ajouter/", views.document_add, name="document_add"),
    path("usagers/<int:pk>/documents/<uuid:public_id>/verifier/", views.document_verify, name="document_verify"),
    path("usagers/<int:pk>/documents/<uuid:public_id>/refuser/", views.document_refuse, name="document_refuse"),
]
