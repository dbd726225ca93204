"""Our pages of the account, beside allauth's under /compte/ (URL names in allauth's style)."""

from django.urls import path, re_path

from portal import account_views, views

urlpatterns = [
    # allauth's path, so that its links (reverse of the last pattern of a name) lead here too.
    re_path(
        r"^confirm-email/(?P<key>[-:\w]+)/$", account_views.ConfirmEmailView.as_view(), name="account_confirm_email"
    ),
    path("deblocage/<str:token>/", views.account_unlock, name="account_unlock"),
]
