"""The report for the handler (step 8) as a fillable PDF form.

Under the same letterhead as every letter: step 8's data, read-only (the text of the page, as
:func:`documents.report_blocks` gives it), then fields for what the handler brings back in
steps 9-11: the investigation, the assessment (outcome, reason for 'geen oordeel', mate van
oplossing, solution, ombudsnormen), the completed report, the draft reasoned reply and, when
a head of department is kept informed, whether they were. The form carries the dossier's id,
its reference and a check value (read-only), so that a returned form is matched to its
dossier (services/handler_form.py).

Field names: :mod:`.handler_form_fields`; labels: :mod:`klachtdesk.procedure.handler_answers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.acroform import PDFFromString
from reportlab.pdfbase.pdfdoc import PDFObject, pdfdocEnc
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from klachtdesk.procedure import NoJudgementReason, Outcome, Resolution
from klachtdesk.procedure.assessment import norms_by_group
from klachtdesk.procedure.handler_answers import (
    ASSESSMENT_HEADING,
    FORM_LABELS,
    INVESTIGATION_HEADING,
    RETURN_HEADING,
)
from klachtdesk.procedure.handler_answers import NO as NO_LABEL
from klachtdesk.procedure.handler_answers import YES as YES_LABEL
from klachtdesk.procedure.text_limits import FIELD_LIMITS

from .documents import ComplaintFacts, HandlerFacts, Setup, report_blocks
from .documents import _contact_line as contact_line
from .handler_form_fields import FORM_KIND, NO, TEXT_COLUMNS, YES, FieldName, norm_field
from .layout import LEFT as LEFT_MARGIN
from .layout import (
    PAGE_WIDTH,
    RIGHT,
    Addressee,
    Block,
    Flowables,
    FormField,
    Letter,
    Text,
    long_date,
    paragraphs,
    render,
)

WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT
BORDER = colors.HexColor("#7a8ca3")
FILL = colors.HexColor("#f3f6fa")
#: The font of what is typed in a field: a PDF viewer fills fields with one of the 14
#: standard fonts (ReportLab's form fields offer no other); Helvetica reads like the letter.
FIELD_FONT = "Helvetica"
FIELD_FONT_SIZE = 10
LINE_HEIGHT = 12.2  # one typed line at FIELD_FONT_SIZE
BOX = 10.0  # the side of a radio button or check box

#: How many typed lines each text box shows (a longer text scrolls and is read back whole).
TEXT_LINES: dict[FieldName, int] = {
    FieldName.CONTACTS: 5,
    FieldName.SUMMARY: 9,
    FieldName.SOLUTION: 5,
    FieldName.REPORT_TEXT: 8,
    FieldName.REPLY_TEXT: 14,
}


@dataclass(frozen=True)
class FormIdentity:
    """What ties a form to its dossier: id, reference and the register's check value."""

    complaint_id: int
    reference: str
    check: str


class _FormResources(PDFObject):  # type: ignore[misc]
    """The form's default resources (/DR) naming every font its fields use.

    ReportLab writes one ``/Font`` entry per font into /DR, so with a second font the
    dictionary holds the key twice; and it never lists ZapfDingbats, in which a viewer that
    draws check boxes and radio buttons anew (poppler, when a filler set NeedAppearances)
    draws their marks: without it those marks vanish.
    """

    def __init__(self, form: Any) -> None:
        self.form = form

    def format(self, document: Any) -> bytes:
        fonts = " ".join(f"/{name} {ref}" for name, ref in sorted(self.form.fonts.items()))
        return bytes(
            pdfdocEnc(
                f"<< /Encoding << /RLAFencoding {self.form.encRefStr} >> /Font << {fonts} >> >>"
            )
        )


def _prepared(form: Any) -> Any:
    """``form`` with ZapfDingbats among its fonts and sound default resources."""
    if "ZaDb" not in form.fonts:
        form.fonts["ZaDb"] = form.getRefStr(
            PDFFromString("<< /BaseFont /ZapfDingbats /Name /ZaDb /Subtype /Type1 /Type /Font >>")
        )
        form.extras["DR"] = _FormResources(form)
    return form


def _style(**more: Any) -> dict[str, Any]:
    return {
        "borderColor": BORDER,
        "fillColor": FILL,
        "borderWidth": 0.8,
        "forceBorder": True,
        **more,
    }


def _text_box(name: FieldName, tooltip: str) -> FormField:
    lines = TEXT_LINES[name]

    def draw(form: Any, x: float, y: float, width: float, height: float) -> None:
        _prepared(form).textfield(
            name=str(name), tooltip=tooltip, value="", x=x, y=y, width=width, height=height,
            fieldFlags="multiline", maxlen=FIELD_LIMITS[TEXT_COLUMNS[name]].max_chars,
            fontName=FIELD_FONT, fontSize=FIELD_FONT_SIZE, textColor=colors.black,
            **_style(),
        )  # fmt: skip

    return FormField(None, lines * LINE_HEIGHT + 6, draw)


