"""The ceilings every page is compared with: what bare Django serves on this machine."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def ceiling_template(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/ceiling.html", {"title": "Plafond"})
