"""Issue 15: the report for the handler is a fillable PDF form that comes back and is read in.

The round trip as a handler and a coordinator make it: the form is generated for a dossier,
filled the way a PDF viewer saves it (pypdf writes the field values and asks the viewer for
new appearances), returned as a PDF or as an e-mail attachment, read, shown side by side and
recorded as steps 9-11 in one transaction. Forms of another dossier or another register, a
tampered check value or reference, and incomplete or contradictory answers are refused or
pointed out in Dutch, and then nothing is written.
"""

from __future__ import annotations

import io
import random
from collections.abc import Mapping
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from klachtdesk.letters.handler_form_fields import CHECKED, FORM_KIND, YES, FieldName, norm_field
from klachtdesk.models import (
    AuditEvent,
    Complaint,
    ComplaintNorm,
    Department,
    Document,
    Register,
    Setting,
    create_register,
)
from klachtdesk.procedure import (
    InvalidInput,
    NoJudgementReason,
    Norm,
    Outcome,
    Resolution,
    State,
)
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.correspondence import ACKNOWLEDGEMENT, REPORT, generate
from klachtdesk.services.documents import HANDLER_REPORT
from klachtdesk.services.handler_form import (
    SECRET_KEY,
    FormRefused,
    ReturnedForm,
    check_value,
    read_returned,
    record_returned_form,
    side_by_side,
    viewing_copy,
)
from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

from ..conftest import FakeClock
from .conftest import PASSPHRASE
from .helpers import handler, intake, row

#: What a handler fills in: a well-founded complaint, resolved, one norm.
ANSWERS: dict[str, str] = {
    str(FieldName.CONTACTS): "Gesprek met het diensthoofd op 10 maart.\r\nKlager teruggebeld.",
    str(FieldName.SUMMARY): "De ophaalronde sloeg de Kerkstraat twee keer over (één chauffeur).",
    str(FieldName.OUTCOME): f"/{Outcome.WELL_FOUNDED.value}",
    str(FieldName.RESOLUTION): f"/{Resolution.RESOLVED.value}",
    str(FieldName.SOLUTION): "Extra ophaling deze week; de route is aangepast.",
    norm_field(Norm.ACCURACY): f"/{CHECKED}",
    norm_field(Norm.ACTIVE_SERVICE): f"/{CHECKED}",
    str(FieldName.REPORT_TEXT): "Routeplan in bijlage bij het dossier.",
    str(FieldName.REPLY_TEXT): "Geachte mevrouw Peeters,\n\nUw straat werd twee keer overgeslagen.",
}


