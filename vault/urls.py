from django.urls import path

from vault import views

app_name = "vault"
urlpatterns = [path("fichiers/<uuid:public_id>/", views.file, name="file")]
