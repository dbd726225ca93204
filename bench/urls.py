from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/ceiling/", views.ceiling, name="bench_ceiling"),
    path("bench/ceiling-template/", views.ceiling_template, name="bench_ceiling_template"),
    path("", include("gru.urls")),
]