def _radio(group: str, value: str, tooltip: str) -> FormField:
    def draw(form: Any, x: float, y: float, _width: float, _height: float) -> None:
        # The ring is drawn on the page and the button draws only its dot: ReportLab draws
        # the ring of a radio button smaller than 20 points out of shape.
        canvas = form.canv
        canvas.saveState()
        canvas.setStrokeColor(BORDER)
        canvas.setFillColor(FILL)
        canvas.setLineWidth(0.8)
        canvas.circle(x + BOX / 2, y + BOX / 2, BOX / 2 - 0.4, stroke=1, fill=1)
        canvas.restoreState()
        _prepared(form).radio(
            name=group, value=value, selected=False, tooltip=tooltip, x=x, y=y, size=BOX,
            buttonStyle="circle", shape="square", fieldFlags="radio", textColor=colors.black,
            borderWidth=0, borderColor=None, fillColor=None,
        )  # fmt: skip

    return FormField(BOX, BOX, draw)


def _checkbox(name: str, tooltip: str) -> FormField:
    def draw(form: Any, x: float, y: float, _width: float, _height: float) -> None:
        _prepared(form).checkbox(
            name=name, tooltip=tooltip, checked=False, x=x, y=y, size=BOX,
            buttonStyle="check", shape="square", fieldFlags="",
            textColor=colors.black, **_style(),
        )  # fmt: skip

    return FormField(BOX, BOX, draw)


def _read_only(name: FieldName, value: str, tooltip: str, width: float) -> FormField:
    """A visible field the viewer does not let anyone change (a tool can: see the check)."""

    def draw(form: Any, x: float, y: float, width: float, height: float) -> None:
        _prepared(form).textfield(
            name=str(name), value=value, tooltip=tooltip, x=x, y=y, width=width, height=height,
            fieldFlags="readOnly", maxlen=0, fontName=FIELD_FONT, fontSize=9,
            textColor=colors.black, borderWidth=0, fillColor=None, borderColor=None,
        )  # fmt: skip

    return FormField(width, 13, draw)


def _hidden(values: dict[FieldName, str]) -> FormField:
    """Hidden fields: no viewer shows them; they travel with the form."""

    def draw(form: Any, x: float, y: float, _width: float, _height: float) -> None:
        for name, value in values.items():
            _prepared(form).textfield(
                name=str(name), value=value, x=x, y=y, width=1, height=1, maxlen=0,
                annotationFlags="hidden", fieldFlags="readOnly", fontName=FIELD_FONT,
                fontSize=9, textColor=colors.black, borderWidth=0, fillColor=None,
                borderColor=None,
            )  # fmt: skip

    return FormField(1, 1, draw)


