from django.urls import path

from backoffice.views import board, case

app_name = "backoffice"
urlpatterns = [
    path("", board.home, name="home"),
    path("actions-groupees/", board.bulk, name="bulk"),
    path("vues/", board.saved_view_create, name="saved_view_create"),
    path("vues/<int:pk>/supprimer/", board.saved_view_delete, name="saved_view_delete"),
    path("dossiers/<str:reference>/", case.case_detail, name="case"),
    path("dossiers/<str:reference>/action/<int:transition_id>/", case.case_transition, name="transition"),
    path("dossiers/<str:reference>/attribution/", case.case_assign, name="assign"),
    path("dossiers/<str:reference>/message/", case.case_message, name="message"),
    path("dossiers/<str:reference>/note/", case.case_note, name="note"),
    path("dossiers/<str:reference>/partage/", case.case_share, name="share"),
]
