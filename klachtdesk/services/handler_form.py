"""The handler's report form (step 8) and reading it back when it returns (steps 9-11).

The form (letters/handler_form.py) carries the dossier's id and reference and a check value:
an HMAC-SHA256 under a random secret of this register (kept in its Setting table, so a backup
and its restore keep it), over the id and the reference. A returned form is refused when the
check value does not match (another register, or a changed reference or check value), when
its dossier is gone or is not with the handler, or when it belongs to another dossier than the
one it was chosen for.

For the screens (no Qt here)::

    returned = read_returned(data, filename)            # a PDF, or an .eml carrying it
    rows = side_by_side(returned)                        # (label, on record, in the form)
    returned.problems                                    # {answer: Dutch message}; empty: fine
    record_returned_form(ctx, returned)                  # steps 9-11 in ONE transaction

``read_returned`` raises :class:`FormRefused` (a UserError) with a Dutch message for a file
that cannot be taken; ``record_returned_form`` raises InvalidInput with every problem when the
answers are missing or contradictory, and then writes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from klachtdesk.letters.handler_form_fields import (
    FORM_KIND,
    NO,
    TEXT_COLUMNS,
    YES,
    FieldName,
    norm_field,
)
from klachtdesk.models import Complaint, Setting, database
from klachtdesk.procedure import (
    Action,
    InvalidInput,
    NoJudgementReason,
    Norm,
    Outcome,
    Resolution,
    State,
    UserError,
)
from klachtdesk.procedure.assessment import check_assessment_record, sorted_norms
from klachtdesk.procedure.dossier import assessment_errors
from klachtdesk.procedure.handler_answers import ANSWER_LABELS
from klachtdesk.procedure.handler_answers import NO as NO_LABEL
from klachtdesk.procedure.handler_answers import YES as YES_LABEL
from klachtdesk.procedure.input_checks import field_errors
from klachtdesk.procedure.states import ALLOWED
from klachtdesk.procedure.text_limits import file_size_problem, without_forbidden_characters

from . import complaints
from .context import ServiceContext
from .documents import Attachment
from .dossiers import dossier_of
from .email_intake import attached_files, parse_message
from .organisation import head_in_copy

if TYPE_CHECKING:
    from klachtdesk.letters.documents import ComplaintFacts, HandlerFacts, Setup
    from klachtdesk.letters.layout import Letter

#: The register's own secret for the forms' check values (Setting table, never audited).
SECRET_KEY = "form_secret"
#: Hex digits of the check value: 96 bits, far beyond guessing, short enough to print.
CHECK_DIGITS = 24
#: The title of the returned form among the dossier's documents.
RETURNED_TITLE = "Ingevuld rapport van de behandelaar"


class FormRefused(UserError):
    """A returned file that cannot be read in as this dossier's report form."""


class NotAForm(FormRefused):
    """The file carries no klachtdesk report form at all (a dropped e-mail may be a new
    complaint instead)."""


@dataclass(frozen=True)
class Answers:
    """What the handler filled in, typed; empty text or None where nothing was."""

    contacts: str = ""
    summary: str = ""
    outcome: Outcome | None = None
    no_judgement_reason: NoJudgementReason | None = None
    resolution: Resolution | None = None
    solution: str = ""
    norms: frozenset[Norm] = frozenset()
    report_text: str = ""
    reply_text: str = ""
    #: None: not answered, or not asked (see :attr:`ReturnedForm.head_asked`).
    head_informed: bool | None = None


@dataclass(frozen=True)
class ReturnedForm:
    """A returned report form, matched to its dossier and read."""

    complaint_id: int
    reference: str
    answers: Answers
    #: The returned PDF, kept in the dossier when recorded.
    pdf: bytes
    filename: str
    #: Whether the form asked if the head of department was informed.
    head_asked: bool = False
    #: Missing or contradictory answers, by answer (keys of ANSWER_LABELS), in Dutch. Empty:
    #: the form can be recorded.
    problems: dict[str, str] = field(default_factory=dict)


