from django.urls import path

from letters import views

app_name = "letters"
urlpatterns = [
    path("verifier/", views.verify_start, name="verify_start"),
    path("verifier/<str:code>/", views.verify, name="verify"),
    path("espace/courriers/", views.my_letters, name="mine"),
]
