from django.urls import path

from teleservices import views

app_name = "teleservices"
urlpatterns = [
    path("demarches/", views.catalogue, name="catalogue"),
    path("demarches/<slug:slug>/", views.start, name="start"),
    path("demarches/<slug:slug>/apercu/<int:page>/", views.preview, name="preview"),
    path("brouillons/<uuid:public_id>/etape/<int:page>/", views.fill, name="fill"),
    path("brouillons/<uuid:public_id>/recapitulatif/", views.review, name="review"),
    path("brouillons/<uuid:public_id>/supprimer/", views.draft_delete, name="draft_delete"),
    path("espace/demandes/", views.my_requests, name="my_requests"),
    path("espace/demandes/<str:reference>/", views.case_detail, name="case"),
    path("espace/demandes/<str:reference>/confirmation/", views.confirmation, name="confirmation"),
    path("espace/demandes/<str:reference>/documents/", views.case_documents, name="case_documents"),
]
