"""The back office's fixtures, for the probes of tests/gru/test_security_review.py that need a case and an agent."""

from tests.backoffice.conftest import birth_case  # noqa: F401 (fixtures)