# -- the check value ------------------------------------------------------------------------


def _secret() -> bytes:
    """This register's form secret, made once (inside a transaction) when first needed."""
    with database.atomic():
        row = Setting.get_or_none(Setting.key == SECRET_KEY)
        if row is None:
            Setting.insert(
                key=SECRET_KEY, value=json.dumps(secrets.token_hex(32))
            ).on_conflict_ignore().execute()
            row = Setting.get(Setting.key == SECRET_KEY)
    return bytes.fromhex(json.loads(row.value))


def check_value(complaint_id: int, reference: str) -> str:
    """The check value a form of this dossier carries."""
    message = f"klachtdesk-form\x1f{complaint_id}\x1f{reference}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()[:CHECK_DIGITS]


# -- making the form ------------------------------------------------------------------------


def report_form(
    setup: Setup,
    facts: ComplaintFacts,
    day: date,
    complaint_id: int,
    *,
    handler: HandlerFacts,
    acknowledged_on: date | None,
    handler_due: date | None,
) -> Letter:
    """Step 8's report as the fillable form for this dossier (correspondence.REPORT)."""
    from klachtdesk.letters.handler_form import FormIdentity, handler_form

    head = head_in_copy(complaint_id)
    identity = FormIdentity(
        complaint_id, facts.reference, check_value(complaint_id, facts.reference)
    )
    return handler_form(
        setup, facts, day, handler=handler, acknowledged_on=acknowledged_on,
        handler_due=handler_due, identity=identity,
        head=(head.name or head.email or "het diensthoofd") if head is not None else None,
    )  # fmt: skip


# -- reading a returned form ----------------------------------------------------------------


def _looks_like_pdf(data: bytes) -> bool:
    # The header may follow a little junk (the PDF specification allows 1024 bytes).
    return b"%PDF-" in data[:1024]


def _fields_of(pdf: bytes) -> dict[str, Any] | None:
    """The form's fields by name (pypdf); None for a PDF without fields; FormRefused for
    bytes no PDF reader can read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FormRefused("Dit PDF-bestand is beveiligd met een wachtwoord.")
        fields = reader.get_fields()
    except FormRefused:
        raise
    except PyPdfError as exc:
        raise FormRefused("Dit PDF-bestand kan niet gelezen worden.") from exc
    except Exception as exc:  # pypdf on a damaged file may fail in any way; it is no form
        raise FormRefused("Dit PDF-bestand kan niet gelezen worden.") from exc
    if not fields:
        return None
    return {name: f.get("/V") for name, f in fields.items()}


def _is_our_form(values: dict[str, Any] | None) -> bool:
    return values is not None and _text(values.get(str(FieldName.FORM))) == FORM_KIND


def _the_pdf(data: bytes, filename: str) -> tuple[bytes, str, dict[str, Any]]:
    """The form's PDF, its file name and its field values, from a PDF or an e-mail."""
    if _looks_like_pdf(data):
        values = _fields_of(data)
        if not _is_our_form(values):
            raise NotAForm(f"‘{filename}’ is geen rapportformulier van klachtdesk.")
        assert values is not None
        return data, filename, values
    if not (filename.lower().endswith(".eml") or _HEADER_LINE.match(data[:1000])):
        raise FormRefused(f"‘{filename}’ is geen PDF-bestand en geen e-mailbericht.")
    message = parse_message(data, filename)
    pdfs = [
        (name, content)
        for name, kind, content in attached_files(message)
        if _looks_like_pdf(content) or kind == "application/pdf" or name.lower().endswith(".pdf")
    ]
    if not pdfs:
        raise NotAForm(f"‘{filename}’ heeft geen PDF-bijlage: het ingevulde formulier ontbreekt.")
    forms: dict[bytes, tuple[str, dict[str, Any]]] = {}
    for name, content in pdfs:
        try:
            values = _fields_of(content)
        except FormRefused:
            continue
        if _is_our_form(values):
            assert values is not None
            forms.setdefault(content, (name or "rapport-behandelaar.pdf", values))
    if len(forms) > 1:
        # Two different forms (a first and a corrected version, or two dossiers): taking one
        # silently could record the wrong answers.
        names = ", ".join(f"‘{name}’" for name, _ in forms.values())
        raise FormRefused(
            f"‘{filename}’ bevat {len(forms)} verschillende ingevulde formulieren ({names}). "
            "Sla het juiste formulier op als PDF-bestand en lees dat in."
        )
    for content, (name, values) in forms.items():
        return content, name, values
    raise NotAForm(f"De PDF-bijlage van ‘{filename}’ is geen rapportformulier van klachtdesk.")


