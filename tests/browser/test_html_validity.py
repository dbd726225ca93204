"""The HTML check of the browser tests (tests/browser/html.py) catches invalid pages and htmx partials: the page
fixture would fail a test that loads them, with each error's URL, line and message; and without Java or vnu, it says
what to install."""

import pytest

from tests.browser import html
from tests.browser.html import Document, DocumentCollector, HtmlChecker, assert_valid_html

pytestmark = pytest.mark.browser

SITE = "http://gru.test"
INVALID_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Invalide</title></head>
<body>
<p hx-get="/fragment/">Rendez-vous le <time datetime="2026-12-07T10:12:00.123456+01:00">7 décembre</time></p>
</body>
</html>
"""
INVALID_FRAGMENT = """<span id="status">
  <input type="number" name="code" autocomplete="one-time-code" aria-label="Code">
</span>"""
VALID_PAGE = INVALID_PAGE.replace(' hx-get="/fragment/"', ' data-hx-get="/fragment/"').replace(".123456", "")


def _serve(route) -> None:
    pages = {"/fragment/": INVALID_FRAGMENT, "/entiere/": VALID_PAGE}
    body = pages.get(route.request.url.removeprefix(SITE), INVALID_PAGE)
    route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)


def test_an_invalid_page_and_an_invalid_htmx_partial_are_reported_with_their_url_line_and_message(
    browser, html_checker
):
    context = browser.new_context()
    collector = DocumentCollector(context)
    page = context.new_page()
    page.route(f"{SITE}/**", _serve)
    page.goto(f"{SITE}/invalide/")
    for path in ("/fragment/", "/entiere/"):  # htmx given a fragment, then a whole page
        page.evaluate(f"fetch('{path}', {{headers: {{'HX-Request': 'true'}}}}).then((response) => response.text())")
    page.goto(f"{SITE}/invalide/")  # the same document twice is checked once
    documents = collector.documents()
    context.close()

    assert sorted((document.url, document.fragment) for document in documents) == [
        (f"{SITE}/entiere/", False),
        (f"{SITE}/fragment/", True),
        (f"{SITE}/invalide/", False),
        (f"{SITE}/invalide/", False),
    ]
    errors = sorted(html_checker.errors(documents))
    assert [error.rsplit(" [", 1)[0] for error in errors] == [
        f"{SITE}/fragment/ (htmx):2: Bad value “one-time-code” for attribute “autocomplete” on element “input”:"
        " The autofill field name “one-time-code” is not allowed in this context.",
        f"{SITE}/invalide/:5: Attribute “hx-get” not allowed on element “p” at this point.",
        f"{SITE}/invalide/:5: Bad value “2026-12-07T10:12:00.123456+01:00” for attribute “datetime” on element “time”:"
        " A fraction of a second must be one, two, or three digits.",
    ]
    assert errors[1].endswith('<body> <p hx-get="/fragment/">Rendez]')  # the source around the error
    with pytest.raises(AssertionError, match=r"3 HTML error\(s\) found by the Nu HTML Checker"):
        assert_valid_html(html_checker, documents)


def test_a_valid_page_passes(html_checker):
    assert_valid_html(html_checker, [Document(url=f"{SITE}/valide/", html=VALID_PAGE)])


def test_without_java_or_vnu_the_check_fails_saying_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(html, "VNU_JAR", tmp_path / "vnu.jar")
    with pytest.raises(pytest.fail.Exception, match="npm ci"):
        HtmlChecker()
    monkeypatch.setattr(html.shutil, "which", lambda command: None)
    with pytest.raises(pytest.fail.Exception, match="apt-get install default-jre-headless"):
        HtmlChecker()
