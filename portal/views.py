"""The citizen space: "Mon espace", profile and household."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from gru.access_log import access_sentence
from gru.models import Access, Notification
from gru.notifications import notifications_mark_read
from portal import geocoder, lockouts, second_factor, services
from portal.forms import AddressForm, HouseholdCreateForm, HouseholdMemberForm, InvitationForm, ProfileForm
from portal.models import Household, HouseholdInvitation, HouseholdMember
from portal.space import sections

GET_POST = require_http_methods(["GET", "POST"])
SPACE_NOTIFICATIONS = 5  # the latest unread notifications shown in "Mon espace"
NOTIFICATIONS_PER_PAGE = 20
ACCESS_LOG_PER_PAGE = 50


def _own_household(request: HttpRequest) -> Household:
    return get_object_or_404(Household.objects.of(request.user))


@login_required
@require_http_methods(["GET"])
def space(request: HttpRequest) -> HttpResponse:
    household = Household.objects.of(request.user).prefetch_related("members").first()
    unread = Notification.objects.in_space_of(request.user).unread()
    context = {
        "household": household,
        "sections": [(section.template, section.context(request.user)) for section in sections()],
        "unread": unread[:SPACE_NOTIFICATIONS],
        "unread_count": unread.count(),
    }
    return render(request, "portal/space.html", context)


@login_required
@require_http_methods(["GET"])
def notifications(request: HttpRequest) -> HttpResponse:
    """Mes notifications, newest first: seeing them marks them read (this page still shows them as new)."""
    listed = Notification.objects.in_space_of(request.user)
    page = Paginator(listed, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    notifications_mark_read(user=request.user, notifications=list(page))  # the page keeps the rows as loaded
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """Qui a consulté mes données: every read of the citizen's data by an agent, newest first."""
    listed = Access.objects.of_citizen(request.user).select_related("department", "agent")
    page = Paginator(listed, ACCESS_LOG_PER_PAGE).get_page(request.GET.get("page"))
    sentences = [access_sentence(access) for access in page]
    context = {"page": page, "sentences": sentences, "retention_months": settings.ACCESS_LOG_RETENTION_MONTHS}
    return render(request, "portal/access_log.html", context)


@login_required
@GET_POST
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, data=form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("portal:profile")
    return render(request, "portal/profile.html", {"form": form})


@login_required
@require_GET
def address_search(request: HttpRequest) -> JsonResponse:
    """The addresses matching `?q=` for static/js/address.js, with the sentence its live region reads; none when the
    geocoder is off or fails (the citizen types the address), and a 429 past the session's rate of lookups. Signed-in
    only: addresses are asked in forms filled signed in, and nothing is written for anyone."""
    query = request.GET.get("q", "")
    if len(query.strip()) >= geocoder.MIN_QUERY and not geocoder.lookup_allowed(
        session_key=request.session.session_key or ""
    ):
        return JsonResponse({"results": [], "message": ""}, status=429)
    found = geocoder.address_search(query=query)
    message = ngettext(
        "%(count)s address suggested: the down arrow reaches it, Enter chooses it.",
        "%(count)s addresses suggested: the arrows go through them, Enter chooses one.",
        len(found),
    ) % {"count": len(found)}
    response = JsonResponse({"results": [asdict(s) for s in found], "message": message if found else ""})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@GET_POST