#: How an e-mail starts: a header line ("From: ...", "Return-Path: ...").
_HEADER_LINE = re.compile(rb"\s*[A-Za-z][A-Za-z0-9-]{0,75}:")


def _file_name(name: str) -> str:
    """An attachment's name as a file name: no folders, one line."""
    return _text(re.split(r"[\\/]", name)[-1]).replace("\n", " ")


def _text(value: Any) -> str:
    """A text field's value as the register keeps text: line breaks as \\n, no control
    characters, no spaces around it."""
    if value is None:
        return ""
    text = str(value)
    text = re.sub("\r\n|[\r\x85\u2028\u2029]", "\n", text)
    return without_forbidden_characters(text).strip()


def _choice(value: Any) -> str | None:
    """A radio group's or check box's chosen value, without the PDF name's slash; None
    when nothing is chosen."""
    if value is None:
        return None
    text = str(value).lstrip("/")
    return None if text in ("", "Off") else text


_Coded = TypeVar("_Coded", Outcome, NoJudgementReason, Resolution)


def _coded(kind: type[_Coded], value: Any, name: str, problems: dict[str, str]) -> _Coded | None:
    code = _choice(value)
    if code is None:
        return None
    try:
        return kind.from_code(code)
    except ValueError:
        problems[name] = f"{ANSWER_LABELS[name]}: ‘{code}’ is geen keuze van het formulier."
        return None


def _answers(values: dict[str, Any]) -> tuple[Answers, bool, dict[str, str]]:
    """The typed answers, whether the head was asked about, and what could not be read."""
    problems: dict[str, str] = {}
    head_asked = str(FieldName.HEAD_INFORMED) in values
    head_choice = _choice(values.get(str(FieldName.HEAD_INFORMED)))
    answers = Answers(
        contacts=_text(values.get(str(FieldName.CONTACTS))),
        summary=_text(values.get(str(FieldName.SUMMARY))),
        outcome=_coded(Outcome, values.get(str(FieldName.OUTCOME)), "outcome", problems),
        no_judgement_reason=_coded(
            NoJudgementReason,
            values.get(str(FieldName.NO_JUDGEMENT_REASON)),
            "no_judgement_reason",
            problems,
        ),
        resolution=_coded(
            Resolution, values.get(str(FieldName.RESOLUTION)), "resolution", problems
        ),
        solution=_text(values.get(str(FieldName.SOLUTION))),
        norms=frozenset(n for n in Norm if _choice(values.get(norm_field(n))) is not None),
        report_text=_text(values.get(str(FieldName.REPORT_TEXT))),
        reply_text=_text(values.get(str(FieldName.REPLY_TEXT))),
        head_informed={YES: True, NO: False}.get(head_choice or ""),
    )
    if head_choice not in (None, YES, NO):
        problems["head_informed"] = f"{ANSWER_LABELS['head_informed']}: kies ja of nee."
    return answers, head_asked, problems


