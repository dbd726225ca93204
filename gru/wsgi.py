import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from gru.checks import refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gru.settings")
application = get_wsgi_application()
refuse_unsafe_start()  # no web process serves with a published SECRET_KEY or file key (gru/checks.py)
get_resolver().url_patterns  # noqa: B018 (the views and their modules, loaded now rather than at the first request)
# What is loaded now lives as long as the worker: frozen out of the garbage collector's sight, its full collections
# stay short. Pages that build many objects (a 90-day slot search builds ~25,000) trigger them: unfrozen, each walks
# every object of Django and the apps (~120 ms here; see bench/README.md, slot search).
gc.freeze()
