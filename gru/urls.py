from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from gru import health, metrics, views

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = admin.site.site_title = "GRU"
handler400 = views.bad_request

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("logo", views.organisation_logo, name="organisation_logo"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("langue/", set_language, name="set_language"),
    path("compte/", include("portal.account_urls")),
    path("compte/", include("allauth.urls")),
    path("franceconnect/", include("portal.franceconnect_urls")),
    path("", include("teleservices.urls")),
    path("", include("vault.urls")),
    path("", include("letters.urls")),
    path("", include("appointments.urls")),
    path("espace/", include("portal.urls")),
    path("agents/", include("backoffice.urls")),
    path("admin/", admin.site.urls),
]