def _identity_table(identity: FormIdentity) -> Table:
    """Kenmerk and Controlecode, read-only; the form's kind and the dossier's id hidden."""
    hidden = _hidden({FieldName.FORM: FORM_KIND, FieldName.DOSSIER: str(identity.complaint_id)})
    table = Table(
        [
            [
                paragraphs("Kenmerk", "label"),
                _read_only(FieldName.REFERENCE, identity.reference, "Kenmerk", 30 * mm),
                paragraphs("Controlecode", "label"),
                _read_only(FieldName.CHECK, identity.check, "Controlecode", 60 * mm),
                hidden,
            ]
        ],
        colWidths=[18 * mm, 32 * mm, 29 * mm, 62 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _label(text: str) -> list[Flowable]:
    return [*paragraphs(text, "label"), Spacer(1, 2.5)]


def _options(fields: Sequence[tuple[FormField, str]], columns: int = 1) -> Table:
    """Radio buttons or check boxes, each with its label beside it, in ``columns``."""
    cells: list[list[Any]] = []
    row: list[Any] = []
    column_width = WIDTH / columns
    for field_, label in fields:
        row += [field_, paragraphs(label, "value")]
        if len(row) == 2 * columns:
            cells.append(row)
            row = []
    if row:
        cells.append(row + [""] * (2 * columns - len(row)))
    table = Table(cells, colWidths=[BOX + 6, column_width - BOX - 6] * columns, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _gap() -> Spacer:
    return Spacer(1, 3 * mm)


def _heading(text: str | None) -> list[Flowable]:
    """A section's heading, kept on one page with the section's first question."""
    return paragraphs(text, "heading") if text else []


def _text_question(name: FieldName, label_key: str, heading: str | None = None) -> Flowable:
    label = FORM_LABELS[label_key]
    return KeepTogether([*_heading(heading), *_label(label), _text_box(name, label), _gap()])


def _choice_question(
    name: FieldName,
    label: str,
    choices: Sequence[tuple[str, str]],
    columns: int = 1,
    heading: str | None = None,
) -> Flowable:
    radios = [(_radio(str(name), value, label), text) for value, text in choices]
    return KeepTogether([*_heading(heading), *_label(label), _options(radios, columns), _gap()])


def _norms() -> list[Flowable]:
    """The ombudsnormen as check boxes under their two groups; the question's label stays
    on the page of the first group."""
    result: list[Flowable] = []
    for index, (group, norms) in enumerate(norms_by_group().items()):
        boxes = [(_checkbox(norm_field(n), n.label), n.numbered) for n in norms]
        result.append(
            KeepTogether(
                [
                    *(_label(FORM_LABELS["norms"]) if index == 0 else []),
                    *paragraphs(group.label[:1].upper() + group.label[1:], "value"),
                    Spacer(1, 1),
                    _options(boxes),
                ]
            )
        )
        result.append(Spacer(1, 1.5 * mm))
    return result


def _fields(identity: FormIdentity, head: str | None) -> list[Block]:
    investigation: list[Flowable] = [
        _text_question(FieldName.CONTACTS, "contacts", INVESTIGATION_HEADING),
        _text_question(FieldName.SUMMARY, "summary"),
    ]
    assessment: list[Flowable] = [
        _choice_question(
            FieldName.OUTCOME,
            FORM_LABELS["outcome"],
            [(o.value, o.label) for o in Outcome],
            heading=ASSESSMENT_HEADING,
        ),
        _choice_question(
            FieldName.NO_JUDGEMENT_REASON,
            FORM_LABELS["no_judgement_reason"],
            [(r.value, r.label) for r in NoJudgementReason],
        ),
        _choice_question(
            FieldName.RESOLUTION,
            FORM_LABELS["resolution"],
            [(r.value, r.label) for r in Resolution],
            3,
        ),
        _text_question(FieldName.SOLUTION, "solution"),
        *_norms(),
    ]
    returned: list[Flowable] = [
        _text_question(FieldName.REPORT_TEXT, "report_text", RETURN_HEADING),
        _text_question(FieldName.REPLY_TEXT, "reply_text"),
    ]
    if head is not None:
        returned.append(
            _choice_question(
                FieldName.HEAD_INFORMED,
                f"{FORM_LABELS['head_informed']} (diensthoofd: {head})"
                if head
                else FORM_LABELS["head_informed"],
                [(YES, YES_LABEL), (NO, NO_LABEL)],
                columns=4,
            )
        )
    return [
        Flowables(investigation),
        Flowables(assessment),
        Flowables(returned),
        Flowables(
            [
                KeepTogether(
                    [
                        Spacer(1, 2 * mm),
                        *paragraphs(
                            "Laat het kenmerk en de controlecode staan: klachtdesk herkent er "
                            "het dossier aan.",
                            "small",
                        ),
                        Spacer(1, 1.5 * mm),
                        _identity_table(identity),
                    ]
                )
            ]
        ),
    ]


def handler_form(
    setup: Setup,
    facts: ComplaintFacts,
    day: date,
    *,
    handler: HandlerFacts,
    acknowledged_on: date | None,
    handler_due: date | None,
    identity: FormIdentity,
    head: str | None = None,
) -> Letter:
    """Step 8: the report the handler fills in and sends back.

    ``head``: the head of department who is kept informed (services.organisation.head_in_copy);
    the form then asks whether they were. None: the question is left out.
    """
    due = f", uiterlijk op {long_date(handler_due)}" if handler_due else ""
    intro = Text(
        "Vul de vakken hieronder in op de computer (bijvoorbeeld met Adobe Acrobat Reader, "
        "Firefox, Okular of Evince), bewaar het formulier en stuur het als bijlage terug naar "
        f"de klachtencoördinator{due}. Een lange tekst mag: het vak schuift mee en "
        "klachtdesk leest alles. Antwoorden in Word of in een gewone e-mail kan ook."
    )
    return Letter(
        letterhead=setup.letterhead,
        reference=facts.reference,
        day=day,
        place=setup.place,
        subject=f"rapport klacht {facts.reference}, in te vullen door de klachtenbehandelaar",
        body=[
            *report_blocks(
                facts,
                handler=handler,
                acknowledged_on=acknowledged_on,
                handler_due=handler_due,
            ),
            intro,
            *_fields(identity, head),
        ],
        addressee=Addressee(handler.name, handler.department),
        contact_line=contact_line(setup),
        title=f"Rapport {facts.reference} (formulier)",
    )


def render_handler_form(letter: Letter) -> bytes:
    """The form as PDF bytes (:func:`layout.render`; the fields come with it)."""
    return render(letter)