def answer_problems(answers: Answers, *, head_asked: bool) -> dict[str, str]:
    """Missing or contradictory answers, by answer, in Dutch (the procedure's own rules:
    :func:`procedure.dossier.assessment_errors`, :func:`procedure.assessment.check_assessment_record`)."""
    problems: dict[str, str] = {}
    texts = {column: getattr(answers, name) for name, column in _ANSWER_COLUMNS.items()}
    for column, message in field_errors(texts).items():
        problems[_COLUMN_ANSWERS[column]] = message
    if not (answers.contacts or answers.summary):
        problems.setdefault(
            "summary",
            "Het onderzoek is niet ingevuld: noteer de contacten of een samenvatting.",
        )
    if answers.outcome is None:
        problems.setdefault("outcome", "Er is geen beoordeling aangeduid: kies er één.")
        if answers.no_judgement_reason is not None:
            problems["no_judgement_reason"] = (
                f"Een reden voor ‘{Outcome.NO_JUDGEMENT.label}’ is aangeduid, maar geen "
                "beoordeling."
            )
    else:
        for key, message in assessment_errors(
            answers.outcome, answers.solution, answers.no_judgement_reason
        ).items():
            problems.setdefault(key, message)
        try:
            check_assessment_record(answers.outcome, answers.resolution, answers.norms)
        except InvalidInput as exc:
            for key, message in exc.errors.items():
                problems.setdefault(key, message)
    if not answers.reply_text:
        problems.setdefault("reply_text", "Het ontwerp van de motiverende brief is niet ingevuld.")
    if head_asked and answers.head_informed is None:
        problems.setdefault(
            "head_informed", "Er is niet aangeduid of het diensthoofd op de hoogte werd gebracht."
        )
    return problems


_ANSWER_COLUMNS = {
    "contacts": "investigation_contacts",
    "summary": "investigation_summary",
    "solution": "solution",
    "report_text": "report_text",
    "reply_text": "reply_text",
}
_COLUMN_ANSWERS = {column: name for name, column in _ANSWER_COLUMNS.items()}
assert set(_ANSWER_COLUMNS.values()) == set(TEXT_COLUMNS.values())

#: The states in which steps 9-11 can be recorded: the dossier is with the handler.
_WITH_HANDLER = ALLOWED[Action.RECORD_INVESTIGATION] & (
    ALLOWED[Action.ASSESS] | ALLOWED[Action.RECORD_RETURNED]
)


def takes_form(state: State) -> bool:
    """Whether a dossier in ``state`` can take a returned form (it is with the handler)."""
    return state in _WITH_HANDLER


def _dossier_for(complaint_id: int, reference: str) -> Complaint:
    """The form's dossier, still in a state for steps 9-11; FormRefused otherwise."""
    row = Complaint.get_or_none(Complaint.id == complaint_id)
    if row is None or row.reference != reference:
        raise FormRefused(f"Dossier {reference} bestaat niet (meer) in dit register.")
    state = dossier_of(row).state
    if state not in _WITH_HANDLER:
        raise FormRefused(
            f"Dossier {reference} is niet bij de behandelaar ({state.label}): een ingevuld "
            "rapport kan nu niet verwerkt worden."
        )
    return row


def read_returned(data: bytes, filename: str, *, complaint_id: int | None = None) -> ReturnedForm:
    """A returned report form (a PDF, or an ``.eml`` with the PDF attached), read.

    ``complaint_id``: the dossier the coordinator chose it for; a form of another dossier is
    then refused. Raises :class:`FormRefused` in Dutch for a file that is not a klachtdesk
    report form, one whose check value does not match this register's (another register, a
    changed reference or check value), one whose dossier is gone or not with the handler.
    Missing or contradictory answers are not refused: see :attr:`ReturnedForm.problems`.
    """
    if problem := file_size_problem(len(data), f"‘{filename}’"):
        raise FormRefused(problem)
    pdf, pdf_name, values = _the_pdf(data, filename)
    reference = _text(values.get(str(FieldName.REFERENCE)))
    check = _text(values.get(str(FieldName.CHECK)))
    try:
        form_id = int(_text(values.get(str(FieldName.DOSSIER))))
    except ValueError:
        form_id = -1
    if form_id < 1 or not hmac.compare_digest(
        check.encode(), check_value(form_id, reference).encode()
    ):
        raise FormRefused(
            "De controlecode van dit formulier klopt niet: het komt uit een ander register, of "
            "het kenmerk of de controlecode werd gewijzigd. Vraag de behandelaar het formulier "
            "in te vullen dat klachtdesk voor dit dossier maakte."
        )
    if complaint_id is not None and complaint_id != form_id:
        chosen = Complaint.get_or_none(Complaint.id == complaint_id)
        raise FormRefused(
            f"Dit formulier hoort bij dossier {reference}, niet bij dossier "
            f"{chosen.reference if chosen else complaint_id}."
        )
    _dossier_for(form_id, reference)
    answers, head_asked, problems = _answers(values)
    for key, message in answer_problems(answers, head_asked=head_asked).items():
        problems.setdefault(key, message)
    return ReturnedForm(
        complaint_id=form_id,
        reference=reference,
        answers=answers,
        pdf=pdf,
        filename=_file_name(pdf_name) or f"rapport-{reference}.pdf",
        head_asked=head_asked,
        problems=problems,
    )


