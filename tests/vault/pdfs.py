"""PDFs that run something or carry something: built in the tests from a plain one-page PDF, with pikepdf."""

import io
import zipfile
from collections.abc import Callable

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from tests.teleservices.conftest import pdf_bytes

SCRIPT = "app.alert('Bonjour')"


def zip_bytes(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def pdf_with(change: Callable[[pikepdf.Pdf], None]) -> bytes:
    """The plain PDF of the tests, changed by `change`, saved whole (one revision, one %%EOF)."""
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes())) as pdf:
        change(pdf)
        pdf.save(buffer)
    return buffer.getvalue()


def _javascript_action() -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(SCRIPT))


def _javascript_in_the_names_tree(pdf: pikepdf.Pdf) -> None:
    script = pdf.make_indirect(_javascript_action())
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("ouverture"), script])))


def _javascript_open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = _javascript_action()


def _javascript_page_action(pdf: pikepdf.Pdf) -> None:
    """A script run when the page opens (/AA), its code in a stream."""
    script = Dictionary(S=Name.JavaScript, JS=pdf.make_stream(SCRIPT.encode()))
    pdf.pages[0].obj.AA = Dictionary(O=script)


def _embedded_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["facture.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", mime_type="application/x-msdownload")


def _file_attachment_annotation(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, b"<html><script>alert(1)</script></html>", filename="page.html").obj
    annotation = Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[0, 0, 10, 10], FS=spec)
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(annotation)])


def _launch_action(pdf: pikepdf.Pdf) -> None:
    launch = Dictionary(S=Name.Launch, F=String("cmd.exe"))
    link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 10, 10], A=launch)
    pdf.pages[0].obj.Annots = Array([link])


def _go_to_the_first_page(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])


ACTIVE = {
    "JavaScript in the names tree": _javascript_in_the_names_tree,
    "JavaScript run when the document opens": _javascript_open_action,
    "JavaScript run when the page opens": _javascript_page_action,
    "embedded file": _embedded_file,
    "file attachment annotation": _file_attachment_annotation,
    "launch action": _launch_action,
}


def active_pdf(case: str) -> bytes:
    return pdf_with(ACTIVE[case])


def opening_on_the_first_page() -> bytes:
    """An open action that only shows the first page: nothing active."""
    return pdf_with(_go_to_the_first_page)
