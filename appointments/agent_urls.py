"""The agents' pages of the agendas, included by backoffice/urls.py in the back office's namespace and paths
(`backoffice:agenda`, /agents/agendas/…)."""

from django.urls import path

from appointments import agent_views as views

urlpatterns = [
    path("agendas/", views.agendas, name="agendas"),
    path("agendas/<int:pk>/", views.agenda, name="agenda"),
    path("agendas/<int:pk>/reserver/", views.agenda_book, name="agenda_book"),
    path("agendas/<int:pk>/reserver/usager/", views.agenda_book_slot, name="agenda_book_slot"),
    path("agendas/<int:pk>/calendrier/", views.agenda_calendar, name="agenda_calendar"),
    path("agendas/<int:pk>/calendrier/nouvelle-adresse/", views.agenda_feed_regenerate, name="agenda_feed_regenerate"),
    path("agendas/<int:pk>/flux/<str:key>.ics", views.agenda_feed, name="agenda_feed"),
    path("agendas/<int:pk>/parametres/", views.agenda_settings, name="agenda_settings"),
    path("agendas/<int:pk>/parametres/plages/ajouter/", views.opening_rule_add, name="opening_rule_add"),
    path("agendas/<int:pk>/parametres/plages/<int:rule_pk>/", views.opening_rule_edit, name="opening_rule_edit"),
    path(
        "agendas/<int:pk>/parametres/plages/<int:rule_pk>/supprimer/",
        views.opening_rule_delete,
        name="opening_rule_delete",
    ),
    path("agendas/<int:pk>/parametres/fermetures/ajouter/", views.closure_add, name="closure_add"),
    path(
        "agendas/<int:pk>/parametres/fermetures/<int:closure_pk>/supprimer/",
        views.closure_delete,
        name="closure_delete",
    ),
    path("rendez-vous/<uuid:public_id>/annuler/", views.appointment_cancel, name="appointment_cancel"),
    path("rendez-vous/<uuid:public_id>/presence/", views.appointment_mark, name="appointment_mark"),
]