# -- showing and recording ------------------------------------------------------------------


def for_printing(pdf: bytes) -> bytes:
    """The PDF as klachtdesk prints it: a filled klachtdesk form with its answers drawn into
    its pages (:func:`viewing_copy`; QtPdf prints form fields empty), any other PDF as it is."""
    try:
        values = _fields_of(pdf)
    except FormRefused:
        return pdf
    if values is None or not _is_our_form(values) or _answers(values)[0] == Answers():
        return pdf  # no form, or the blank one: its boxes are part of the page
    return viewing_copy(pdf)


def viewing_copy(pdf: bytes) -> bytes:
    """A copy of a filled form with every visible field's appearance drawn into its page, for
    renderers that leave form fields out: QtPdf (klachtdesk's preview and raster printing)
    shows a returned form's boxes empty. The dossier keeps the handler's PDF as it came; this
    copy is only for showing it. A PDF that cannot be read is returned as it is."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject

    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf), strict=False))
        for page in writer.pages:
            annotations = page.get("/Annots")
            if not annotations:
                continue
            drawn: list[str] = []
            kept = []
            resources = page.setdefault(NameObject("/Resources"), DictionaryObject())
            xobjects = resources.get_object().setdefault(NameObject("/XObject"), DictionaryObject())
            for ref in annotations.get_object():
                widget = ref.get_object()
                if widget.get("/Subtype") != "/Widget":
                    kept.append(ref)
                    continue
                placed = _placed_appearance(widget)
                if placed is None:
                    continue
                appearance, matrix = placed
                name = f"/KdField{len(drawn)}"
                if not isinstance(appearance, IndirectObject):
                    appearance = writer._add_object(appearance)
                xobjects.get_object()[NameObject(name)] = appearance
                drawn.append(f"q {matrix} cm {name} Do Q")
            contents = page.get_contents()
            if drawn and contents is not None:
                data = b"q\n" + contents.get_data() + b"\nQ\n" + "\n".join(drawn).encode()
                contents.set_data(data)
                page.replace_contents(contents)
            if kept:
                page[NameObject("/Annots")] = type(annotations.get_object())(kept)
            else:
                del page["/Annots"]
        if "/AcroForm" in writer._root_object:
            del writer._root_object["/AcroForm"]
        out = io.BytesIO()
        writer.write(out)
    except Exception:  # pypdf on a damaged file may fail in any way: shown as it came
        return pdf
    return out.getvalue()


def _placed_appearance(widget: Any) -> tuple[Any, str] | None:
    """A visible widget's normal appearance (for a button: of its state) and the matrix that
    puts it on its rectangle; None for a hidden widget or one without an appearance."""
    flags = int(widget.get("/F", 0))
    if flags & 0b100011:  # invisible, hidden, noview
        return None
    appearances = widget.get("/AP")
    if appearances is None or "/N" not in appearances.get_object():
        return None
    normal_ref = appearances.get_object().raw_get("/N")
    normal = normal_ref.get_object()
    if "/BBox" not in normal:  # a button: one appearance per state
        state = widget.get("/AS")
        if state is None or state not in normal:
            return None
        normal_ref = normal.raw_get(state)
        normal = normal_ref.get_object()
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    b0, c0, b1, c1 = (float(v) for v in normal["/BBox"])
    sx = (x1 - x0) / (b1 - b0) if b1 != b0 else 1.0
    sy = (y1 - y0) / (c1 - c0) if c1 != c0 else 1.0
    return (
        normal_ref,
        f"{sx:.6f} 0 0 {sy:.6f} {min(x0, x1) - b0 * sx:.4f} {min(y0, y1) - c0 * sy:.4f}",
    )


# -- showing and recording ------------------------------------------------------------------


def _yes_no(value: bool | None) -> str:
    return {True: YES_LABEL, False: NO_LABEL, None: ""}[value]


def _outcome_text(outcome: Outcome | None) -> str:
    return outcome.label if outcome is not None else ""


def _norms_text(norms: frozenset[Norm] | list[Norm]) -> str:
    return "\n".join(n.numbered for n in sorted_norms(norms))


def side_by_side(returned: ReturnedForm) -> list[tuple[str, str, str]]:
    """Rows (label, on record, in the form) for every answer, in the form's order."""
    row = Complaint.get_or_none(Complaint.id == returned.complaint_id)
    if row is None:
        raise FormRefused(f"Dossier {returned.reference} bestaat niet (meer) in dit register.")
    a = returned.answers
    recorded_norms = complaints.norms_of(returned.complaint_id)
    reason = row.no_judgement_reason
    rows = [
        ("contacts", row.investigation_contacts, a.contacts),
        ("summary", row.investigation_summary, a.summary),
        ("outcome", _outcome_text(row.outcome), _outcome_text(a.outcome)),
        (
            "no_judgement_reason",
            reason.label if reason is not None else "",
            a.no_judgement_reason.label if a.no_judgement_reason is not None else "",
        ),
        (
            "resolution",
            row.resolution.label if row.resolution is not None else "",
            a.resolution.label if a.resolution is not None else "",
        ),
        ("solution", row.solution, a.solution),
        ("norms", _norms_text(recorded_norms), _norms_text(a.norms)),
        ("report_text", row.report_text, a.report_text),
        ("reply_text", row.reply_text, a.reply_text),
    ]
    if returned.head_asked:
        rows.append(("head_informed", _yes_no(row.head_informed), _yes_no(a.head_informed)))
    return [(ANSWER_LABELS[key], str(on_record or ""), in_form) for key, on_record, in_form in rows]


