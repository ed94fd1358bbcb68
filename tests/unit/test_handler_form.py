"""The handler's report form without a register: the fields it carries, where they sit, and
the rules that judge the answers (issue 15)."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from klachtdesk.letters.documents import ComplaintFacts, HandlerFacts, Setup
from klachtdesk.letters.handler_form import FormIdentity, handler_form, render_handler_form
from klachtdesk.letters.handler_form_fields import FORM_KIND, FieldName, norm_field
from klachtdesk.letters.layout import Letterhead, Signatory
from klachtdesk.procedure import Channel, NoJudgementReason, Norm, Outcome, Resolution
from klachtdesk.procedure.handler_answers import FORM_LABELS
from klachtdesk.services.handler_form import Answers, answer_problems

SETUP = Setup(
    Letterhead("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent"),
    Signatory("Ann Peeters", "Klachtencoördinator", "016 85 30 00", "klachten@herent.be"),
    "Herent",
)
FACTS = ComplaintFacts(
    "2026-0042",
    date(2026, 3, 2),
    Channel.EMAIL,
    "De container werd niet geledigd.\n" * 60,  # long: the form runs over several pages
    name="Sébastien Dewaele",
    email="s.dewaele@example.be",
)
IDENTITY = FormIdentity(42, "2026-0042", "0123456789abcdef01234567")


def form(head: str | None = None) -> bytes:
    return render_handler_form(
        handler_form(
            SETUP, FACTS, date(2026, 3, 4),
            handler=HandlerFacts("Inge Claes", "inge.claes@herent.be", "", "Milieu"),
            acknowledged_on=date(2026, 3, 4), handler_due=date(2026, 4, 1),
            identity=IDENTITY, head=head,
        )
    )  # fmt: skip


def test_every_field_is_there_once_under_its_stable_name() -> None:
    reader = PdfReader(io.BytesIO(form()))
    fields = reader.get_fields() or {}
    expected = {str(f) for f in FieldName} - {str(FieldName.HEAD_INFORMED)}
    assert set(fields) == expected | {norm_field(n) for n in Norm}
    assert fields[str(FieldName.FORM)]["/V"] == FORM_KIND
    assert fields[str(FieldName.DOSSIER)]["/V"] == "42"
    assert fields[str(FieldName.CHECK)]["/V"] == IDENTITY.check
    # Read-only for the viewer: reference and check value; multi-line: the texts.
    assert int(fields[str(FieldName.REFERENCE)]["/Ff"]) & 1
    assert int(fields[str(FieldName.SUMMARY)]["/Ff"]) & (1 << 12)
    # A screen reader reads each field's Dutch label.
    assert fields[str(FieldName.SOLUTION)]["/TU"] == FORM_LABELS["solution"]
    assert fields[norm_field(Norm.COURTESY)]["/TU"] == Norm.COURTESY.label
    radio = fields[str(FieldName.OUTCOME)]
    assert set(radio["/_States_"]) == {"/Off"} | {f"/{o.value}" for o in Outcome}


def test_the_head_question_is_asked_only_with_a_head() -> None:
    fields = PdfReader(io.BytesIO(form("Jan Janssens"))).get_fields() or {}
    assert set(fields[str(FieldName.HEAD_INFORMED)]["/_States_"]) == {"/Off", "/yes", "/no"}


def test_each_field_sits_on_the_page_that_shows_it() -> None:
    reader = PdfReader(io.BytesIO(form()))
    assert len(reader.pages) >= 4
    seen = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            # /P names the page the widget is on, also for pages written after the count.
            assert widget["/P"].get_object() == page.get_object()
            seen += 1
    texts = 9  # 5 answers, reference, check value and the 2 hidden ones
    assert seen == texts + len(Outcome) + len(NoJudgementReason) + len(Resolution) + len(Norm)


def well_founded(**changes: object) -> Answers:
    values: dict[str, object] = {
        "summary": "Onderzocht.",
        "outcome": Outcome.WELL_FOUNDED,
        "resolution": Resolution.PARTLY_RESOLVED,
        "solution": "Extra ophaling.",
        "norms": frozenset({Norm.ACCURACY}),
        "reply_text": "Geachte heer,",
    }
    values.update(changes)
    return Answers(**values)  # type: ignore[arg-type]


def test_complete_answers_have_no_problem() -> None:
    assert answer_problems(well_founded(), head_asked=False) == {}
    unfounded = well_founded(
        outcome=Outcome.UNFOUNDED, resolution=None, solution="", norms=frozenset()
    )
    assert answer_problems(unfounded, head_asked=False) == {}
    no_judgement = well_founded(
        outcome=Outcome.NO_JUDGEMENT,
        no_judgement_reason=NoJudgementReason.TOO_SMALL,
        resolution=None,
        norms=frozenset(),
    )
    assert answer_problems(no_judgement, head_asked=False) == {}


def test_missing_and_contradictory_answers_are_named() -> None:
    assert set(answer_problems(Answers(), head_asked=True)) == {
        "summary",
        "outcome",
        "reply_text",
        "head_informed",
    }
    problems = answer_problems(
        well_founded(
            solution=" ",
            no_judgement_reason=NoJudgementReason.DOUBT,
            resolution=None,
            norms=frozenset(),
        ),
        head_asked=False,
    )
    assert set(problems) == {"solution", "no_judgement_reason", "resolution", "norms"}
    assert problems["solution"] == "De klacht is gegrond: formuleer de oplossing."
    # A reason without any outcome is pointed out too.
    orphan = answer_problems(
        well_founded(outcome=None, no_judgement_reason=NoJudgementReason.DOUBT), head_asked=False
    )
    assert set(orphan) == {"outcome", "no_judgement_reason"}
    # Text beyond the register's limits.
    too_long = answer_problems(well_founded(reply_text="x" * 20_001), head_asked=False)
    assert set(too_long) == {"reply_text"}
    assert too_long["reply_text"].startswith("Motiverende brief:")
