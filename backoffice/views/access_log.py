"""The access log of the departments a manager runs: who read which citizen's data, and why. Reading it is itself
written in it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gru.access import agent_required
from gru.access_log import access_log_read_record
from gru.models import Access, Membership

READS_PER_PAGE = 50


@require_GET
@agent_required
def access_log(request: HttpRequest) -> HttpResponse:
    managed = list(Membership.objects.of(request.user).managers().values_list("department_id", flat=True))
    if not managed:
        raise PermissionDenied
    access_log_read_record(agent=request.user, department_id=managed[0])
    reads = Access.objects.of_departments(managed).select_related("agent", "department", "citizen")
    page = Paginator(reads, READS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "backoffice/access_log.html", {"page": page})
