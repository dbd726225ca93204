from django.urls import path

from appointments import views

app_name = "appointments"
urlpatterns = [
    path("rendez-vous/", views.catalogue, name="catalogue"),
    path("rendez-vous/<slug:slug>/", views.slots, name="slots"),
    path("rendez-vous/<slug:slug>/reserver/", views.book, name="book"),
    path("espace/rendez-vous/", views.my_appointments, name="my_appointments"),
    path("espace/rendez-vous/<uuid:public_id>/", views.appointment, name="appointment"),
    path("espace/rendez-vous/<uuid:public_id>/rendez-vous.ics", views.appointment_calendar, name="calendar"),
    path("espace/rendez-vous/<uuid:public_id>/annuler/", views.cancel, name="cancel"),
    path("espace/rendez-vous/<uuid:public_id>/deplacer/", views.move, name="move"),
    path("espace/rendez-vous/<uuid:public_id>/alerte/", views.alert, name="alert"),
]
