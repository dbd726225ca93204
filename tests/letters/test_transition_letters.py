"""The letter an action of a workflow sends: for every téléservice of the workflow, or chosen for one, which then
replaces the general one on its requests; the admin refuses a letter that would not apply to a request the action is
applied to (a shared workflow's action would otherwise fail on the other procedures)."""

import pytest
from django.urls import reverse

from backoffice import services as backoffice_services
from letters.models import Kind, LetterTemplate, TransitionLetter
from tests.backoffice.conftest import action


def _template(slug, *teleservices):
    template = LetterTemplate.objects.create(
        name=slug, slug=slug, kind=Kind.INFORMATION, subject=f"{slug} {{{{ demande.reference }}}}", body="Bonjour."
    )
    template.teleservices.set(teleservices)
    return template


def _sent_by_actions(case):
    return case.letters.exclude(template__kind=Kind.ACKNOWLEDGEMENT)  # the récépissé of its submission aside


@pytest.fixture
def birth(teleservices):
    return teleservices["acte-de-naissance"]


@pytest.fixture
def other(teleservices, birth):
    """Another procedure instructed with the same workflow as the birth certificate."""
    return next(t for t in teleservices.values() if t != birth and t.workflow_id == birth.workflow_id)


def test_the_letter_chosen_for_a_procedure_replaces_the_general_one_on_its_requests_only(
    bob, birth_case, birth, other, django_capture_on_commit_callbacks
):
    transition = action(birth_case, "Prendre en charge")
    general, own = _template("general"), _template("naissance", birth)
    TransitionLetter.objects.create(transition=transition, template=general)
    TransitionLetter.objects.create(transition=transition, teleservice=birth, template=own)
    assert TransitionLetter.objects.for_case(transition.pk, other.pk).get().template == general
    with django_capture_on_commit_callbacks(execute=True):
        backoffice_services.case_transition(case=birth_case, transition=transition, actor=bob)
    assert list(_sent_by_actions(birth_case).values_list("template__slug", flat=True)) == ["naissance"]


def test_an_action_sends_no_letter_on_a_procedure_it_has_none_for(bob, birth_case, birth, other):
    transition = action(birth_case, "Prendre en charge")
    TransitionLetter.objects.create(transition=transition, teleservice=other, template=_template("autre", other))
    backoffice_services.case_transition(case=birth_case, transition=transition, actor=bob)
    assert not _sent_by_actions(birth_case).exists()


def _add(client, transition, template, teleservice=None):
    data = {"transition": transition.pk, "template": template.pk, "teleservice": teleservice.pk if teleservice else ""}
    return client.post(reverse("admin:letters_transitionletter_add"), data)


def test_the_admin_refuses_a_letter_of_one_procedure_for_every_procedure_of_a_shared_workflow(
    dave_client, birth_case, birth
):
    transition, own = action(birth_case, "Accepter"), _template("naissance", birth)
    response = _add(dave_client, transition, own)
    assert response.status_code == 200 and not TransitionLetter.objects.exists()
    assert "Ce courrier type ne s’applique pas à tous les téléservices" in response.content.decode()
    assert _add(dave_client, transition, own, birth).status_code == 302
    assert TransitionLetter.objects.get().teleservice == birth


def test_the_admin_refuses_a_procedure_that_does_not_use_the_actions_workflow(dave_client, birth_case, birth):
    transition, other_workflow = action(birth_case, "Accepter"), birth.workflow
    other_workflow.pk, other_workflow.slug = None, "autre-circuit"
    other_workflow.save()
    birth.workflow = other_workflow
    birth.save(update_fields=["workflow"])
    response = _add(dave_client, transition, _template("general"), birth)
    assert "Ce téléservice n’utilise pas le circuit d’instruction de cette action" in response.content.decode()
    assert not TransitionLetter.objects.exists()


def test_a_template_sent_by_an_action_on_every_procedure_cannot_be_limited_to_one(dave_client, birth_case, birth):
    general = _template("general")
    TransitionLetter.objects.create(transition=action(birth_case, "Accepter"), template=general)
    data = {
        **{"name": "general", "slug": "general", "kind": "information", "active": "on", "teleservices": [birth.pk]},
        **{"subject": "Votre demande", "body": "Bonjour."},
    }
    response = dave_client.post(reverse("admin:letters_lettertemplate_change", args=[general.pk]), data)
    assert "Ce courrier type ne s’applique pas à tous les téléservices" in response.content.decode()
    assert not general.teleservices.exists()
