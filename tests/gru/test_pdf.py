"""Our pages rendered as PDF fetch nothing but their own resources: the print stylesheet, the collectivité's logo,
what the HTML embeds (the letters' and the answers copy's own tests render them; tests/gru/test_security_review.py
tries every way a page could reach the network or a file)."""

import pytest

from gru.models import Organisation
from gru.pdf import BASE_URL, PageFetcher


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/tracker.png",
        "file:///etc/passwd",
        f"{BASE_URL}static/css/gru.css",
        f"{BASE_URL}static/pdf/../css/gru.css",
        f"{BASE_URL}media/organisation/logo.png",
    ],
)
def test_the_fetcher_refuses_anything_but_the_pages_own_files(url):
    with pytest.raises(ValueError, match="may not fetch"):
        PageFetcher(Organisation(name="Ville")).fetch(url)


def test_the_fetcher_serves_the_print_stylesheet_which_takes_the_collectivites_colours():
    response = PageFetcher(Organisation(name="Ville")).fetch(f"{BASE_URL}static/pdf/letter.css")
    stylesheet = response.read().decode()
    assert response.content_type == "text/css" and "@page" in stylesheet
    assert "var(--primary)" in stylesheet and "var(--accent)" in stylesheet