def set_up(ctx: ServiceContext) -> None:
    initial_setup(
        ctx,
        Municipality("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
        Coordinator("Ann Peeters", phone="016 85 30 00", email="klachten@herent.example"),
        [],
        [],
    )


def with_handler(ctx: ServiceContext, handler_id: int, **changes: object) -> int:
    """A dossier sent to the handler (step 8)."""
    cid = svc.register_complaint(ctx, intake(**changes))
    svc.decide_admissibility(ctx, cid, [])
    svc.record_acknowledgement(ctx, cid)
    svc.send_to_handler(ctx, cid, handler_id)
    return cid


@pytest.fixture
def dossier(register: Register, ctx: ServiceContext) -> int:
    set_up(ctx)
    return with_handler(ctx, handler(ctx))


def form_of(ctx: ServiceContext, complaint_id: int) -> bytes:
    """The step-8 report as the coordinator makes it (kept in the dossier)."""
    return generate(ctx, complaint_id, REPORT)[1]


def fill(pdf: bytes, values: Mapping[str, str]) -> bytes:
    """The form filled as a viewer saves it: values set, appearances left to the viewer."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        writer.update_page_form_field_values(page, dict(values), auto_regenerate=False)
    writer.set_need_appearances_writer(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def as_email(pdf: bytes, name: str = "rapport-2026-0001.pdf") -> bytes:
    message = EmailMessage()
    message["From"] = "Inge Claes <inge.claes@gemeente.example>"
    message["To"] = "klachten@herent.example"
    message["Subject"] = "RE: Rapport klacht 2026-0001"
    message.set_content("Dag Ann,\n\nHierbij het ingevulde rapport.\n\nInge")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
    return message.as_bytes()


def field_values(pdf: bytes) -> dict[str, Any]:
    fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    return {name: f.get("/V") for name, f in fields.items()}


def register_state() -> dict[str, Any]:
    """Everything steps 9-11 would change: the dossiers, norms, documents, audit trail."""
    return {
        "complaints": list(Complaint.select().order_by(Complaint.id).dicts()),
        "norms": list(ComplaintNorm.select().dicts()),
        "documents": [(d.id, d.kind, d.sha256) for d in Document.select()],
        "audit": [(e.id, e.action, e.hash) for e in AuditEvent.select().order_by(AuditEvent.id)],
    }


def pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


# -- the form as it goes out ----------------------------------------------------------------


def test_empty_form_shows_step_8_and_carries_its_fields(dossier: int, ctx: ServiceContext) -> None:
    pdf = form_of(ctx, dossier)
    text = pdf_text(pdf)
    for expected in (
        "Gemeente Herent",
        "rapport klacht 2026-0001",
        "Marie Peeters",
        "Kerkstraat 12, 3000 Leuven",
        "De container in de Kerkstraat werd drie weken niet geledigd.",
        "telefoon",  # the channel
        "Ontvankelijk ja",
        "Ontvangstmelding verstuurd 2 maart 2026",
        "Klachtenbehandelaar Inge Claes",
        "Rapport en antwoord terug uiterlijk",
        "Onderzoek (stap 9)",
        "Beoordeling (stap 10)",
        "Rapport en motiverende brief (stap 11)",
        "Oplossing: verplicht bij gegrond en deels gegrond",
        "geen oordeel",
        "twijfel of er beter bestuurd had kunnen worden",
        "deels opgelost",
        "11. goede uitvoeringspraktijk en administratieve nauwkeurigheid",
        "Kenmerk",
        "Controlecode",
    ):
        assert expected in text, expected
    assert "diensthoofd op de hoogte" not in text  # no head of department known
    values = field_values(pdf)
    expected_fields = {str(f) for f in FieldName} - {str(FieldName.HEAD_INFORMED)}
    assert expected_fields | {norm_field(n) for n in Norm} == set(values)
    assert values[str(FieldName.FORM)] == FORM_KIND
    assert values[str(FieldName.REFERENCE)] == "2026-0001"
    assert values[str(FieldName.DOSSIER)] == str(dossier)
    assert values[str(FieldName.CHECK)] == check_value(dossier, "2026-0001")
    # Kept in the dossier like every generated document.
    kept = Document.get(Document.kind == REPORT)
    assert bytes(kept.content) == pdf


def test_the_register_secret_is_made_once_and_never_audited(
    dossier: int, ctx: ServiceContext
) -> None:
    first = check_value(dossier, "2026-0001")
    secret = Setting.get(Setting.key == SECRET_KEY).value
    assert check_value(dossier, "2026-0001") == first
    assert Setting.get(Setting.key == SECRET_KEY).value == secret
    assert check_value(dossier, "2026-0002") != first
    assert len(first) == 24
    form_of(ctx, dossier)
    assert not any(secret.strip('"') in str(e.__data__) for e in AuditEvent.select()), (
        "the secret reached the audit trail"
    )


def test_a_head_of_department_is_asked_about(register: Register, ctx: ServiceContext) -> None:
    set_up(ctx)
    handler_id = handler(ctx)
    Department.update(
        head_name="Jan Janssens", head_email="jan.janssens@gemeente.example"
    ).execute()
    cid = with_handler(ctx, handler_id, department_id=Department.get().id)
    pdf = form_of(ctx, cid)
    assert "Werd het diensthoofd op de hoogte gebracht? (diensthoofd: Jan Janssens)" in pdf_text(
        pdf
    )
    unanswered = read_returned(fill(pdf, ANSWERS), "rapport.pdf")
    assert unanswered.head_asked
    assert "head_informed" in unanswered.problems
    returned = read_returned(
        fill(pdf, {**ANSWERS, str(FieldName.HEAD_INFORMED): f"/{YES}"}), "rapport.pdf"
    )
    assert returned.problems == {}
    assert ("Diensthoofd op de hoogte gebracht", "", "ja") in side_by_side(returned)
    record_returned_form(ctx, returned)
    assert row(cid).head_informed is True


# -- the round trip -------------------------------------------------------------------------


def assert_recorded(cid: int, returned: ReturnedForm, before: dict[str, Any]) -> None:
    done = row(cid)
    assert done.state is State.REPLY_RETURNED
    assert (
        done.investigation_contacts
        == "Gesprek met het diensthoofd op 10 maart.\nKlager teruggebeld."
    )
    assert done.investigation_summary.startswith("De ophaalronde sloeg")
    assert done.outcome is Outcome.WELL_FOUNDED
    assert done.resolution is Resolution.RESOLVED
    assert done.solution == "Extra ophaling deze week; de route is aangepast."
    assert svc.norms_of(cid) == [Norm.ACTIVE_SERVICE, Norm.ACCURACY]
    assert done.report_text == "Routeplan in bijlage bij het dossier."
    assert done.reply_text.startswith("Geachte mevrouw Peeters,\n\n")
    assert done.head_informed is None
    kept = Document.get(Document.kind == HANDLER_REPORT)
    assert bytes(kept.content) == returned.pdf
    assert kept.mime_type == "application/pdf"
    new_events = [
        e.action for e in AuditEvent.select().where(AuditEvent.id > before["audit"][-1][0])
    ]
    assert new_events == ["record_investigation", "assess", "record_returned", "document"]


def test_round_trip_as_a_pdf(dossier: int, ctx: ServiceContext, clock: FakeClock) -> None:
    filled = fill(form_of(ctx, dossier), ANSWERS)
    clock.advance(days=12)
    returned = read_returned(filled, "rapport-2026-0001.pdf")
    assert (returned.complaint_id, returned.reference) == (dossier, "2026-0001")
    assert returned.problems == {}
    assert returned.answers.norms == frozenset({Norm.ACCURACY, Norm.ACTIVE_SERVICE})
    assert returned.answers.no_judgement_reason is None
    assert returned.pdf == filled and returned.filename == "rapport-2026-0001.pdf"
    rows = side_by_side(returned)
    assert rows[0] == (
        "Contacten",
        "",
        "Gesprek met het diensthoofd op 10 maart.\nKlager teruggebeld.",
    )
    assert ("Beoordeling", "", "gegrond") in rows
    assert ("Mate van oplossing", "", "opgelost") in rows
    assert (
        "Ombudsnormen",
        "",
        "7. actieve dienstverlening\n11. goede uitvoeringspraktijk en administratieve nauwkeurigheid",
    ) in rows
    before = register_state()
    record_returned_form(ctx, returned)
    assert_recorded(dossier, returned, before)
    assert row(dossier).last_returned_on == clock.current.date()
    # Read again once recorded: the dossier is no longer with the handler.
    with pytest.raises(FormRefused, match="niet bij de behandelaar"):
        read_returned(filled, "rapport-2026-0001.pdf")


def test_round_trip_as_an_email_attachment(dossier: int, ctx: ServiceContext) -> None:
    filled = fill(form_of(ctx, dossier), ANSWERS)
    returned = read_returned(as_email(filled), "RE Rapport klacht.eml", complaint_id=dossier)
    assert returned.pdf == filled
    assert returned.filename == "rapport-2026-0001.pdf"
    # Without its .eml name, the message is recognised by its headers; a folder in an
    # attachment's name is left out.
    odd = read_returned(as_email(filled, "..\\..\\map/rapport.pdf"), "bericht")
    assert (odd.filename, odd.pdf) == ("rapport.pdf", filled)
    assert returned.problems == {}
    before = register_state()
    record_returned_form(ctx, returned)
    assert_recorded(dossier, returned, before)


def test_after_a_failed_neutrality_review_the_form_is_read_in_again(
    dossier: int, ctx: ServiceContext
) -> None:
    pdf = form_of(ctx, dossier)
    record_returned_form(ctx, read_returned(fill(pdf, ANSWERS), "rapport.pdf"))
    svc.review_neutrality(ctx, dossier, False, "De klager werd niet gehoord.")
    again = {**ANSWERS, str(FieldName.SUMMARY): "Klager alsnog gehoord; zelfde besluit."}
    record_returned_form(ctx, read_returned(fill(pdf, again), "rapport-2.pdf"))
    assert row(dossier).state is State.REPLY_RETURNED
    assert row(dossier).investigation_summary == "Klager alsnog gehoord; zelfde besluit."


# -- refused, nothing written ---------------------------------------------------------------


def refused(data: bytes, filename: str = "rapport.pdf", **kwargs: Any) -> str:
    before = register_state()
    with pytest.raises(FormRefused) as caught:
        read_returned(data, filename, **kwargs)
    assert register_state() == before
    return caught.value.message


def test_a_form_of_another_dossier_is_refused_for_this_one(
    dossier: int, ctx: ServiceContext
) -> None:
    other = with_handler(ctx, Complaint.get_by_id(dossier).handler_id, name="Jan Claes")
    filled = fill(form_of(ctx, other), ANSWERS)
    message = refused(filled, complaint_id=dossier)
    assert message == "Dit formulier hoort bij dossier 2026-0002, niet bij dossier 2026-0001."
    # Dropped without a dossier chosen, it finds its own.
    assert read_returned(filled, "rapport.pdf").complaint_id == other


def test_a_form_from_another_register_is_refused(
    register: Register, ctx: ServiceContext, tmp_path: Path
) -> None:
    set_up(ctx)
    cid = with_handler(ctx, handler(ctx))
    filled = fill(form_of(ctx, cid), ANSWERS)
    register.close()
    # Another register, with a dossier of the same id and reference.
    with create_register(tmp_path / "ander-register", PASSPHRASE):
        set_up(ctx)
        same = with_handler(ctx, handler(ctx))
        assert (same, row(same).reference) == (cid, "2026-0001")
        message = refused(filled)
        assert message.startswith("De controlecode van dit formulier klopt niet")
        assert "ander register" in message
        assert row(same).state is State.WITH_HANDLER


def test_a_tampered_check_value_is_refused(dossier: int, ctx: ServiceContext) -> None:
    pdf = form_of(ctx, dossier)
    good = check_value(dossier, "2026-0001")
    for check in (good[:-1] + ("0" if good[-1] != "0" else "1"), "", good.upper() + "0"):
        message = refused(fill(pdf, {**ANSWERS, str(FieldName.CHECK): check}))
        assert "controlecode van dit formulier klopt niet" in message


def test_a_tampered_reference_is_refused(dossier: int, ctx: ServiceContext) -> None:
    other = with_handler(ctx, Complaint.get_by_id(dossier).handler_id, name="Jan Claes")
    pdf = form_of(ctx, dossier)
    # Pointed at the other dossier: by its reference, by its id, or by both.
    for changes in (
        {str(FieldName.REFERENCE): "2026-0002"},
        {str(FieldName.DOSSIER): str(other)},
        {str(FieldName.REFERENCE): "2026-0002", str(FieldName.DOSSIER): str(other)},
    ):
        message = refused(fill(pdf, {**ANSWERS, **changes}))
        assert "controlecode van dit formulier klopt niet" in message
    assert row(other).state is State.WITH_HANDLER


def test_files_that_are_no_returned_form_are_refused(dossier: int, ctx: ServiceContext) -> None:
    assert "geen PDF-bestand en geen e-mailbericht" in refused(b"\x00\x01" * 100, "scan.jpg")
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\n\r\n" + bytes(range(256)) * 4
    assert refused(jpeg, "scan.jpg") == "‘scan.jpg’ is geen PDF-bestand en geen e-mailbericht."
    assert "kan niet gelezen worden" in refused(b"%PDF-1.4\n" + b"\x00" * 50, "kapot.pdf")
    letter = generate(ctx, dossier, ACKNOWLEDGEMENT)[1]  # a PDF without fields
    assert refused(letter, "ontvangstmelding.pdf") == (
        "‘ontvangstmelding.pdf’ is geen rapportformulier van klachtdesk."
    )
    # A PDF whose fields are not the form's.
    other_fields = fill(form_of(ctx, dossier), {str(FieldName.FORM): "iets anders"})
    assert "geen rapportformulier van klachtdesk" in refused(other_fields)
    message = EmailMessage()
    message["From"] = "inge.claes@gemeente.example"
    message["Subject"] = "Rapport"
    message.set_content("Het rapport volgt morgen.")
    assert "geen PDF-bijlage" in refused(message.as_bytes(), "antwoord.eml")
    assert "geen rapportformulier van klachtdesk" in refused(as_email(letter), "antwoord.eml")


def test_an_email_with_two_different_forms_is_refused_not_half_read(
    dossier: int, ctx: ServiceContext
) -> None:
    pdf = form_of(ctx, dossier)
    first = fill(pdf, {**ANSWERS, str(FieldName.SOLUTION): ""})
    second = fill(pdf, ANSWERS)
    message = EmailMessage()
    message["From"] = "inge.claes@gemeente.example"
    message["Subject"] = "RE: Rapport klacht 2026-0001"
    message.set_content("Eerst een versie zonder oplossing, dan de juiste.")
    message.add_attachment(first, maintype="application", subtype="pdf", filename="oud.pdf")
    message.add_attachment(second, maintype="application", subtype="pdf", filename="nieuw.pdf")
    assert refused(message.as_bytes(), "antwoord.eml", complaint_id=dossier) == (
        "‘antwoord.eml’ bevat 2 verschillende ingevulde formulieren (‘oud.pdf’, ‘nieuw.pdf’). "
        "Sla het juiste formulier op als PDF-bestand en lees dat in."
    )
    # The same form attached twice is one form.
    twice = EmailMessage()
    twice.set_content("Dubbel.")
    for name in ("a.pdf", "b.pdf"):
        twice.add_attachment(second, maintype="application", subtype="pdf", filename=name)
    returned = read_returned(twice.as_bytes(), "dubbel.eml", complaint_id=dossier)
    assert (returned.pdf, returned.filename) == (second, "a.pdf")


def test_a_gone_dossier_is_refused(dossier: int, ctx: ServiceContext) -> None:
    filled = fill(form_of(ctx, dossier), ANSWERS)
    Complaint.delete().where(Complaint.id == dossier).execute()
    assert refused(filled) == "Dossier 2026-0001 bestaat niet (meer) in dit register."


def test_a_dossier_not_with_the_handler_is_refused(register: Register, ctx: ServiceContext) -> None:
    set_up(ctx)
    handler_id = handler(ctx)
    cid = with_handler(ctx, handler_id)
    filled = fill(form_of(ctx, cid), ANSWERS)
    svc.withdraw_complaint(ctx, cid, "De klager trok de klacht in.")
    assert "is niet bij de behandelaar (afgehandeld)" in refused(filled)


# -- incomplete or contradictory answers ----------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        (
            {str(FieldName.SOLUTION): ""},
            {"solution": "De klacht is gegrond: formuleer de oplossing."},
        ),
        (
            {str(FieldName.OUTCOME): "/Off", str(FieldName.RESOLUTION): "/Off"},
            {"outcome": "Er is geen beoordeling aangeduid: kies er één."},
        ),
        (
            {
                str(FieldName.OUTCOME): f"/{Outcome.NO_JUDGEMENT.value}",
                str(FieldName.RESOLUTION): "/Off",
            },
            {"no_judgement_reason": "Kies waarom er geen oordeel gegeven kan worden."},
        ),
        (
            {str(FieldName.NO_JUDGEMENT_REASON): f"/{NoJudgementReason.DOUBT.value}"},
            {"no_judgement_reason": "Een reden voor ‘geen oordeel’ hoort enkel bij die uitkomst."},
        ),
        (
            {norm_field(Norm.ACCURACY): "/Off", norm_field(Norm.ACTIVE_SERVICE): "/Off"},
            {
                "norms": "Vink bij de beoordeling ‘gegrond’ minstens één ombudsnorm aan die de "
                "klacht raakt."
            },
        ),
        (
            {str(FieldName.RESOLUTION): "/Off"},
            {
                "resolution": "Kies bij de beoordeling ‘gegrond’ de mate van oplossing: "
                "opgelost, deels opgelost of niet opgelost."
            },
        ),
        (
            {str(FieldName.OUTCOME): f"/{Outcome.UNFOUNDED.value}"},
            {
                "resolution": "Een mate van oplossing hoort enkel bij een gegronde of deels "
                "gegronde klacht."
            },
        ),
        (
            {str(FieldName.CONTACTS): "", str(FieldName.SUMMARY): "  "},
            {"summary": "Het onderzoek is niet ingevuld: noteer de contacten of een samenvatting."},
        ),
        (
            {str(FieldName.REPLY_TEXT): ""},
            {"reply_text": "Het ontwerp van de motiverende brief is niet ingevuld."},
        ),
    ],
)
def test_incomplete_or_contradictory_answers_are_pointed_out_and_nothing_is_recorded(
    dossier: int, ctx: ServiceContext, changes: dict[str, str], problems: dict[str, str]
) -> None:
    returned = read_returned(fill(form_of(ctx, dossier), {**ANSWERS, **changes}), "rapport.pdf")
    assert returned.problems == problems
    before = register_state()
    with pytest.raises(InvalidInput) as caught:
        record_returned_form(ctx, returned)
    assert caught.value.errors == problems
    assert register_state() == before


def test_an_empty_form_names_every_missing_answer(dossier: int, ctx: ServiceContext) -> None:
    returned = read_returned(form_of(ctx, dossier), "rapport.pdf")
    assert set(returned.problems) == {"summary", "outcome", "reply_text"}


def test_a_failing_last_step_leaves_nothing_of_the_earlier_ones(
    dossier: int, ctx: ServiceContext
) -> None:
    returned = read_returned(fill(form_of(ctx, dossier), ANSWERS), "rapport.pdf")
    # Steps 9 and 10 and step 11's move succeed; keeping the PDF (its name is refused) fails.
    broken = replace(returned, filename="rapport-\ud800.pdf")
    before = register_state()
    with pytest.raises(InvalidInput):
        record_returned_form(ctx, broken)
    assert register_state() == before
    assert row(dossier).state is State.WITH_HANDLER
    record_returned_form(ctx, returned)  # and the real one still goes in
    assert row(dossier).state is State.REPLY_RETURNED


def test_a_form_sent_before_a_backup_is_read_in_after_its_restore(
    dossier: int, register: Register, ctx: ServiceContext, data_dir: Path, tmp_path: Path
) -> None:
    from klachtdesk.models import open_register
    from klachtdesk.models.database import DB_FILENAME
    from klachtdesk.services.backup import make_backup, restore_with_passphrase

    filled = fill(form_of(ctx, dossier), ANSWERS)
    info = make_backup(register, ctx, tmp_path / "kopieën")
    register.close()
    (data_dir / DB_FILENAME).unlink()  # the register is lost; the backup brings it back
    restore_with_passphrase(info.path, data_dir, PASSPHRASE, ctx.now())
    with open_register(data_dir, PASSPHRASE):
        record_returned_form(ctx, read_returned(filled, "rapport.pdf"))
        assert row(dossier).state is State.REPLY_RETURNED


def test_the_viewing_copy_draws_what_the_viewer_saved_into_the_page(
    dossier: int, ctx: ServiceContext
) -> None:
    # As a viewer saves it: values and their appearances (pypdf draws them here).
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(form_of(ctx, dossier))))
    for page in writer.pages:
        writer.update_page_form_field_values(page, ANSWERS, auto_regenerate=True)
    out = io.BytesIO()
    writer.write(out)
    filled = out.getvalue()
    assert "Extra ophaling deze week" not in pdf_text(filled)  # only in the field
    copy = viewing_copy(filled)
    text = pdf_text(copy)
    assert "Extra ophaling deze week; de route is aangepast." in text
    assert "Routeplan in bijlage bij het dossier." in text
    assert "klachtdesk-handler-report" not in text  # hidden fields stay hidden
    reader = PdfReader(io.BytesIO(copy))
    assert not reader.get_fields()
    assert not any(page.get("/Annots") for page in reader.pages)
    assert len(reader.pages) == len(PdfReader(io.BytesIO(filled)).pages)
    assert viewing_copy(b"no pdf") == b"no pdf"


def test_a_damaged_form_is_refused_in_dutch_never_with_a_traceback(
    dossier: int, ctx: ServiceContext
) -> None:
    filled = fill(form_of(ctx, dossier), ANSWERS)
    rng = random.Random(15)
    damaged = [filled[:cut] for cut in (len(filled) // 3, len(filled) // 2, len(filled) - 40)]
    for _ in range(6):
        data = bytearray(filled)
        for _ in range(30):
            data[rng.randrange(len(data))] = rng.randrange(256)
        damaged.append(bytes(data))
    outcomes = set()
    for data in damaged:
        try:
            read_returned(data, "rapport.pdf")
            outcomes.add("read")
        except FormRefused as exc:
            assert exc.message.endswith(".")
            outcomes.add("refused")
        assert viewing_copy(data)  # shows something, never fails
    assert "refused" in outcomes


def test_a_filled_form_is_printed_with_its_answers_and_a_blank_one_as_it_is(
    dossier: int, ctx: ServiceContext
) -> None:
    from klachtdesk.services.handler_form import for_printing

    blank = form_of(ctx, dossier)
    assert for_printing(blank) == blank
    letter = generate(ctx, dossier, ACKNOWLEDGEMENT)[1]
    assert for_printing(letter) == letter
    filled = fill(blank, ANSWERS)
    assert "De ophaalronde sloeg de Kerkstraat" not in pdf_text(filled)  # only in its fields
    assert "De ophaalronde sloeg de Kerkstraat" in pdf_text(for_printing(filled))


def test_invisible_controls_in_an_answer_are_left_out(dossier: int, ctx: ServiceContext) -> None:
    """A bidi override typed or pasted in a viewer would show the answer reversed in the
    dossier; it is dropped like the other control characters a returned file may hold."""
    answers = {**ANSWERS, str(FieldName.SUMMARY): "Tweede\u202e omgekeerd\x1b verslag"}
    returned = read_returned(fill(form_of(ctx, dossier), answers), "rapport.pdf")
    assert returned.answers.summary == "Tweede omgekeerd verslag"
