"""The security review's passing probes, kept as tests so that they cannot regress: this module is their index.
Tests already in place stay where they are and are listed here; what they did not cover is tested below.

1. CSV/XLSX formulas neutralised.
   tests/backoffice/test_exports.py::test_cells_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe
   (answers starting with = and @); below: every start a spreadsheet runs (= + - @ tab CR), in answers and in the
   citizen's name, in both formats.
2. PDFs fetch nothing.
   tests/letters/test_pdf.py::test_the_fetcher_refuses_anything_but_the_letters_own_files,
   tests/letters/test_pdf.py::test_a_letter_refering_to_the_network_is_not_rendered,
   tests/letters/test_pdf.py::test_an_answer_holding_markup_is_printed_as_text;
   below: with a real HTTP server listening, every kind of reference (img, link, CSS url(), @import, @font-face,
   object, embed, attachments, SVG image, file:///etc/passwd) fetches nothing and embeds nothing, written in the
   HTML or in a template letter.
3. Login throttled from the 6th try.
   tests/portal/test_accounts.py::test_repeated_failures_lock_the_account_even_for_the_right_password;
   below: the boundary (the 5th try still signs in), from one fixed address, with the French lock message.
4. No account enumeration.
   tests/portal/test_accounts.py::test_a_failed_login_says_the_same_thing_whether_or_not_the_email_has_an_account,
   tests/portal/test_accounts.py::test_password_reset_answers_the_same_for_unknown_and_known_addresses;
   below: the same status and the same page, for login and reset, and for sign-up with an address in use.
5. Open redirect refused.
   tests/backoffice/test_case_vault_documents.py::test_the_way_back_after_a_check_never_leaves_the_site
   (one absolute URL); below: four forms of off-site address on every view reading one (sign-in, second factor,
   sign-out, sign-up, reauthentication, language, the way back after checking a document).
6. CSRF refused: below (sign-in, a citizen starting a request, an agent's action).
7. Anonymous pages write nothing.
   tests/gru/test_security_headers.py::test_anonymous_pages_write_nothing_to_the_database (its list extended for
   this review to every anonymous page, and no session row created),
   tests/letters/test_verify.py::test_an_anonymous_visit_writes_nothing_and_reads_once (a sent letter's
   verification page),
   tests/teleservices/test_filing.py::test_the_catalogue_writes_nothing_to_the_database,
   tests/gru/test_security_headers.py::test_security_txt_writes_nothing_and_reads_nothing_from_the_database.
8. The verification page rate-limited.
   tests/letters/test_verify.py::test_lookups_are_limited_per_client (429 after letters.views.VERIFY_LIMIT lookups
   from one address; another address is still answered).
"""

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pyotp
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from gru.pdf import PDFRenderingError
from letters import services as letter_services
from letters.models import Kind, LetterTemplate
from letters.pdf import letter_pdf
from portal.models import User
from teleservices.letters_context import letter_context
from teleservices.models import Case
from tests.backoffice.conftest import BIRTH, action, submit
from tests.backoffice.test_citizen_documents import _document
from tests.backoffice.test_exports import _content, _csv, _export, _sheet
from tests.conftest import TOTP_SECRET, sign_in
from tests.factories import PASSWORD
from tests.letters.conftest import pdf_reader, pdf_text, sample_document

