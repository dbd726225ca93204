"""The copy of a request's answers as sent, in PDF: what the applicant keeps of what they filed.

A document of its own, not part of the récépissé: the récépissé is a letter (its text edited by administrators,
verifiable by its code) and goes by email; the answers hold personal data the citizen downloads from their space
only. It is rendered like the letters (gru.pdf: PDF/UA-1, nothing fetched from the network).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from gru.models import Organisation
from gru.pdf import DEFAULT_COLOUR, html_pdf, text_colour
from teleservices.models import Case
from teleservices.summaries import summary


def answers_copy_html(case: Case) -> str:
    department = case.department
    organisation = department.organisation if department else Organisation.objects.current()
    context = {
        "case": case,
        "organisation": organisation,
        "department": department,
        "submitted_at": timezone.localtime(case.submitted_at) if case.submitted_at else None,
        "certified_at": timezone.localtime(case.certified_at) if case.certified_at else None,
        "pages": summary(case.form, case.data),
        "colour": text_colour(organisation.primary_colour, DEFAULT_COLOUR),
    }
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("teleservices/answers_copy.html", context)


def answers_copy_pdf(case: Case) -> bytes:
    organisation = case.department.organisation if case.department else Organisation.objects.current()
    return html_pdf(answers_copy_html(case), organisation=organisation)
