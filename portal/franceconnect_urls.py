from django.urls import path

from portal import franceconnect_views

app_name = "franceconnect"
urlpatterns = [
    path("connexion/", franceconnect_views.login, name="login"),
    path("retour/", franceconnect_views.callback, name="callback"),
]