# What a spreadsheet runs as a formula when a cell starts with it (written here, not read from the code under test).
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_an_answer_or_a_name_a_spreadsheet_would_run_is_exported_as_text(
    bob_client, alice, teleservices, format, start
):
    User.objects.filter(pk=alice.pk).update(first_name=f"{start}1+1")
    alice.refresh_from_db()
    formula = f'{start}HYPERLINK("https://evil.example","?")'
    submit(alice, teleservices["acte-de-naissance"], {**BIRTH, "nom": formula, "telephone": ""})
    content = _content(_export(bob_client, format))
    if format == "csv":
        header, row = _csv(content)
        values = dict(zip(header, row, strict=True))
    else:
        header, cells = _sheet(content).iter_rows()
        assert {cell.data_type for cell in cells} <= {"s", "n", "d"}  # no cell is a formula
        values = {h.value: cell.value for h, cell in zip(header, cells, strict=True)}
    assert values["Nom de naissance"] == f"'{formula}"
    # The name is stripped when shown (a leading tab or CR goes): whatever is left must not be run either.
    assert not values["Usager"].startswith(tuple(FORMULA_STARTS)) and values["Usager"].endswith("1+1 Martin")


class _Recorder(BaseHTTPRequestHandler):
    """Records the path of every GET, and answers it with a small stylesheet."""

    def do_GET(self) -> None:
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def listening() -> Iterator[ThreadingHTTPServer]:
    """A real HTTP server on a free port of this machine, in a thread: `.paths` lists what it was asked for."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.paths = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _references(base: str) -> dict[str, str]:
    """Every way HTML and CSS make WeasyPrint fetch or embed a resource, to our server or to a local file."""
    return {
        "img": f'<img src="{base}/img.png" alt="x">',
        "link": f'<link rel="stylesheet" href="{base}/style.css">',
        "css url()": f'<style>body {{ background: url("{base}/background.png") }}</style>',
        "css @import": f'<style>@import url("{base}/import.css");</style>',
        "css @font-face": f'<style>@font-face {{ font-family: x; src: url("{base}/font.woff") }}</style>',
        "style attribute": f"<p style=\"background-image: url('{base}/inline.png')\">x</p>",
        "object": f'<object data="{base}/object.svg" type="image/svg+xml">x</object>',
        "embed": f'<embed src="{base}/embed.png" type="image/png">',
        "attachment": f'<a rel="attachment" href="{base}/attached.txt">x</a>',
        "link attachment": f'<link rel="attachment" href="{base}/linked.txt">',
        "file img": '<img src="file:///etc/passwd" alt="x">',
        "file link": '<link rel="stylesheet" href="file:///etc/passwd">',
        "file css url()": '<style>body { background: url("file:///etc/passwd") }</style>',
        "file attachment": '<a rel="attachment" href="file:///etc/passwd">x</a>',
        "relative path": '<img src="/../../../../etc/passwd" alt="x">',
        "static escape": '<link rel="stylesheet" href="/static/pdf/../../../../etc/passwd">',
    }


def _base(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def _rendered_with(monkeypatch, markup: str) -> bytes:
    """A letter whose HTML holds `markup` (as if the letter's template let it through), rendered."""
    html = f'<!DOCTYPE html><html lang="fr"><head><title>x</title>{markup}</head><body><p>x</p>{markup}</body></html>'
    monkeypatch.setattr("letters.pdf.letter_html", lambda document: html)
    return letter_pdf(sample_document())


@pytest.mark.parametrize("reference", list(_references("")))
def test_a_letter_whose_html_refers_to_the_network_or_a_file_is_refused_and_nothing_is_fetched(
    listening, monkeypatch, reference
):
    with pytest.raises(PDFRenderingError):
        _rendered_with(monkeypatch, _references(_base(listening))[reference])
    assert listening.paths == []


@pytest.mark.parametrize("source", ["{base}/svg.png", "file:///etc/passwd"])
def test_an_image_inside_an_svg_is_left_out_without_a_fetch(listening, monkeypatch, source):
    """WeasyPrint logs the fetcher's refusal inside an SVG and draws the rest: the letter has no image."""
    href = source.format(base=_base(listening))
    content = _rendered_with(
        monkeypatch, f'<svg width="9" height="9"><image href="{href}" width="9" height="9"/></svg>'
    )
    assert listening.paths == []
    reader = pdf_reader(content)
    assert [image for page in reader.pages for image in page.images] == [] and not reader.attachments


def test_references_written_in_a_template_letter_are_printed_as_text_and_fetch_nothing(listening, bob, birth_case):
    references = "\n\n".join(_references(_base(listening)).values())
    template = LetterTemplate.objects.create(
        name="Information", slug="information", kind=Kind.INFORMATION, subject="Objet <b>x</b>", body=references
    )
    letter = letter_services.letter_prepare(
        case=birth_case, template=template, context=letter_context(case=birth_case, agent=bob), author=bob
    )
    content = letter_pdf(letter_services.letter_document(letter, signed=False))
    assert listening.paths == []
    reader = pdf_reader(content)
    assert [image for page in reader.pages for image in page.images] == [] and not reader.attachments
    text = pdf_text(content)
    assert f'<img src="{_base(listening)}/img.png" alt="x">' in text and "file:///etc/passwd" in text
    with open("/etc/passwd") as passwd:
        assert passwd.readline().strip() not in text


ADDRESS = "198.51.100.23"  # one client's address for every try: the lock holds per account, and per address too
WRONG = "L’adresse e-mail ou le mot de passe sont incorrects."
LOCKED = "Ce compte est temporairement bloqué après trop de tentatives de connexion"


def _login(client, email: str, password: str, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra}, REMOTE_ADDR=ADDRESS)


