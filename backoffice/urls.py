from django.urls import path

from backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("actions-groupees/", views.bulk, name="bulk"),
    path("vues/", views.saved_view_create, name="saved_view_create"),
    path("vues/<int:pk>/supprimer/", views.saved_view_delete, name="saved_view_delete"),
    path("dossiers/<str:reference>/", views.case_detail, name="case"),
    path("dossiers/<str:reference>/action/<int:transition_id>/", views.case_transition, name="transition"),
    path("dossiers/<str:reference>/attribution/", views.case_assign, name="assign"),
    path("dossiers/<str:reference>/message/", views.case_message, name="message"),
    path("dossiers/<str:reference>/note/", views.case_note, name="note"),
    path("dossiers/<str:reference>/partage/", views.case_share, name="share"),
]
