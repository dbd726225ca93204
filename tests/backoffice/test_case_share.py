"""A case shared with an agent of another department for an opinion: they see that case alone, never the citizen's
360° view, and its internal notes only when the sharing agent chose to share them."""

from django.urls import reverse

from backoffice import services
from teleservices.models import CaseShare
from tests.backoffice.conftest import submit
from tests.conftest import sign_in

BOBS_NOTE = "Pièce d’identité douteuse, à vérifier en mairie"


def _case_page(client, case):
    return client.get(reverse("backoffice:case", args=[case.reference])).content.decode()


def test_the_agent_asked_for_an_opinion_does_not_reach_the_citizens_360_view(
    carol_client, bob, carol, alice, teleservices, birth_case
):
    other = submit(alice, teleservices["acte-de-naissance"])
    services.case_share(case=birth_case, agent=carol, actor=bob)
    citizen_url = reverse("backoffice:citizen", args=[alice.pk])
    assert carol_client.get(citizen_url).status_code == 404
    page = _case_page(carol_client, birth_case)
    assert alice.get_full_name() in page and citizen_url not in page
    assert other.reference not in page
    assert carol_client.get(reverse("backoffice:case", args=[other.reference])).status_code == 404


def test_without_the_notes_the_agent_asked_sees_only_the_notes_they_write(carol_client, bob, carol, birth_case):
    services.note_add(case=birth_case, author=bob, body=BOBS_NOTE)
    services.case_share(case=birth_case, agent=carol, actor=bob)
    carol_client.post(reverse("backoffice:note", args=[birth_case.reference]), {"body": "Avis favorable"})
    page = _case_page(carol_client, birth_case)
    assert "Avis favorable" in page and BOBS_NOTE not in page
    assert "ne vous a pas communiqué ses notes" in page
    sign_in(carol_client, bob)
    page = _case_page(carol_client, birth_case)
    assert "Avis favorable" in page and BOBS_NOTE in page


def test_the_sharing_agent_may_share_the_internal_notes_too(bob_client, bob, carol, birth_case):
    services.note_add(case=birth_case, author=bob, body=BOBS_NOTE)
    share_url = reverse("backoffice:share", args=[birth_case.reference])
    assert "Partager aussi les notes internes" in _case_page(bob_client, birth_case)
    bob_client.post(share_url, {"agent": carol.pk, "with_notes": "on"})
    assert CaseShare.objects.get(user=carol, content_object=birth_case).with_notes
    sign_in(bob_client, carol)
    assert BOBS_NOTE in _case_page(bob_client, birth_case)
    sign_in(bob_client, bob)
    bob_client.post(share_url, {"agent": carol.pk})  # shared again, notes unticked: they are no longer shown
    sign_in(bob_client, carol)
    assert BOBS_NOTE not in _case_page(bob_client, birth_case)
