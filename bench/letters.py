"""Letters rendered per second by one worker process: tagged PDF/UA-1, one page and three pages, signed and unsigned.

Two measures, in-process (a Celery worker runs one task at a time per process):
  - the PDF alone: letters.pdf.letter_pdf, then letters.signing.pdf_sign (PAdES, an RSA-2048 certificate of a
    throwaway authority, as most seals issued to collectivités are), without the database;
  - the whole service: letters.services.letter_create on a demo request, whose task (eager here) runs letter_render:
    the row locked, the PDF rendered and signed, encrypted and stored in the vault, the row updated. A new database
    (`gru_bench_letters`) with the demo data at each run.
Each case is measured `--letters` times after two warm-up letters (the first one loads the fonts).
Usage:
    .venv/bin/python bench/letters.py [--letters 40]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/gru_bench_letters")
WARM_UP = 2
PARAGRAPH = "Considérant les pièces du dossier, les règles applicables et l'avis du service instructeur. " * 10
# The text of a one-page letter and of a three-page one (pdf_only checks their pages).
BODIES = {1: "Madame, Monsieur {{ usager.nom }},\n\n" + PARAGRAPH, 3: "\n\n".join([PARAGRAPH] * 10)}


@dataclass
class Result:
    name: str
    pages: int
    signed: bool
    letters_per_second: float
    p50_ms: float
    p95_ms: float
    # From the process's CPU time: what a worker with a core of its own would do, whatever else runs on the machine
    # (the database's own work, in its own processes, is not counted).
    cpu_letters_per_second: float


def page_count(content: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def measure(name: str, pages: int, signed: bool, letters: int, one: Callable[[], object]) -> Result:
    for _ in range(WARM_UP):
        one()
    durations = []
    cpu_start = time.process_time()
    for _ in range(letters):
        start = time.perf_counter()
        one()
        durations.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu_start
    return Result(
        name=name,
        pages=pages,
        signed=signed,
        letters_per_second=len(durations) / sum(durations),
        p50_ms=statistics.median(durations) * 1000,
        p95_ms=statistics.quantiles(durations, n=20)[-1] * 1000,
        cpu_letters_per_second=letters / cpu,
    )


def pdf_only(letters: int, signer: object) -> list[Result]:
    from letters.pdf import letter_pdf
    from letters.signing import pdf_sign
    from tests.letters.conftest import sample_document

    results = []
    for pages, body in BODIES.items():
        document = sample_document(body=body.replace("{{ usager.nom }}", "Martin"))
        if page_count(letter_pdf(document)) != pages:
            raise SystemExit(f"The {pages}-page letter of the bench has {page_count(letter_pdf(document))} pages.")
        results.append(measure("PDF", pages, False, letters, lambda document=document: letter_pdf(document)))
        results.append(
            measure(
                "PDF",
                pages,
                True,
                letters,
                lambda document=document: pdf_sign(
                    letter_pdf(document), signer=signer, reason="Décision", location="x"
                ),
            )
        )
    return results


def whole_service(letters: int, p12: Path, password: str) -> list[Result]:
    from django.conf import settings

    from letters import services
    from letters.models import Kind, Letter, LetterTemplate
    from portal.models import User
    from teleservices.letters_context import letter_context
    from teleservices.models import Case

    case = Case.objects.submitted().select_related("teleservice", "department").first()
    agent = User.objects.agents().first()
    if case is None:
        raise SystemExit("The demo has no submitted request.")
    context = letter_context(case=case, agent=agent)
    results = []
    for pages, body in BODIES.items():
        for signed in (False, True):
            settings.LETTER_SIGNING_P12 = str(p12) if signed else ""
            settings.LETTER_SIGNING_PASSWORD = password
            template = LetterTemplate.objects.create(
                name=f"Bench {pages} {signed}",
                slug=f"bench-{pages}-{int(signed)}",
                kind=Kind.DECISION,
                signed=True,
                subject="Votre demande {{ demande.reference }}",
                body=body,
            )

            def one(template: LetterTemplate = template) -> None:
                letter = services.letter_create(case=case, template=template, context=context, author=agent)
                if Letter.objects.get(pk=letter.pk).status != Letter.Status.READY:
                    raise SystemExit(f"The letter {letter.pk} was not generated.")

            results.append(measure("letter_render", pages, signed, letters, one))
    return results


def report(results: list[Result]) -> None:
    print(f"{'measure':14} {'pages':>5} {'signed':>7} {'letters/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'CPU: /s':>8}")
    for r in results:
        signed = "yes" if r.signed else "no"
        timings = f"{r.letters_per_second:10.1f} {r.p50_ms:8.1f} {r.p95_ms:8.1f} {r.cpu_letters_per_second:8.1f}"
        print(f"{r.name:14} {r.pages:5} {signed:>7} {timings}")


def main() -> int:
    from bench.common import results_write, setup_database

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=40, help="letters measured per case")
    args = parser.parse_args()
    os.environ.setdefault("PRIVATE_ROOT", tempfile.mkdtemp(prefix="gru-bench-letters-"))
    setup_database()
    from pyhanko.sign import signers

    from tests.letters.pki import PASSWORD, make_pki

    pki = make_pki(Path(tempfile.mkdtemp(prefix="gru-bench-pki-")), rsa_signer=True)
    signer = signers.SimpleSigner.load_pkcs12(str(pki.p12), passphrase=PASSWORD.encode())
    results = pdf_only(args.letters, signer) + whole_service(args.letters, pki.p12, PASSWORD)
    report(results)
    results_write({"results": [asdict(r) for r in results], "letters": args.letters}, prefix="letters-")
    return 0


if __name__ == "__main__":
    sys.exit(main())
