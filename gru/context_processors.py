from django.conf import settings
from django.http import HttpRequest

from gru.models import Organisation


def organisation(request: HttpRequest) -> dict[str, object]:
    return {"organisation": Organisation.objects.current(), "source_code_url": settings.SOURCE_CODE_URL}
