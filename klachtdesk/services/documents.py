"""Documents kept inside the encrypted register: scanned letters, e-mails, generated PDFs."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from klachtdesk.models import Document, database
from klachtdesk.procedure import InvalidInput, UserError
from klachtdesk.procedure.input_checks import check_fields
from klachtdesk.procedure.text_limits import file_size_problem

from .audit import append_event
from .context import ServiceContext

ORIGINAL = "original"
HANDLER_REPORT = "handler_report"


@dataclass(frozen=True)
class Attachment:
    filename: str
    mime_type: str
    content: bytes
    title: str = ""

    @classmethod
    def from_file(cls, path: Path) -> Attachment:
        """Read a file the coordinator chose; a Dutch error when it cannot be used."""
        try:
            if too_big := file_size_problem(path.stat().st_size, f"‘{path.name}’"):
                raise InvalidInput({"attachment": too_big})
            content = path.read_bytes()
        except OSError as exc:
            raise UserError(f"‘{path.name}’ kan niet gelezen worden ({exc.strerror}).") from exc
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix.lower() == ".eml":
            mime = "message/rfc822"
        return cls(path.name, mime, content)


def store_documents(
    ctx: ServiceContext, complaint_id: int, attachments: list[Attachment], kind: str = ORIGINAL
) -> list[int]:
    """Add documents to a dossier; call inside the action's transaction."""
    ids = []
    for attachment in attachments:
        # A file name from a disk may hold bytes no text can (a lone surrogate).
        check_fields({"filename": attachment.filename, "title": attachment.title})
        document = Document.create(
            complaint=complaint_id,
            kind=kind,
            title=attachment.title or attachment.filename,
            filename=attachment.filename,
            mime_type=attachment.mime_type,
            created_at=ctx.now(),
            content=attachment.content,
            sha256=hashlib.sha256(attachment.content).hexdigest(),
        )
        append_event(
            ctx,
            "document",
            f"Document toegevoegd: {document.title}",
            complaint_id=complaint_id,
            after={
                "document": document.id,
                "filename": attachment.filename,
                "sha256": document.sha256,
            },
        )
        ids.append(int(document.id))
    return ids


def attach(ctx: ServiceContext, complaint_id: int, attachments: list[Attachment]) -> list[int]:
    """Attach originals to an existing dossier, in one transaction."""
    with database.atomic():
        return store_documents(ctx, complaint_id, attachments)


def document_content(document_id: int) -> tuple[str, bytes]:
    """The stored file name and bytes, exactly as they were stored."""
    document = Document.get_or_none(Document.id == document_id)
    if document is None:
        raise UserError("Dit document bestaat niet (meer).")
    return str(document.filename), bytes(document.content)
