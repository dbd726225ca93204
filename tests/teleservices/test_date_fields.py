"""Date questions: typed the way citizens type them (a phone's keypad has no "/"), impossible dates refused saying
why with what was typed kept, hints with a plausible example, and the rules administrators set on a date (on or
after another date question, a notice period), checked on the page and before publication."""

import datetime
import html

import pytest
import time_machine
from django.core.exceptions import ValidationError

from teleservices import services
from teleservices.definition import FieldDef, FormDefinition, PageDef, definition_errors
from teleservices.forms import PageForm
from tests.teleservices.test_filing import _start

TODAY = datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC)  # 25 November 2026 in Paris


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


DATE = FieldDef("date", "Date", key="d")
START = FieldDef("date", "Premier jour", key="debut", options={"date_bounds": "future", "notice_days": 15})
END = FieldDef("date", "Dernier jour", key="fin", options={"date_bounds": "future", "after": "debut"})


def _form(*fields: FieldDef, data: dict, answers=None, definition=None) -> PageForm:
    page = PageDef(title="Page", fields=fields)
    return PageForm(data, page=page, answers=answers or {}, household=None, definition=definition)


def _errors(form: PageForm) -> list[str]:
    assert not form.is_valid()
    return [message for _id, _label, message in form.error_links()]


@pytest.mark.parametrize(
    "typed",
    ["10/12/2026", "10.12.2026", "10-12-2026", "10 12 2026", "10122026", " 10/12/2026 ", "2026-12-10"],
)
def test_a_date_is_accepted_in_every_usual_form(typed):
    form = _form(DATE, data={"d": typed})
    assert form.is_valid(), form.error_links()
    assert form.page_answers()["d"] == "2026-12-10"


def test_the_day_and_the_month_may_have_one_digit():
    form = _form(DATE, data={"d": "1/2/2026"})
    assert form.is_valid(), form.error_links()
    assert form.page_answers()["d"] == "2026-02-01"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "Le 31 février 2026 n'existe pas : ce mois compte 28 jours."),
        ("29/02/2027", "Le 29 février 2027 n'existe pas : ce mois compte 28 jours."),
        ("31/04/2026", "Le 31 avril 2026 n'existe pas : ce mois compte 30 jours."),
        ("10/13/2026", "Le mois est un nombre de 1 à 12."),
        ("32/12/2026", "Le jour est un nombre de 1 à 31."),
        ("00/12/2026", "Le jour est un nombre de 1 à 31."),
        ("10/12/26", "Écrivez l'année avec ses quatre chiffres."),
        ("10/12/1026", "Saisissez une année entre 1900 et 2100."),
        ("1012026", "Saisissez la date sous la forme jour/mois/année, par exemple 14/07/1985."),
        ("le 10 décembre", "Saisissez la date sous la forme jour/mois/année, par exemple 14/07/1985."),
    ],
)
def test_a_date_refused_says_why_and_keeps_what_was_typed(typed, message):
    form = _form(DATE, data={"d": typed})
    assert _errors(form) == [message]
    assert form["d"].value() == typed
    assert f'value="{typed}"' in html.unescape(str(form["d"]))


def test_leap_years_have_a_29_february():
    form = _form(DATE, data={"d": "29022028"})
    assert form.is_valid(), form.error_links()
    assert form.page_answers()["d"] == "2028-02-29"


@pytest.mark.parametrize(
    ("field", "example"),
    [
        (FieldDef("date", "Date de naissance", key="d", options={"date_bounds": "past"}), "14/07/1985"),
        (DATE, "14/07/1985"),
        (FieldDef("date", "Date de la fête", key="d", options={"date_bounds": "future"}), "06/01/2027"),
        (FieldDef("date", "Date", key="d", options={"notice_days": 60}), "31/01/2027"),
        (END, "13/01/2027"),  # a week after the start's example
    ],
)
def test_the_hint_shows_a_plausible_example_for_the_question(field, example):
    form = _form(field, data=None)
    assert form["d" if field.key == "d" else field.key].help_text == f"Jour/mois/année, par exemple {example}."


def test_the_notice_period_refuses_an_earlier_date_giving_the_earliest_acceptable():
    form = _form(START, data={"debut": "09/12/2026"})
    assert _errors(form) == [
        "La demande doit être faite au moins 15 jours à l'avance : choisissez le 10 décembre 2026 ou une date "
        "plus tardive."
    ]
    assert form["debut"].value() == "09/12/2026"


def test_the_notice_period_accepts_its_first_day():
    form = _form(START, data={"debut": "10/12/2026"})
    assert form.is_valid(), form.error_links()


def test_an_end_before_its_start_on_the_same_page_is_refused_naming_both_questions():
    form = _form(START, END, data={"debut": "20/12/2026", "fin": "19122026"})
    assert _errors(form) == [
        "« Dernier jour » ne peut pas être avant « Premier jour » (le 20 décembre 2026) : indiquez une date égale "
        "ou postérieure."
    ]
    assert form.page_answers(partial=True)["debut"] == "2026-12-20"  # the right answer is kept
    assert form["fin"].value() == "19122026"


def test_an_end_on_the_day_of_its_start_is_accepted():
    form = _form(START, END, data={"debut": "20/12/2026", "fin": "20/12/2026"})
    assert form.is_valid(), form.error_links()


