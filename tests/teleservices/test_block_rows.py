"""The rows of a repeatable block survive every way through the form: random sequences of adding a row, removing
one ("Supprimer" ticked, then any button), continuing to the review, going back and resuming the draft."""

import datetime

import lxml.html
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teleservices import services

TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàç -'", min_size=1, max_size=20).map(str.strip).filter(bool)
ADD = st.tuples(st.just("add"), TEXT, st.integers(min_value=1, max_value=100))
REMOVE = st.tuples(
    st.just("remove"), st.integers(min_value=0, max_value=9), st.sampled_from(["add", "continue", "back"])
)
STEPS = st.lists(st.one_of(ADD, REMOVE, st.just(("continue",)), st.just(("back",)), st.just(("resume",))), max_size=8)
MAX_ROWS = 9  # the block takes 10: one more is always possible


def _draft_at_the_equipment_page(alice, teleservices):
    """A new draft of "Occupation du domaine public" whose first two pages are answered."""
    case = services.case_start(user=alice, teleservice=teleservices["occupation-domaine-public"])
    soon = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    answers = {
        "statut": "particulier",
        "motif": "terrasse",
        "date_debut": soon,
        "date_fin": soon,
        "surface": "12",
        "lieu": {"street": "1 place du Marché", "postcode": "45190", "city": "Beaulieu-sur-Loire"},
    }
    return services.case_page_save(case=case, answers={**case.data, **answers}, files={}, page=2)


class Citizen:
    """alice's browser on the equipment page: what it shows, what it posts back."""

    def __init__(self, client, case):
        self.client, self.case = client, case
        self.url = reverse("teleservices:fill", args=[case.public_id, 3])

    def values(self, html: str) -> dict[str, str]:
        return dict(lxml.html.fromstring(html).xpath("//main//form[@method='post']")[0].form_values())

    def resume(self) -> dict[str, str]:
        """Back to where the draft stopped, through the second page if that is where (its answers kept)."""
        self.case.refresh_from_db()
        url = reverse("teleservices:fill", args=[self.case.public_id, self.case.page + 1])
        if url != self.url:
            values = self.values(self.client.get(url).content.decode())
            assert self.client.post(url, {**values, "action": "continue"})["Location"] == self.url
        return self.values(self.client.get(self.url).content.decode())

    def post(self, values: dict[str, str], action: str):
        return self.client.post(self.url, {**values, "action": action})


def _rows(values: dict[str, str]) -> list[tuple[str, int]]:
    total = int(values["materiel-TOTAL_FORMS"])
    rows = [
        (values.get(f"materiel-{i}-designation", ""), values.get(f"materiel-{i}-quantite", "")) for i in range(total)
    ]
    return [(text, int(quantity)) for text, quantity in rows if text or quantity]


def _step(citizen: Citizen, values: dict[str, str], step: tuple, expected: list[tuple[str, int]]) -> None:
    kind = step[0]
    if kind == "add" and len(expected) < MAX_ROWS:
        empty = [i for i in range(int(values["materiel-TOTAL_FORMS"])) if not values.get(f"materiel-{i}-designation")]
        if not empty:
            with_a_new_row = citizen.post(values, "add:materiel")["Location"]
            values = citizen.values(citizen.client.get(with_a_new_row).content.decode())
            empty = [int(values["materiel-TOTAL_FORMS"]) - 1]
        values |= {f"materiel-{empty[0]}-designation": step[1], f"materiel-{empty[0]}-quantite": str(step[2])}
        assert citizen.post(values, "add:materiel").status_code == 302
        expected.append((step[1], step[2]))
    elif kind == "remove" and expected:
        row, action = step[1] % len(expected), step[2]
        if action == "continue" and len(expected) == 1:
            action = "add"  # the block needs a row: continuing without any is refused (another example tests it)
        filled = [i for i in range(int(values["materiel-TOTAL_FORMS"])) if values.get(f"materiel-{i}-designation")]
        values[f"materiel-{filled[row]}-DELETE"] = "on"
        citizen.post(values, "add:materiel" if action == "add" else action)
        expected.pop(row)
    elif kind == "continue":
        response = citizen.post(values, "continue")
        if not expected:
            assert response.status_code == 200 and "Ajoutez au moins 1 ligne à " in response.content.decode()
            return
        review = citizen.client.get(response["Location"]).content.decode()
        assert "n’est pas renseigné" not in review and "n'est pas renseigné" not in review
        for text, _quantity in expected:
            assert lxml.html.fromstring(f"<p>{text}</p>").text_content() in lxml.html.fromstring(review).text_content()
    elif kind == "back":
        assert citizen.post(values, "back").status_code == 302


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_no_row_typed_is_ever_lost(alice_client, alice, teleservices, steps):
    # Each example files its own new draft (the database is the test's, shared by the examples).
    citizen = Citizen(alice_client, _draft_at_the_equipment_page(alice, teleservices))
    expected: list[tuple[str, int]] = []
    shown = citizen.resume()
    for step in steps:
        _step(citizen, shown, step, expected)
        shown = citizen.resume()
        assert _rows(shown) == expected
        assert [(r["designation"], r["quantite"]) for r in citizen.case.data.get("materiel", [])] == expected


def test_a_saved_row_shown_again_and_left_alone_is_kept_by_continue(alice_client, alice, teleservices):
    citizen = Citizen(alice_client, _draft_at_the_equipment_page(alice, teleservices))
    values = citizen.resume() | {"materiel-0-designation": "Barrière", "materiel-0-quantite": "4"}
    assert citizen.post(values, "back").status_code == 302
    response = citizen.post(citizen.resume(), "continue")
    assert response["Location"] == reverse("teleservices:review", args=[citizen.case.public_id])
    citizen.case.refresh_from_db()
    assert citizen.case.data["materiel"] == [{"designation": "Barrière", "quantite": 4}]
    assert "n’est pas renseigné" not in alice_client.get(response["Location"]).content.decode()


def test_a_row_to_correct_is_shown_again_as_typed_when_adding_another(alice_client, alice, teleservices):
    citizen = Citizen(alice_client, _draft_at_the_equipment_page(alice, teleservices))
    values = citizen.resume() | {"materiel-0-designation": "Barrière", "materiel-0-quantite": "0"}
    response = citizen.post(values, "add:materiel")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Barrière"' in page and "error-summary" in page
