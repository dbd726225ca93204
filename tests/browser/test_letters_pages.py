"""The pages of letters have no accessibility violation: the agents' letter page and the day's letters to post, the
citizen's letters, and the public verification page."""

import pytest
from playwright.sync_api import expect

from letters.models import Kind, LetterTemplate
from letters.services import case_letter_create
from tests.backoffice.conftest import submit
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_letter_pages_of_agents_citizens_and_the_public_have_no_violation(page, bob, alice, teleservices):
    case = submit(alice, teleservices["acte-de-naissance"])
    template = LetterTemplate.objects.create(
        name="Précisions", slug="precisions", kind=Kind.INFORMATION, subject="Votre demande", body="Bonjour."
    )
    letter = case_letter_create(case=case, template=template, author=bob)
    sent = case_letter_create(case=case, template=template, author=bob, send=True)  # sent on commit (eager)
    sign_in(page, bob.email, totp=True)
    page.goto(f"/agents/dossiers/{case.reference}/")
    expect(page.locator("#letters-title")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/agents/dossiers/{case.reference}/courriers/{letter.code}/")
    expect(page.locator("h1")).to_have_text("Votre demande")
    assert_accessible(page)
    page.goto("/agents/courriers-du-jour/")
    assert_accessible(page)
    page.context.clear_cookies()

    sign_in(page, alice.email)
    page.goto("/espace/courriers/")
    expect(page.locator("main")).to_contain_text(sent.display_code)
    assert_accessible(page)
    page.goto(f"/verifier/{sent.code}/")
    assert_accessible(page)
