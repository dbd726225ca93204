from django.urls import include, path

from backoffice.views import access_log, board, case, citizens, dashboard, exports, intake

app_name = "backoffice"
# The other apps' agents' pages are included in this namespace and under these paths (backoffice:agenda,
# /agents/agendas/…): the back office is their shell.
urlpatterns = [
    path("", board.home, name="home"),
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    path("journal-des-acces/", access_log.access_log, name="access_log"),
    path("actions-groupees/", board.bulk, name="bulk"),
    path("vues/", board.saved_view_create, name="saved_view_create"),
    path("vues/<int:pk>/supprimer/", board.saved_view_delete, name="saved_view_delete"),
    path("export/", exports.export_create, name="export_create"),
    path("exports/<int:pk>/", exports.export_detail, name="export"),
    path("exports/<int:pk>/telecharger/", exports.export_download, name="export_download"),
    path("nouvelle-demande/", intake.intake, name="intake"),
    path("nouvelle-demande/<uuid:public_id>/etape/<int:page>/", intake.intake_fill, name="intake_fill"),
    path("nouvelle-demande/<uuid:public_id>/recapitulatif/", intake.intake_review, name="intake_review"),
    path("nouvelle-demande/<uuid:public_id>/accord/", intake.intake_consent, name="intake_consent"),
    path("nouvelle-demande/<uuid:public_id>/supprimer/", intake.intake_delete, name="intake_delete"),
    path("usagers/<int:pk>/", citizens.citizen, name="citizen"),
    path("", include("vault.agent_urls")),
    path("", include("appointments.agent_urls")),
    path("dossiers/<str:reference>/", case.case_detail, name="case"),
    path("dossiers/<str:reference>/action/<int:transition_id>/", case.case_transition, name="transition"),
    path("dossiers/<str:reference>/attribution/", case.case_assign, name="assign"),
    path("dossiers/<str:reference>/message/", case.case_message, name="message"),
    path("dossiers/<str:reference>/note/", case.case_note, name="note"),
    path("dossiers/<str:reference>/partage/", case.case_share, name="share"),
    path("", include("letters.agent_urls")),
    path("courriers-du-jour/", exports.letters_print, name="letters_print"),
]
