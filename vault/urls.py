from django.urls import path

from vault import views

app_name = "vault"
urlpatterns = [
    path("fichiers/<uuid:public_id>/", views.file, name="file"),
    path("espace/documents/", views.documents, name="documents"),
    path("espace/documents/ajouter/", views.document_add, name="document_add"),
    path("espace/documents/<uuid:public_id>/supprimer/", views.document_delete, name="document_delete"),
]
