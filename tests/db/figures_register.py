"""A small register with hand-counted contents, for the figures and the report tests.

Sixteen complaints received in 2026 and one in 2025, walked through the real services (the
clock stands on 31 December 2026, each step has its own date). Route, mate van oplossing,
ombudsnormen, improvement actions and inhabitants have no services on main yet: they are
written with the models here (issue 12 §1 is another helper's work).

Every complainant has a name, street, e-mail, phone and description of their own that must
never reach a report (:data:`PERSONAL`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from klachtdesk.models import (
    Complaint,
    ComplaintNorm,
    ImprovementAction,
    Population,
)
from klachtdesk.procedure import (
    ActKind,
    Channel,
    Ground,
    Intake,
    Nature,
    NoJudgementReason,
    Outcome,
    Subject,
    TimeLimits,
)
from klachtdesk.procedure.vocabulary import ActionStatus, Norm, Resolution, Route
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import HandlerData, add_department, save_handler
from klachtdesk.services.settings import set_time_limits
from klachtdesk.services.setup import (
    Coordinator,
    Municipality,
    save_coordinator,
    save_municipality,
)

from ..conftest import FakeClock

#: The day the register stands on, and the figures are made.
AS_OF = date(2026, 12, 31)
CLOCK_START = datetime(2026, 12, 31, 16, 0)

A = "Milieu en afval"
B = "Burgerzaken"
C = "Openbare werken"  # no complaints: not in the report's department table


@dataclass
class Built:
    ids: dict[str, int] = field(default_factory=dict)
    departments: dict[str, int] = field(default_factory=dict)


#: Every complainant's personal data, by dossier: none of it may appear in a report.
PERSONAL: dict[str, tuple[str, ...]] = {}


def _intake(
    key: str,
    channel: Channel,
    received_on: date,
    department_id: int | None,
    *,
    subject: Subject | None = Subject.EMPLOYEE,
    nature: Nature | None = Nature.WRONGLY_DONE,
    act_kind: ActKind | None = ActKind.TREATMENT,
    solved: bool = False,
) -> Intake:
    number = int(key[1:])
    name = f"Zoë Vermeersch-{key.upper()}x"
    street = f"Kapelleveldstraat {100 + number}"
    email = f"zoe.{key}@klager.example"
    phone = f"0499 {number:02d} 77 31"
    description = f"Het afvalrooster van wijk Qwerty{key} klopte niet"
    PERSONAL[key] = (name, street, email, phone, description, f"Qwerty{key}")
    return Intake(
        channel=channel,
        received_on=received_on,
        description=description,
        received_by="Onthaal",
        name=name,
        street=street,
        postal_code="9620",
        city="Zottegem",
        phone=phone,
        email=email,
        subject=subject,
        department_id=department_id,
        nature=nature,
        act_kind=act_kind,
        solved_immediately=solved,
        immediate_solution="Meteen rechtgezet." if solved else "",
    )


def _handled(
    ctx: ServiceContext,
    complaint: int,
    handler: int,
    days: Iterable[date],
    outcome: Outcome,
    *,
    reason: NoJudgementReason | None = None,
) -> None:
    """Decide, acknowledge, send, assess, returned, neutral, reply, close on ``days``."""
    decided, acknowledged, sent, assessed, returned, reviewed, replied, closed = days
    svc.decide_admissibility(ctx, complaint, [], on=decided)
    svc.record_acknowledgement(ctx, complaint, on=acknowledged)
    svc.send_to_handler(ctx, complaint, handler, on=sent)
    svc.record_assessment(
        ctx,
        complaint,
        outcome,
        solution="Oplossing." if outcome.requires_solution else "",
        no_judgement_reason=reason,
        on=assessed,
    )
    svc.record_returned(ctx, complaint, report_text="Rapport.", reply_text="Antwoord.", on=returned)
    svc.review_neutrality(ctx, complaint, True, on=reviewed)
    svc.record_reply_sent(ctx, complaint, on=replied)
    svc.close_complaint(ctx, complaint, on=closed)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


def build(ctx: ServiceContext) -> Built:
    """Fill the (empty) register; the hand counts are in test_figures.py."""
    built = Built()
    deps = built.departments
    for name in (A, B, C):
        deps[name] = add_department(ctx, name)
    save_municipality(ctx, Municipality("Gemeente Zottegem", "Markt 1", "9620", "Zottegem"))
    save_coordinator(ctx, Coordinator("Kim Coördinator", phone="09 364 64 64"))
    h_a = save_handler(ctx, HandlerData("Hannelore Behandelaar", "h@gemeente.example", "", deps[A]))
    h_b = save_handler(ctx, HandlerData("Bart Behandelaar", "b@gemeente.example", "", deps[B]))
    ids = built.ids

    def register(key: str, *args: object, **kwargs: object) -> int:
        ids[key] = svc.register_complaint(ctx, _intake(key, *args, **kwargs))  # type: ignore[arg-type]
        return ids[key]

    # The year before, for the trend.
    c = register("d0", Channel.PHONE, d(5, 10, 2025), deps[A])
    _handled(
        ctx,
        c,
        h_a,
        [d(5, m, 2025) for m in (11, 12, 12, 20, 22, 23, 25)] + [d(6, 1, 2025)],
        Outcome.UNFOUNDED,
    )

    c = register("d1", Channel.PHONE, d(1, 5), deps[A])
    _handled(ctx, c, h_a, [d(1, x) for x in (6, 8, 9, 20, 25, 26, 27, 28)], Outcome.WELL_FOUNDED)
    c = register(
        "d2",
        Channel.EMAIL,
        d(2, 2),
        deps[A],
        subject=Subject.DEPARTMENT,
        nature=Nature.NOT_DONE,
        act_kind=ActKind.TIME_LIMIT,
    )
    _handled(
        ctx,
        c,
        h_a,
        [d(2, 3), d(2, 20), d(2, 20), d(3, 10), d(3, 15), d(3, 16), d(3, 20), d(3, 25)],
        Outcome.PARTLY_WELL_FOUNDED,
    )
    c = register(
        "d3",
        Channel.LETTER,
        d(3, 2),
        deps[B],
        subject=Subject.POLITICIAN,
        nature=Nature.DEVIATION,
        act_kind=ActKind.DECISION,
    )
    _handled(ctx, c, h_b, [d(3, x) for x in (3, 5, 5, 20, 22, 23, 25, 26)], Outcome.CORRECTED)
    c = register("d4", Channel.WEBSITE, d(4, 1), deps[B], subject=None, nature=None, act_kind=None)
    _handled(ctx, c, h_b, [d(4, x) for x in (1, 3, 3, 20, 25, 26, 27, 28)], Outcome.UNFOUNDED)
    c = register("d5", Channel.IN_PERSON, d(5, 4), deps[A])
    _handled(
        ctx,
        c,
        h_a,
        [d(5, x) for x in (4, 5, 5, 20, 22, 25, 27, 30)],
        Outcome.NO_JUDGEMENT,
        reason=NoJudgementReason.UNCLEAR,
    )
    c = register("d6", Channel.PHONE, d(5, 11), deps[A])
    _handled(
        ctx,
        c,
        h_a,
        [d(5, x) for x in (11, 12, 12, 25, 26, 27, 29)] + [d(6, 1)],
        Outcome.NO_JUDGEMENT,
        reason=NoJudgementReason.DOUBT,
    )
    c = register("d7", Channel.PHONE, d(6, 1), deps[B])
    _handled(
        ctx,
        c,
        h_b,
        [d(6, x) for x in (1, 11, 11, 12, 13, 15, 18, 20)],  # acknowledged on its last day
        Outcome.NO_JUDGEMENT,
        reason=NoJudgementReason.TOO_SMALL,
    )
    # Stopped by the citizen while with the handler.
    c = register("d8", Channel.EMAIL, d(6, 8), deps[A])
    svc.decide_admissibility(ctx, c, [], on=d(6, 9))
    svc.record_acknowledgement(ctx, c, on=d(6, 10))
    svc.send_to_handler(ctx, c, h_a, on=d(6, 11))
    svc.withdraw_complaint(ctx, c, "Niet meer nodig.", on=d(6, 15))
    # Not a complaint (ground 1).
    c = register("d9", Channel.EMAIL, d(7, 1), deps[A])
    svc.decide_admissibility(ctx, c, [Ground.NOT_A_COMPLAINT], "Een vraag.", on=d(7, 2))
    svc.record_acknowledgement(ctx, c, on=d(7, 3))
    # Inadmissible on two grounds, acknowledged late.
    c = register("d10", Channel.LETTER, d(7, 6), deps[B])
    svc.decide_admissibility(
        ctx, c, [Ground.ANONYMOUS, Ground.FILED_BEFORE], "Twee redenen.", on=d(7, 7)
    )
    svc.record_acknowledgement(ctx, c, on=d(7, 20))
    # Solved at once and closed at registration.
    c = register("d11", Channel.PHONE, d(8, 3), deps[A], solved=True)
    svc.close_complaint(ctx, c, on=d(8, 3))
    # Stopped before the decision.
    c = register("d12", Channel.WEBSITE, d(8, 10), deps[B])
    svc.withdraw_complaint(ctx, c, "Vergist.", on=d(8, 12))
    # Received three days before the year's end: nothing done yet, every limit still runs.
    register("d13", Channel.PHONE, d(12, 28), deps[A])
    # With the handler since October: the handler's report and the answer are overdue.
    c = register("d14", Channel.EMAIL, d(10, 1), deps[A])
    svc.decide_admissibility(ctx, c, [], on=d(10, 2))
    svc.record_acknowledgement(ctx, c, on=d(10, 5))
    svc.send_to_handler(ctx, c, h_a, on=d(10, 6))
    # Registered while the acknowledgement limit was 14 days: acknowledged on day 12 is in
    # time for this dossier (it would be late under the procedure's 10).
    set_time_limits(ctx, TimeLimits(acknowledgement_days=14))
    c = register("d15", Channel.EMAIL, d(9, 1), deps[A])
    set_time_limits(ctx, TimeLimits())
    _handled(
        ctx,
        c,
        h_a,
        [d(9, x) for x in (2, 13, 14, 25, 28, 29, 30)] + [d(10, 16)],  # closed on its last day
        Outcome.WELL_FOUNDED,
    )
    # No department; inadmissible (anonymous).
    c = register("d16", Channel.PHONE, d(11, 2), None)
    svc.decide_admissibility(ctx, c, [Ground.ANONYMOUS], "Anoniem.", on=d(11, 3))
    svc.record_acknowledgement(ctx, c, on=d(11, 4))

    _record_issue_12_facts(built)
    return built


def _record_issue_12_facts(built: Built) -> None:
    """Route, mate van oplossing, norms, actions, inhabitants: with the models (no services
    for them on main yet)."""
    ids, deps = built.ids, built.departments
    routes = {"d2": Route.POLITICIAN, "d3": Route.ORGANISATION, "d4": None}
    for key, complaint in ids.items():
        Complaint.update(route=routes.get(key, Route.DIRECT)).where(
            Complaint.id == complaint
        ).execute()
    for key, resolution in (("d1", Resolution.RESOLVED), ("d2", Resolution.PARTLY_RESOLVED)):
        Complaint.update(resolution=resolution).where(Complaint.id == ids[key]).execute()
    norms = [
        ("d1", Norm.COURTESY),
        ("d1", Norm.CORRESPONDENCE),
        ("d2", Norm.COURTESY),
        ("d3", Norm.REASONABLE_TIME),
        ("d4", Norm.LAWFULNESS),
        ("d7", Norm.COURTESY),
        ("d0", Norm.ACCESSIBILITY),  # 2025: not in 2026's figures
    ]
    for key, norm in norms:
        ComplaintNorm.create(complaint=ids[key], norm=norm)
    now = datetime(2026, 12, 31, 12, 0)
    actions = [
        ("d1", "Ophaalrondes dubbel controleren", A, ActionStatus.DONE, d(1, 30), None, d(3, 1)),
        ("d2", "Termijnen opvolgen in de wekelijkse teamvergadering", B, ActionStatus.ONGOING,
         d(3, 16), d(12, 1), None),
        ("d0", "Telefonische bereikbaarheid verbeteren", A, ActionStatus.PLANNED,
         d(7, 1, 2025), None, None),
        (None, "Standaardbrieven herschrijven in klare taal", A, ActionStatus.PLANNED,
         d(11, 1), d(3, 1, 2027), None),
    ]  # fmt: skip
    for key, description, department, status, created, due, done in actions:
        ImprovementAction.create(
            complaint=None if key is None else ids[key],
            description=description,
            department=deps[department],
            status=status,
            created_on=created,
            due_on=due,
            done_on=done,
            updated_at=now,
        )
    Population.create(year=2025, inhabitants=19_800)
    Population.create(year=2026, inhabitants=20_000)


def clock() -> FakeClock:
    return FakeClock(CLOCK_START)
