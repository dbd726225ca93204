"""The agents' back office (home skeleton; the task board comes with the back-office issue)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gru.access import agent_required
from gru.models import Membership


@require_GET
@agent_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.of(request.user).select_related("department")
    return render(request, "backoffice/home.html", {"memberships": memberships})
