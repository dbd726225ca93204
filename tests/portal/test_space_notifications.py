"""The notifications of the citizen space: the unread ones in "Mon espace", all of them in "Mes notifications",
which marks them read when seen."""

import re

from django.db import transaction
from django.urls import reverse

from gru.models import Notification
from gru.notifications import notify
from portal.views import NOTIFICATIONS_PER_PAGE

NOTIFICATIONS = reverse("portal:notifications")


def _told(user, n: int = 1) -> list[Notification]:
    """`n` notifications of new messages in the user's space."""
    with transaction.atomic():
        return [
            row
            for i in range(n)
            for row in notify(
                event="case_message",
                user=user,
                context={"reference": f"DEM-2026-{i:06d}", "title": "Signalement"},
                url=f"/r/{i}/",
            )
            if row.channel == Notification.Channel.SPACE
        ]


def _unread_items(page: str) -> int:
    return len(re.findall(r'class="notification notification--unread"', page))


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_the_notifications_page_refuses_other_methods(alice_client):
    assert alice_client.post(NOTIFICATIONS).status_code == 405


def test_my_space_shows_how_many_notifications_are_unread_with_links_to_them(alice_client, alice, eve):
    _told(alice, 2)
    _told(eve, 3)
    page = alice_client.get(reverse("portal:space")).content.decode()
    assert _unread_items(page) == 2
    assert '<a href="/r/1/">Nouveau message sur votre demande « Signalement » (DEM-2026-000001)</a>' in page
    assert "DEM-2026-000000" in page and f'href="{NOTIFICATIONS}"' in page


def test_seen_notifications_are_marked_read_and_leave_my_space(alice_client, alice, eve):
    _told(alice, 2)
    (eves,) = _told(eve)
    first = alice_client.get(NOTIFICATIONS).content.decode()
    assert _unread_items(first) == 2  # marked new this once
    assert "DEM-2026-000001" in first and first.index("DEM-2026-000001") < first.index("DEM-2026-000000")
    assert _unread_items(alice_client.get(NOTIFICATIONS).content.decode()) == 0
    assert Notification.objects.in_space_of(alice).unread().count() == 0
    assert _unread_items(alice_client.get(reverse("portal:space")).content.decode()) == 0
    eves.refresh_from_db()
    assert eves.read_at is None  # eve's are hers, neither shown to alice nor marked


def test_only_the_notifications_of_the_page_shown_are_marked_read(alice_client, alice):
    _told(alice, NOTIFICATIONS_PER_PAGE + 3)
    page = alice_client.get(NOTIFICATIONS).content.decode()
    assert _unread_items(page) == NOTIFICATIONS_PER_PAGE and 'href="?page=2"' in page
    assert Notification.objects.in_space_of(alice).unread().count() == 3
    assert _unread_items(alice_client.get(NOTIFICATIONS + "?page=2").content.decode()) == 3


def test_the_notifications_page_costs_the_same_queries_for_one_or_twenty(
    alice_client, alice, django_assert_max_num_queries
):
    _told(alice)
    with django_assert_max_num_queries(9):
        assert alice_client.get(NOTIFICATIONS).status_code == 200
    _told(alice, 19)
    with django_assert_max_num_queries(9):
        assert alice_client.get(NOTIFICATIONS).status_code == 200


def test_the_space_costs_the_same_queries_with_many_notifications(alice_client, alice, django_assert_max_num_queries):
    _told(alice, 12)
    with django_assert_max_num_queries(10):
        assert alice_client.get(reverse("portal:space")).status_code == 200