@pytest.mark.parametrize(("failures", "signed_in"), [(4, True), (5, False)])
def test_the_sixth_try_is_refused_even_with_the_right_password(client, alice, failures, signed_in):
    for _try in range(failures):
        assert WRONG in _login(client, alice.email, "wrong-password-123").content.decode()
    response = _login(client, alice.email, PASSWORD)
    assert ("_auth_user_id" in client.session) is signed_in
    if not signed_in:
        assert LOCKED in response.content.decode() and WRONG not in response.content.decode()


def _main(response, *variables: str) -> str:
    """The page's <main>, without its CSRF token and the given variable parts (such as the email typed)."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    for variable in variables:
        main = main.replace(variable, "…")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def test_a_failed_login_gives_the_same_page_whether_or_not_the_email_has_an_account(client, alice):
    unknown = _login(client, "nobody@example.org", "whatever-password-1")
    wrong = _login(client, alice.email, "whatever-password-1")
    assert unknown.status_code == wrong.status_code == 200
    assert _main(unknown, "nobody@example.org") == _main(wrong, alice.email)


def test_a_password_reset_gives_the_same_page_whether_or_not_the_email_has_an_account(client, alice):
    known = client.post(reverse("account_reset_password"), {"email": alice.email}, follow=True)
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("account_reset_password_done"), 302)]
    assert _main(known) == _main(unknown)


def _signup(client, email: str, *, follow: bool = False, **extra):
    password = "Loire-en-automne-2026"
    data = {"email": email, "first_name": "Sam", "last_name": "Leroy", "password1": password, "password2": password}
    return client.post(reverse("account_signup"), {**data, **extra}, follow=follow)


def test_signing_up_with_an_address_in_use_answers_as_a_new_one_and_tells_its_owner(alice):
    taken, new = _signup(Client(), alice.email, follow=True), _signup(Client(), "sam@example.org", follow=True)
    assert taken.redirect_chain == new.redirect_chain == [(reverse("account_email_verification_sent"), 302)]
    assert _main(taken, alice.email) == _main(new, "sam@example.org")
    assert User.objects.filter(email__iexact=alice.email).count() == 1
    to_alice = [message for message in mail.outbox if message.to == [alice.email]]
    assert len(to_alice) == 1 and "/compte/confirm-email/" not in to_alice[0].body


OFF_SITE = ["https://evil.example/", "//evil.example", "/\\evil.example", "https:evil.example"]


def _stays_on_site(response) -> str:
    """The redirect's target, asserted to be a path of this site: no scheme, no host, nothing a browser reads as one."""
    assert response.status_code == 302
    location = response["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc and location.startswith("/"), location
    assert not location.startswith(("//", "/\\")) and "evil.example" not in location, location
    return location


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_signing_in_never_leads_off_site(client, alice, next_url):
    assert _stays_on_site(_login(client, alice.email, PASSWORD, next=next_url)) == reverse("portal:space")


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_signing_in_with_a_second_factor_never_leads_off_site(client, bob, next_url):
    assert _stays_on_site(_login(client, bob.email, PASSWORD, next=next_url)) == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert _stays_on_site(response) == reverse("backoffice:home")


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_signing_out_never_leads_off_site(alice_client, next_url):
    assert _stays_on_site(alice_client.post(reverse("account_logout"), {"next": next_url})) == reverse("home")


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_signing_up_never_leads_off_site(client, organisation, next_url):
    response = _signup(client, "sam@example.org", next=next_url)
    assert _stays_on_site(response) == reverse("account_email_verification_sent")


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_confirming_ones_password_never_leads_off_site(alice_client, next_url):
    response = alice_client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": next_url})
    _stays_on_site(response)


@pytest.mark.parametrize("where", ["next", "referer"])
@pytest.mark.parametrize("next_url", OFF_SITE)
def test_choosing_the_language_never_leads_off_site(client, organisation, next_url, where):
    data, headers = ({"next": next_url}, {}) if where == "next" else ({}, {"HTTP_REFERER": next_url})
    response = client.post(reverse("set_language"), {"language": "en", **data}, **headers)
    assert _stays_on_site(response) == "/"


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_the_way_back_after_checking_a_document_never_leaves_the_site(bob_client, alice, birth_case, next_url):
    document = _document(alice)
    birth_case.shared_documents.add(document)
    for name in ["document_verify", "document_refuse"]:
        url = reverse(f"backoffice:{name}", args=[alice.pk, document.public_id])
        response = bob_client.post(url, {"next": next_url, "reason": "Illisible"})
        assert _stays_on_site(response) == reverse("backoffice:citizen", args=[alice.pk])


def _csrf_client(user: User | None = None) -> Client:
    """A client whose posts Django checks for their CSRF token, as a browser's are (the test client's are not)."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        sign_in(client, user)
    return client


def _token(client: Client, page: str) -> dict[str, str]:
    """The token the page gives its forms, as a browser would post it back."""
    assert client.get(page).status_code == 200
    return {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}


def test_signing_in_without_the_csrf_token_is_refused(alice):
    client = _csrf_client()
    data = {"login": alice.email, "password": PASSWORD}
    assert client.post(reverse("account_login"), data).status_code == 403
    assert "_auth_user_id" not in client.session
    token = _token(client, reverse("account_login"))
    assert client.post(reverse("account_login"), {**data, **token}).status_code == 302


def test_starting_a_request_without_the_csrf_token_is_refused(alice, teleservices):
    client, url = _csrf_client(alice), reverse("teleservices:start", args=["acte-de-naissance"])
    assert client.post(url).status_code == 403
    assert not Case.objects.filter(user=alice).exists()
    assert client.post(url, _token(client, url)).status_code == 302
    assert Case.objects.filter(user=alice).count() == 1


def test_an_agents_action_without_the_csrf_token_is_refused(bob, birth_case):
    client, refuse = _csrf_client(bob), action(birth_case, "Refuser")
    url = reverse("backoffice:transition", args=[birth_case.reference, refuse.pk])
    data = {f"t{refuse.pk}-comment": "Personne non née dans la commune"}
    assert client.post(url, data).status_code == 403
    birth_case.refresh_from_db()
    assert birth_case.status.key != "refusee"
    token = _token(client, reverse("backoffice:case", args=[birth_case.reference]))
    assert client.post(url, {**data, **token}).status_code == 302
    birth_case.refresh_from_db()
    assert birth_case.status.key == "refusee"