def record_returned_form(
    ctx: ServiceContext, returned: ReturnedForm, *, on: date | None = None
) -> None:
    """Steps 9, 10 and 11 from the returned form, in ONE transaction: the investigation, the
    assessment and the completed report with the draft reply, the returned PDF kept in the
    dossier. All of it or nothing: InvalidInput (every problem) when answers are missing or
    contradictory, FormRefused when the dossier is no longer with the handler."""
    if returned.problems:
        raise InvalidInput(returned.problems)
    a = returned.answers
    assert a.outcome is not None  # no problems: an outcome was chosen
    with database.atomic():
        _dossier_for(returned.complaint_id, returned.reference)
        complaints.record_investigation(
            ctx, returned.complaint_id, contacts=a.contacts, summary=a.summary
        )
        complaints.record_assessment(
            ctx, returned.complaint_id, a.outcome, solution=a.solution,
            no_judgement_reason=a.no_judgement_reason, resolution=a.resolution,
            norms=a.norms, on=on,
        )  # fmt: skip
        complaints.record_returned(
            ctx, returned.complaint_id, report_text=a.report_text, reply_text=a.reply_text,
            attachments=[
                Attachment(returned.filename, "application/pdf", returned.pdf, RETURNED_TITLE)
            ],
            head_informed=a.head_informed if returned.head_asked else None, on=on,
        )  # fmt: skip