def test_an_end_before_a_start_answered_on_an_earlier_page_is_refused_naming_it():
    definition = FormDefinition(pages=(PageDef(title="Début", fields=(START,)), PageDef(title="Fin", fields=(END,))))
    form = _form(END, data={"fin": "01/12/2026"}, answers={"debut": "2026-12-20"}, definition=definition)
    assert _errors(form) == [
        "« Dernier jour » ne peut pas être avant « Premier jour » (le 20 décembre 2026) : indiquez une date égale "
        "ou postérieure."
    ]


def test_an_end_is_not_compared_with_a_start_refused_or_not_answered():
    form = _form(START, END, data={"debut": "01/12/2026", "fin": "30/11/2026"})
    assert len(_errors(form)) == 1  # the start's notice only
    optional = FieldDef("date", "Premier jour", key="debut", required=False)
    assert _form(optional, END, data={"fin": "30/11/2026"}).is_valid()


def test_the_rows_of_a_block_compare_their_own_dates():
    row_end = FieldDef("date", "Au", key="au", options={"after": "du"})
    block = FieldDef("block", "Périodes", key="periodes", children=(FieldDef("date", "Du", key="du"), row_end))
    data = {
        "periodes-TOTAL_FORMS": "2",
        "periodes-INITIAL_FORMS": "0",
        "periodes-0-du": "01/12/2026",
        "periodes-0-au": "05/12/2026",
        "periodes-1-du": "10/12/2026",
        "periodes-1-au": "09/12/2026",
    }
    form = _form(block, data=data)
    assert _errors(form) == [
        "« Au » ne peut pas être avant « Du » (le 10 décembre 2026) : indiquez une date égale ou postérieure."
    ]


def _definition_errors(*fields: FieldDef) -> list[str]:
    return definition_errors(FormDefinition(pages=(PageDef(title="Demande", fields=fields),)))


def test_well_placed_date_rules_are_accepted():
    assert _definition_errors(START, END) == []


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ((END,), "« debut », qui n'est pas une question de date posée avant lui"),  # unknown
        ((END, START), "« debut », qui n'est pas une question de date posée avant lui"),  # asked after
        (
            (FieldDef("text", "Début", key="debut"), END),  # not a date
            "« debut », qui n'est pas une question de date posée avant lui",
        ),
        (
            (FieldDef("date", "Fin", key="fin", options={"after": "fin"}),),  # itself
            "« fin », qui n'est pas une question de date posée avant lui",
        ),
        (
            (FieldDef("date", "Naissance", key="n", options={"date_bounds": "past", "notice_days": 15}),),
            "Le champ « Naissance » a un délai de prévenance mais n'accepte que des dates passées.",
        ),
        (
            (START, FieldDef("block", "Périodes", key="p", children=(END,))),  # a row compares its own dates only
            "« debut », qui n'est pas une question de date posée avant lui",
        ),
    ],
)
def test_a_date_rule_that_cannot_work_is_refused(fields, error):
    errors = _definition_errors(*fields)
    assert len(errors) == 1 and error in errors[0], errors


@pytest.mark.django_db
def test_on_the_demo_an_end_before_the_start_is_refused_and_the_answers_kept(alice_client, teleservices):
    case, url = _start(alice_client, "occupation-domaine-public")
    response = alice_client.post(url, {"action": "continue", "statut": "particulier", "email": "alice@example.org"})
    url = response["Location"]
    data = {
        "action": "continue",
        "motif": "terrasse",
        "date_debut": "20.12.2026",
        "date_fin": "19 12 2026",
        "surface": "12",
        "lieu__street": "1 place du Marché",
        "lieu__postcode": "45190",
        "lieu__city": "Beaulieu-sur-Loire",
    }
    page = html.unescape(alice_client.post(url, data).content.decode())
    assert 'href="#id_date_fin"' in page
    assert "« Dernier jour » ne peut pas être avant « Premier jour » (le 20 décembre 2026)" in page
    assert 'value="20.12.2026"' in page and 'value="19 12 2026"' in page
    data["date_fin"] = "21122026"
    assert alice_client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert (case.data["date_debut"], case.data["date_fin"]) == ("2026-12-20", "2026-12-21")


@pytest.mark.django_db
def test_on_the_demo_the_start_needs_15_days_notice(alice_client, teleservices):
    _case, url = _start(alice_client, "occupation-domaine-public")
    url = alice_client.post(url, {"action": "continue", "statut": "particulier", "email": "a@example.org"})["Location"]
    page = html.unescape(alice_client.post(url, {"action": "continue", "date_debut": "01/12/2026"}).content.decode())
    assert "au moins 15 jours à l'avance : choisissez le 10 décembre 2026 ou une date plus tardive." in page


@pytest.mark.django_db
def test_publishing_a_date_rule_on_an_unknown_question_is_refused(teleservices):
    occupation = teleservices["occupation-domaine-public"]
    occupation.fields.filter(key="date_fin").update(after="date_debutt")
    with pytest.raises(ValidationError) as refusal:
        services.teleservice_publish(teleservice=occupation, user=None)
    assert refusal.value.messages == [
        "Le champ « Dernier jour » doit être le même jour ou après « date_debutt », qui n'est pas une question de "
        "date posée avant lui."
    ]
