"""Our pages of the account, beside allauth's under /compte/ (URL names in allauth's style)."""

from django.urls import path

from portal import views

urlpatterns = [
    path("deblocage/<str:token>/", views.account_unlock, name="account_unlock"),
]
