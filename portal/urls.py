from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.space, name="space"),
    path("profil/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("consultations/", views.access_log, name="access_log"),
    path("adresses/", views.address_search, name="address_search"),
    path("foyer/", views.household, name="household"),
    path("foyer/adresse/", views.household_address, name="household_address"),
    path("foyer/membres/ajouter/", views.member_add, name="member_add"),
    path("foyer/membres/<int:pk>/", views.member_edit, name="member_edit"),
    path("foyer/membres/<int:pk>/retirer/", views.member_remove, name="member_remove"),
    path("foyer/inviter/", views.invite, name="invite"),
    path("foyer/quitter/", views.leave, name="leave"),
    path("foyer/invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("second-facteur/", views.second_factor_needed, name="second_factor_needed"),
    path("second-facteur/<str:token>/", views.second_factor_enrolment, name="second_factor_enrolment"),
]
