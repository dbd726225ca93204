"""The agents' dashboard: figures on the cases of their departments, as charts and as tables."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backoffice.dashboard import DashboardForm, figures
from gru.access import agent_required
from gru.models import Membership


@require_GET
@agent_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Open cases per status, overdue cases, processing times and weekly activity, for one or all my departments."""
    form = DashboardForm(request.GET, agent=request.user)
    manages = Membership.objects.of(request.user).managers().exists()
    context: dict[str, Any] = {"form": form, "figures": None, "manages": manages}
    if form.is_valid():
        context["figures"] = figures(form.cases(request.user), days=form.cleaned_data["period"])
    return render(request, "backoffice/dashboard.html", context)