def household(request: HttpRequest) -> HttpResponse:
    current = Household.objects.of(request.user).prefetch_related("members__user").first()
    if current is not None:
        invitations = current.invitations.pending().order_by("created_at")
        return render(request, "portal/household.html", {"household": current, "invitations": invitations})
    form = HouseholdCreateForm(request.POST or None, initial={"birth_date": request.user.birth_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.household_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your household has been created. You can now add its members."))
            return redirect("portal:household")
    return render(request, "portal/household_create.html", {"form": form})


@login_required
@GET_POST
def household_address(request: HttpRequest) -> HttpResponse:
    current = _own_household(request)
    initial = {"street": current.street, "postcode": current.postcode, "city": current.city}
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.household_update(household=current, **form.cleaned_data)
        messages.success(request, _("The address of your household has been saved."))
        return redirect("portal:household")
    return render(request, "portal/household_address.html", {"form": form})


@login_required
@GET_POST
def member_add(request: HttpRequest) -> HttpResponse:
    current = _own_household(request)
    form = HouseholdMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = services.household_member_add(household=current, data=form.cleaned_data)
        messages.success(request, _("%(name)s has been added to your household.") % {"name": member})
        return redirect("portal:household")
    return render(request, "portal/member_form.html", {"form": form, "member": None})


def _member_without_account(request: HttpRequest, pk: int) -> HouseholdMember:
    return get_object_or_404(HouseholdMember.objects.of(request.user).filter(user__isnull=True), pk=pk)


@login_required
@GET_POST
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_without_account(request, pk)
    form = HouseholdMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.household_member_update(member=member, data=form.cleaned_data)
        messages.success(request, _("The details of %(name)s have been saved.") % {"name": member})
        return redirect("portal:household")
    return render(request, "portal/member_form.html", {"form": form, "member": member})


@login_required
@GET_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_without_account(request, pk)
    if request.method == "POST":
        services.household_member_remove(member=member)
        messages.success(request, _("%(name)s has been removed from your household.") % {"name": member})
        return redirect("portal:household")
    return render(request, "portal/member_remove.html", {"member": member})


@login_required
@GET_POST
def invite(request: HttpRequest) -> HttpResponse:
    current = _own_household(request)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_invitation_send(
                household=current, invited_by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation has been sent to %(email)s.") % form.cleaned_data)
            return redirect("portal:household")
    return render(request, "portal/invite.html", {"form": form})


@login_required
@GET_POST
def leave(request: HttpRequest) -> HttpResponse:
    current = _own_household(request)
    if request.method == "POST":
        services.household_leave(user=request.user)
        messages.success(request, _("You have left the household."))
        return redirect("portal:space")
    return render(request, "portal/leave.html", {"household": current})


@login_required
@GET_POST
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        HouseholdInvitation.objects.pending().select_related("invited_by"),
        token=token,
        email=request.user.email.lower(),
    )
    error = None
    if request.method == "POST":
        try:
            services.household_invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("You have joined the household."))
            return redirect("portal:household")
    return render(request, "portal/invitation_accept.html", {"invitation": invitation, "error": error})


@GET_POST
def account_unlock(request: HttpRequest, token: str) -> HttpResponse:
    """The link emailed to a locked account: a button unlocks it for this browser and address (a mail scanner that
    opens links does not use it up), then the sign-in page."""
    if lockouts.unlock_link_user(token) is None:
        return render(request, "account/unlock.html", {"invalid": True}, status=404)
    if request.method == "POST":
        if lockouts.unlock_link_use(request, token=token):
            messages.success(request, _("Your account is unlocked: you can sign in again."))
            return redirect("account_login")
        return render(request, "account/unlock.html", {"invalid": True}, status=404)
    return render(request, "account/unlock.html", {})


@login_required
def second_factor_needed(request: HttpRequest) -> HttpResponse:
    """Where an agent or administrator without a second factor is sent: a first one is enrolled only through the
    link their administrator emails them."""
    return render(request, "portal/second_factor_needed.html")


@login_required
@GET_POST
def second_factor_enrolment(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed enrolment link: checked when opened, used when confirmed, then on to the TOTP enrolment."""
    try:
        if request.method == "POST":
            second_factor.enrolment_open(request=request, token=token)
            return redirect("mfa_activate_totp")
        second_factor.enrolment_link_check(token=token, user=request.user)
    except ValidationError as exc:
        return render(request, "portal/second_factor_enrolment.html", {"error": exc.messages[0]}, status=400)
    return render(request, "portal/second_factor_enrolment.html", {"error": None})
