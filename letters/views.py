"""The citizen's letters ("Mes courriers"), and the public verification of letters: whoever holds a letter types its
code, or scans its QR code, and sees who issued it (the collectivité and its department), when, what kind of letter
it is and the holder's name partly masked: enough to tell a real letter from a forgery, and nothing more (never its
subject or text, which may hold a reference or a full name).

A letter not sent answers exactly as an unknown code; lookups are limited per client (its address behind the reverse
proxies of TRUSTED_PROXIES, gru.proxies.client_address, as for sign-ins); an anonymous visit writes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gru.proxies import client_address
from letters.forms import VerifyForm
from letters.models import Letter, code_normalise
from teleservices.models import Case

LETTERS_PER_PAGE = 20
VERIFY_LIMIT = 20
VERIFY_WINDOW_SECONDS = 10 * 60


@login_required
@require_GET
def my_letters(request: HttpRequest) -> HttpResponse:
    """The letters sent about the requests of the citizen and their household, newest first."""
    letters = (
        Letter.objects.sent()
        .filter(case__in=Case.objects.visible_to_citizen(request.user))
        .select_related("case__teleservice", "pdf")
        .order_by("-sent_at")
    )
    page = Paginator(letters, LETTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "letters/my_letters.html", {"page": page})


@require_GET
def verify_start(request: HttpRequest) -> HttpResponse:
    """The form to type a code; a valid one leads to its page."""
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("letters:verify", code=form.cleaned_data["code"])
    return render(request, "letters/verify.html", {"form": form})


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    if _over_limit(request):
        response = render(request, "letters/verify.html", {"form": VerifyForm(), "limited": True}, status=429)
        response["Retry-After"] = str(VERIFY_WINDOW_SECONDS)
        return response
    letter = Letter.objects.sent().select_related("department__organisation").filter(code=code_normalise(code)).first()
    context: dict[str, Any] = {"form": VerifyForm(), "looked_up": True}
    if letter is not None:
        context["verified"] = _disclosed(letter)
    return render(request, "letters/verify.html", context, status=200 if letter else 404)


def _disclosed(letter: Letter) -> dict[str, Any]:
    """All the page tells of a letter: the template gets these values, not the letter, so it cannot show more."""
    return {
        "organisation": letter.department.organisation.name,
        "department": letter.department.name,
        "dated_on": timezone.localdate(letter.created_at),
        "kind": letter.get_kind_display(),
        "holder": masked(letter.recipient_name),
    }


def masked(name: str) -> str:
    """Enough of the holder's name to match the letter in hand, not to learn it: "Alice Martin" -> "A**** M*****"."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


def _over_limit(request: HttpRequest) -> bool:
    """Whether this client made more than VERIFY_LIMIT lookups in its current window (counted in the cache)."""
    key = f"letters:verify:{client_address(request)}"
    if cache.add(key, 1, VERIFY_WINDOW_SECONDS):
        return False
    try:
        return cache.incr(key) > VERIFY_LIMIT
    except ValueError:  # the window ended between the two calls
        return False
