from django.urls import path

from backoffice.views import agendas, board, case, citizens, dashboard, exports, intake, letters

app_name = "backoffice"
urlpatterns = [
    path("", board.home, name="home"),
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    path("actions-groupees/", board.bulk, name="bulk"),
    path("vues/", board.saved_view_create, name="saved_view_create"),
    path("vues/<int:pk>/supprimer/", board.saved_view_delete, name="saved_view_delete"),
    path("export/", exports.export_create, name="export_create"),
    path("exports/<int:pk>/", exports.export_detail, name="export"),
    path("exports/<int:pk>/telecharger/", exports.export_download, name="export_download"),
    path("nouvelle-demande/", intake.intake, name="intake"),
    path("nouvelle-demande/<uuid:public_id>/etape/<int:page>/", intake.intake_fill, name="intake_fill"),
    path("nouvelle-demande/<uuid:public_id>/recapitulatif/", intake.intake_review, name="intake_review"),
    path("nouvelle-demande/<uuid:public_id>/supprimer/", intake.intake_delete, name="intake_delete"),
    path("usagers/<int:pk>/", citizens.citizen, name="citizen"),
    path("usagers/<int:pk>/documents/ajouter/", citizens.document_add, name="document_add"),
    path("usagers/<int:pk>/documents/<uuid:public_id>/verifier/", citizens.document_verify, name="document_verify"),
    path("usagers/<int:pk>/documents/<uuid:public_id>/refuser/", citizens.document_refuse, name="document_refuse"),
    path("agendas/", agendas.agendas, name="agendas"),
    path("agendas/<int:pk>/", agendas.agenda, name="agenda"),
    path("agendas/<int:pk>/reserver/", agendas.agenda_book, name="agenda_book"),
    path("agendas/<int:pk>/reserver/usager/", agendas.agenda_book_slot, name="agenda_book_slot"),
    path("agendas/<int:pk>/calendrier/", agendas.agenda_calendar, name="agenda_calendar"),
    path(
        "agendas/<int:pk>/calendrier/nouvelle-adresse/", agendas.agenda_feed_regenerate, name="agenda_feed_regenerate"
    ),
    path("agendas/<int:pk>/flux/<str:key>.ics", agendas.agenda_feed, name="agenda_feed"),
    path("agendas/<int:pk>/parametres/", agendas.agenda_settings, name="agenda_settings"),
    path("agendas/<int:pk>/parametres/plages/ajouter/", agendas.opening_rule_add, name="opening_rule_add"),
    path("agendas/<int:pk>/parametres/plages/<int:rule_pk>/", agendas.opening_rule_edit, name="opening_rule_edit"),
    path(
        "agendas/<int:pk>/parametres/plages/<int:rule_pk>/supprimer/",
        agendas.opening_rule_delete,
        name="opening_rule_delete",
    ),
    path("agendas/<int:pk>/parametres/fermetures/ajouter/", agendas.closure_add, name="closure_add"),
    path(
        "agendas/<int:pk>/parametres/fermetures/<int:closure_pk>/supprimer/",
        agendas.closure_delete,
        name="closure_delete",
    ),
    path("rendez-vous/<uuid:public_id>/annuler/", agendas.appointment_cancel, name="appointment_cancel"),
    path("rendez-vous/<uuid:public_id>/presence/", agendas.appointment_mark, name="appointment_mark"),
    path("dossiers/<str:reference>/", case.case_detail, name="case"),
    path("dossiers/<str:reference>/action/<int:transition_id>/", case.case_transition, name="transition"),
    path("dossiers/<str:reference>/attribution/", case.case_assign, name="assign"),
    path("dossiers/<str:reference>/message/", case.case_message, name="message"),
    path("dossiers/<str:reference>/note/", case.case_note, name="note"),
    path("dossiers/<str:reference>/partage/", case.case_share, name="share"),
    path("dossiers/<str:reference>/courriers/", letters.letter_new, name="letter_new"),
    path("dossiers/<str:reference>/courriers/<str:code>/", letters.letter_detail, name="letter"),
    path("dossiers/<str:reference>/courriers/<str:code>/envoyer/", letters.letter_send, name="letter_send"),
    path("dossiers/<str:reference>/courriers/<str:code>/etat/", letters.letter_status, name="letter_status"),
    path("courriers-du-jour/", letters.letters_print, name="letters_print"),
]
