"""Writing, generating, correcting and sending letters: a frozen text, an encrypted PDF, and nothing that changes
once sent."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gru.models import Notification
from letters import services
from letters.models import CODE_ALPHABET, Kind, Letter, LetterTemplate
from teleservices import services as teleservices_services
from teleservices.letters_context import letter_context
from tests.backoffice.conftest import submit
from tests.letters.conftest import pdf_text


def test_a_letter_is_written_with_its_text_rendered_and_frozen_and_generated_on_commit(
    bob, birth_case, decision_template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        letter = services.letter_create(
            case=birth_case, template=decision_template, context=letter_context(case=birth_case, agent=bob), author=bob
        )
    assert letter.status == Letter.Status.GENERATING and len(queued) == 1
    assert letter.subject == f"Votre demande {birth_case.reference}"
    assert "Madame, Monsieur Martin" in letter.body and "1 exemplaire(s), Copie intégrale." in letter.body
    assert "Il est à retirer en mairie." in letter.body and "Bob Agent, État civil" in letter.body
    assert (
        letter.recipient_name == "Alice Martin" and letter.recipient_address == "1 rue Haute\n45630 Beaulieu-sur-Loire"
    )
    assert letter.department == birth_case.department and letter.kind == "decision" and letter.signature_required
    assert len(letter.code) == 12 and set(letter.code) <= set(CODE_ALPHABET)
    decision_template.body = "Autre texte"
    decision_template.save()
    letter.refresh_from_db()
    assert "Madame, Monsieur Martin" in letter.body


def test_the_pdf_is_kept_encrypted_in_the_vault_owned_by_the_applicant(
    alice, birth_case, decision_template, write_letter
):
    letter = write_letter(birth_case, decision_template)
    assert letter.status == Letter.Status.READY
    stored = letter.pdf
    assert stored.owner == alice and stored.content_type == "application/pdf" and stored.key_id
    assert stored.name == f"courrier-{letter.display_code}.pdf"
    with stored.file.open("rb") as raw:
        assert not raw.read().startswith(b"%PDF")
    text = pdf_text(stored.read())
    assert birth_case.reference in text and "Alice Martin" in text and letter.display_code in text
    assert "Madame, Monsieur Martin" in text and "Il est à retirer en mairie." in text


def test_the_agent_may_write_the_letters_own_wording_checked_like_a_template(bob, birth_case, decision_template):
    context = letter_context(case=birth_case, agent=bob)
    letter = services.letter_create(
        case=birth_case, template=decision_template, context=context, author=bob, body="Cher {{ usager.prenom }}"
    )
    assert letter.body == "Cher Alice"
    with pytest.raises(ValidationError) as refused:
        services.letter_create(
            case=birth_case, template=decision_template, context=context, author=bob, body="{{ usager.password }}"
        )
    assert "usager.password" in refused.value.message_dict["body"][0]


def test_a_template_of_another_procedure_or_inactive_does_not_apply(bob, birth_case, decision_template, teleservices):
    decision_template.teleservices.set([teleservices["inscription-scolaire"]])
    context = letter_context(case=birth_case, agent=bob)
    with pytest.raises(ValidationError, match="ne s’applique pas"):
        services.letter_create(case=birth_case, template=decision_template, context=context, author=bob)
    decision_template.teleservices.set([birth_case.teleservice])
    decision_template.active = False
    decision_template.save()
    with pytest.raises(ValidationError, match="ne s’applique pas"):
        services.letter_create(case=birth_case, template=decision_template, context=context, author=bob)


def test_a_draft_request_gets_no_letter(bob, alice, teleservices, decision_template):
    draft = teleservices_services.case_start(user=alice, teleservice=teleservices["acte-de-naissance"])
    with pytest.raises(ValidationError):
        services.letter_create(case=draft, template=decision_template, context={}, author=bob)


def test_sending_freezes_the_letter(bob, birth_case, decision_template, write_letter):
    letter = services.letter_send(letter=write_letter(birth_case, decision_template), actor=bob)
    assert letter.status == Letter.Status.SENT and letter.sent_at and letter.sent_by == bob
    with pytest.raises(ValidationError, match="déjà été envoyé"):
        services.letter_send(letter=letter, actor=bob)
    with pytest.raises(ValidationError, match="ne peut plus changer"):
        services.letter_update(letter=letter, subject="Autre objet", body="Autre texte")


def test_the_database_refuses_to_change_a_sent_letter(bob, birth_case, decision_template, write_letter):
    letter = services.letter_send(letter=write_letter(birth_case, decision_template), actor=bob)
    for change in [{"body": "Autre texte"}, {"status": "ready", "sent_at": None}, {"pdf": None, "status": "draft"}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Letter.objects.filter(pk=letter.pk).update(**change)
    Letter.objects.filter(pk=letter.pk).update(author=None)  # an account deleted: the letter stays as it was


def test_a_letter_is_sent_only_with_its_pdf(bob, birth_case, decision_template):
    letter = services.letter_create(
        case=birth_case, template=decision_template, context=letter_context(case=birth_case), author=bob
    )
    with pytest.raises(ValidationError, match="pas encore être envoyé"):
        services.letter_send(letter=letter, actor=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(status="sent", sent_at=timezone.now())


def test_correcting_a_ready_letter_generates_its_pdf_again(
    bob, birth_case, decision_template, write_letter, django_capture_on_commit_callbacks
):
    letter = write_letter(birth_case, decision_template)
    first_pdf = letter.pdf
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_update(letter=letter, subject="Objet corrigé", body="Texte\ncorrigé")
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY and letter.subject == "Objet corrigé"
    assert "corrigé" in pdf_text(letter.pdf.read()) and letter.pdf != first_pdf
    assert not type(first_pdf).objects.filter(pk=first_pdf.pk).exists()


def test_a_letter_being_generated_cannot_be_corrected_meanwhile(bob, birth_case, decision_template):
    letter = services.letter_create(
        case=birth_case, template=decision_template, context=letter_context(case=birth_case), author=bob
    )
    with pytest.raises(ValidationError, match="en cours de génération"):
        services.letter_update(letter=letter, subject="Objet", body="Texte")


def test_a_failed_generation_is_a_draft_that_says_why_and_can_be_generated_again(
    bob, birth_case, decision_template, write_letter, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(document):
        raise RuntimeError("disque plein")

    monkeypatch.setattr("letters.pdf.letter_pdf", broken)
    letter = write_letter(birth_case, decision_template)
    assert letter.status == Letter.Status.DRAFT and letter.error == "RuntimeError: disque plein" and letter.pdf is None
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_update(letter=letter, subject=letter.subject, body=letter.body)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY and letter.error == ""


def test_rendering_twice_does_nothing_the_second_time(birth_case, decision_template, write_letter):
    letter = write_letter(birth_case, decision_template)
    assert services.letter_render(letter_id=letter.pk) is None


def test_a_letter_whose_task_was_lost_is_queued_again(bob, birth_case, decision_template):
    letter = services.letter_create(
        case=birth_case, template=decision_template, context=letter_context(case=birth_case), author=bob
    )
    receipt = birth_case.letters.get(kind=Kind.ACKNOWLEDGEMENT)  # its task not run either (on commit)
    assert services.letters_generating_stale(now=timezone.now()) == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert sorted(services.letters_generating_stale(now=timezone.now())) == sorted([receipt.pk, letter.pk])


@pytest.mark.parametrize(("templates", "wait"), [(True, services.ACKNOWLEDGEMENT_WAIT), (False, datetime.timedelta())])
def test_a_submitted_request_gets_its_recepisse_which_its_acknowledgement_waits_for(
    alice, teleservices, templates, wait
):
    """From teleservices' case_submitted, in the submission's transaction; without an active template, nothing to
    wait for."""
    LetterTemplate.objects.filter(kind=Kind.ACKNOWLEDGEMENT).update(active=templates)
    case = submit(alice, teleservices["acte-de-naissance"])
    receipts = list(case.letters.filter(kind=Kind.ACKNOWLEDGEMENT, send_when_ready=True))
    assert len(receipts) == (1 if templates else 0)
    email = Notification.objects.get(event="case_received", channel=Notification.Channel.EMAIL)
    assert email.next_attempt_at - email.created_at == wait
