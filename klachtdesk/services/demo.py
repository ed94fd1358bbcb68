"""A register full of realistic, fictitious complaints: for demos, screenshots and benchmarks.

Every dossier is walked through the real procedure rules (:mod:`klachtdesk.procedure`), so
states, dates and deadlines are exactly what the program would have produced, then written in
bulk: 100,000 complaints go in one transaction instead of a million service calls. The audit
trail gets one event per step, in chronological order, hash-chained like any other.
"""

from __future__ import annotations

import gc
import random
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from peewee import fn

from klachtdesk.models import (
    AuditContent,
    AuditEvent,
    Complaint,
    ComplaintGround,
    ComplaintNorm,
    Department,
    Handler,
    ImprovementAction,
    PersonKey,
    ReferenceCounter,
    database,
)
from klachtdesk.models.bulk import bulk_insert, search_index_deferred
from klachtdesk.procedure import (
    Action,
    ActionStatus,
    ActKind,
    Channel,
    Ground,
    Intake,
    Nature,
    NoJudgementReason,
    Norm,
    Outcome,
    Resolution,
    Route,
    Subject,
    TimeLimits,
    next_due_on,
    person_keys,
)
from klachtdesk.procedure import dossier as moves
from klachtdesk.procedure.assessment import requires_norm, requires_resolution
from klachtdesk.procedure.dossier import Dossier

from .audit import content_hash, event_hash, last_hash, to_json
from .context import ServiceContext
from .dossiers import TEXT_COLUMNS, next_complaint_id
from .improvements import ADDED as IMPROVEMENT_ADDED
from .settings import time_limits

FIRST_NAMES = (
    "Marie Jan Els Luc Sofie Pieter An Tom Griet Wim Lies Koen Inge Bart Hilde Dirk Katrien "
    "Geert Nathalie Stijn Lotte Jens Fien Wout Noor Arne Lore Sander Emma Lucas Julie Thibault "
    "Ilse Marc Veerle Hans Ann Raf Evi Jeroen Sarah Ahmed Fatima Mohamed Yasmina Piotr Agnieszka"
).split()
SURNAMES = [
    *"Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters Dubois Hermans Aerts "
    "Michiels Verstraeten Vermeulen Pauwels Martens Claeys Desmet Verhoeven Hendrickx Coppens "
    "Lemmens Smets Vandenberghe Segers Verbruggen Nowak Vanderstraeten Cools Bosmans Declercq "
    "Wuyts Vandenbroucke".split(),
    "De Smet",
    "Van den Broeck",
    "Van Damme",
    "El Amrani",
    "Van Hoof",
    "D'Hondt",
]
STREETS = (
    "Kerkstraat Stationsstraat Molenstraat Schoolstraat Dorpsstraat Nieuwstraat Kapelstraat "
    "Veldstraat Beekstraat Lindenlaan Kastanjelaan Bergstraat Hoogstraat Meersstraat Vaartstraat "
    "Brusselsesteenweg Tiensestraat Naamsestraat Diestsestraat Bondgenotenlaan Ridderstraat "
    "Groenstraat Pastorijstraat Weversstraat Boomgaardstraat"
).split()
PLACES = [
    ("3000", "Leuven"),
    ("3001", "Heverlee"),
    ("3010", "Kessel-Lo"),
    ("3012", "Wilsele"),
    ("3018", "Wijgmaal"),
    ("3020", "Herent"),
    ("3050", "Oud-Heverlee"),
    ("3080", "Tervuren"),
    ("3210", "Linden"),
    ("3360", "Bierbeek"),
    ("2000", "Antwerpen"),
    ("9000", "Gent"),
]
DEPARTMENTS = {
    "Burgerzaken": [
        "Ik stond meer dan een uur aan te schuiven aan het loket voor mijn identiteitskaart, "
        "terwijl ik een afspraak had.",
        "Mijn aanvraag voor een uittreksel uit het strafregister werd na drie weken nog altijd "
        "niet behandeld.",
        "De medewerker aan het loket was onvriendelijk en weigerde uitleg te geven.",
    ],
    "Openbare werken": [
        "Het voetpad voor mijn woning ligt al maanden open zonder signalisatie.",
        "De straatverlichting in onze straat is al weken defect ondanks meerdere meldingen.",
        "Er werd een boom gekapt voor mijn deur zonder dat de buurt verwittigd werd.",
    ],
    "Milieu en afval": [
        "Mijn restafvalcontainer werd twee keer na elkaar niet geledigd.",
        "Het recyclagepark weigerde mijn snoeiafval terwijl ik een geldige kaart had.",
        "De glasbol in de Kerkstraat zit al twee weken vol en niemand komt hem legen.",
    ],
    "Omgeving": [
        "Op mijn omgevingsvergunningsaanvraag kreeg ik na de wettelijke termijn nog geen antwoord.",
        "De buurman bouwt een tuinhuis zonder vergunning en de dienst reageert niet.",
    ],
    "Financiën": [
        "Ik kreeg een aanmaning voor een factuur die ik al betaald had.",
        "De belastingaanslag voor tweede verblijven werd ten onrechte naar mij gestuurd.",
    ],
    "Sociale dienst": [
        "Mijn dossier voor een leefloon werd niet binnen de termijn behandeld.",
        "Ik werd niet teruggebeld door mijn maatschappelijk werker, na drie berichten.",
    ],
    "Vrije tijd": [
        "De sporthal was gesloten op het moment dat wij gereserveerd hadden.",
        "De inschrijvingen voor de speelpleinwerking waren vol voor ze officieel opengingen.",
    ],
}
HANDLERS = [
    ("Sofie Van Damme", "Burgerzaken"),
    ("Koen Maes", "Openbare werken"),
    ("Inge Claes", "Milieu en afval"),
    ("Bart Wouters", "Omgeving"),
    ("Hilde Jacobs", "Financiën"),
    ("Dirk Lemmens", "Sociale dienst"),
    ("Katrien Segers", "Vrije tijd"),
]
RECEIVERS = ["Onthaal", "Klachtencoördinator", "Loket Burgerzaken", "Technische dienst", "Website"]
CHANNEL_WEIGHTS = {
    Channel.EMAIL: 35,
    Channel.PHONE: 25,
    Channel.WEBSITE: 20,
    Channel.LETTER: 10,
    Channel.IN_PERSON: 10,
}
OUTCOME_WEIGHTS = {
    Outcome.WELL_FOUNDED: 25,
    Outcome.PARTLY_WELL_FOUNDED: 20,
    Outcome.CORRECTED: 10,
    Outcome.UNFOUNDED: 30,
    Outcome.NO_JUDGEMENT: 10,
    Outcome.STOPPED_BY_CITIZEN: 5,
}
ROUTE_WEIGHTS = {Route.DIRECT: 86, Route.POLITICIAN: 8, Route.ORGANISATION: 6}
RESOLUTION_WEIGHTS = {
    Resolution.RESOLVED: 60,
    Resolution.PARTLY_RESOLVED: 25,
    Resolution.NOT_RESOLVED: 15,
}
# How often each ombudsnorm is touched, roughly as the Vlaamse Ombudsdienst's yearly reports
# show it for local governments: time limits, active service and accuracy lead.
NORM_WEIGHTS = {
    Norm.LAWFULNESS: 4,
    Norm.REASONING: 4,
    Norm.EQUALITY: 2,
    Norm.LEGAL_CERTAINTY: 2,
    Norm.PROPORTIONALITY: 3,
    Norm.COURTESY: 9,
    Norm.ACTIVE_SERVICE: 14,
    Norm.CORRESPONDENCE: 8,
    Norm.ACCESSIBILITY: 6,
    Norm.INFORMATION: 7,
    Norm.ACCURACY: 14,
    Norm.COMPLAINT_HANDLING: 3,
    Norm.REASONABLE_TIME: 16,
    Norm.COORDINATION: 6,
    Norm.PRIVACY: 2,
}
# What a department changes after a well-founded complaint (no names: not personal data).
IMPROVEMENTS = {
    "Burgerzaken": [
        "Afspraken aan het loket krijgen voortaan voorrang op de wachtrij.",
        "Aanvragen van uittreksels worden dagelijks opgevolgd in een gedeelde lijst.",
    ],
    "Openbare werken": [
        "Werven op het openbaar domein krijgen een signalisatieplan vóór de start.",
        "Meldingen van defecte straatverlichting worden wekelijks aan de netbeheerder bezorgd.",
    ],
    "Milieu en afval": [
        "De ophaalrondes worden met de chauffeurs overlopen na elke wijziging van de route.",
        "Het recyclagepark krijgt een duidelijk bord met de aanvaarde soorten snoeiafval.",
    ],
    "Omgeving": [
        "Een automatische herinnering bewaakt de termijn van elke vergunningsaanvraag.",
    ],
    "Financiën": [
        "Betalingen worden afgestemd vóór een aanmaning vertrekt.",
    ],
    "Sociale dienst": [
        "Terugbelverzoeken worden binnen twee werkdagen beantwoord en genoteerd.",
    ],
    "Vrije tijd": [
        "Reservaties van de sporthal worden gecontroleerd tegen het onderhoudsschema.",
        "De inschrijvingsdatum voor de speelpleinwerking wordt vooraf aangekondigd.",
    ],
}
IMPROVEMENT_SHARE = 0.12  # of the complaints found (partly) right
INADMISSIBLE_MOTIVATION = (
    "Na onderzoek van de ontvankelijkheid kan de klacht niet behandeld worden."
)


# (moment "YYYY-MM-DD HH:MM:SS", complaint index, action code, summary): plain tuples sort
# natively, which matters for 760,000 events.
#: (moment, dossier index, step of the dossier, action, summary, before, after)
_Event = tuple[str, int, int, str, str, str, str]
_EMPTY = to_json({})


def _between(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint(low, high)``, five times faster; it is called millions of times here."""
    return low + int(rng.random() * (high - low + 1))


def _moment(day: date, rng: random.Random, first_hour: int) -> str:
    return f"{day.isoformat()} {first_hour + _between(rng, 0, 7):02d}:{_between(rng, 0, 59):02d}:00"


def _email_for(name: str, rng: random.Random) -> str:
    local = ".".join(name.lower().replace("'", "").split())
    return f"{local}{_between(rng, 1, 99)}@{rng.choice(['telenet.be', 'gmail.com', 'proximus.be', 'outlook.com'])}"


def _ensure_organisation() -> tuple[dict[str, int], dict[int, list[int]]]:
    """The demo's departments, and the active handlers of each (by department id).

    A department of the demo without an active handler gets the demo's handler for it, so
    every dossier goes to a handler of its own department.
    """
    departments = {d.name: d.id for d in Department.select()}
    for name in DEPARTMENTS:
        if name not in departments:
            departments[name] = Department.create(name=name, active=True).id
    handlers: dict[int, list[int]] = {}
    for handler in Handler.select().where(Handler.active == True):  # noqa: E712
        if handler.department_id is not None:
            handlers.setdefault(handler.department_id, []).append(handler.id)
    for name, department in HANDLERS:
        department_id = departments[department]
        if handlers.get(department_id):
            continue
        email = ".".join(name.lower().split()) + "@gemeente.example"
        handler_id = Handler.create(
            name=name, email=email, phone="", department=department_id, active=True
        ).id
        handlers[department_id] = [handler_id]
    return departments, handlers


def _walk(
    d: Dossier,
    rng: random.Random,
    today: date,
    handler_ids: list[int],
    events: list[tuple[Action, date, str, Dossier]],
) -> tuple[Dossier, dict[str, Any]]:
    """Take the dossier as far as its dates allow before ``today``; record each step with
    the dossier it led to."""
    extra: dict[str, Any] = {}

    def record(action: Action, on: date, summary: str) -> None:
        events.append((action, on, summary, d))

    def at(after: date, lo: int, hi: int) -> date | None:
        day = max(after, d.last_milestone_on) + timedelta(days=_between(rng, lo, hi))
        return day if day <= today else None

    if d.solved_immediately and rng.random() < 0.8:
        d = moves.close(d, on=d.coordinator_received_on, today=today)
        record(*(Action.CLOSE, d.coordinator_received_on, "Dossier afgesloten (meteen opgelost)"))
        return d, extra
    if rng.random() < 0.03 and (on := at(d.received_on, 1, 20)):
        d = moves.withdraw(d, on=on, today=today)
        record(*(Action.WITHDRAW, on, "Stopgezet door de burger"))
        return d, extra
    # A few dossiers are left lying, as in real life: their time limits run out.
    left_lying = rng.random()
    if left_lying < 0.01 or not (on := at(d.coordinator_received_on, 0, 4)):
        return d, extra
    grounds: set[Ground] = set()
    if rng.random() < 0.12:
        grounds = {rng.choice(list(Ground))}
        extra["admissibility_motivation"] = INADMISSIBLE_MOTIVATION
    d = moves.decide_admissibility(
        d, grounds, motivation=INADMISSIBLE_MOTIVATION, on=on, today=today
    )
    record(
        *(
            Action.DECIDE_ADMISSIBILITY,
            on,
            "Ontvankelijk verklaard" if d.admissible else "Niet ontvankelijk",
        )
    )
    late = rng.random() < 0.08
    if not (on := at(d.received_on, 3 if not late else 11, 10 if not late else 16)):
        return d, extra
    d = moves.acknowledge(d, on=on, today=today)
    record(*(Action.ACKNOWLEDGE, on, f"Ontvangstmelding verstuurd {d.delivery.label}"))
    if not d.state.is_open:
        return d, extra
    if left_lying < 0.03:
        return d, extra
    if not (on := at(on, 0, 3)):
        return d, extra
    handler_id = handler_ids[_between(rng, 0, len(handler_ids) - 1)]
    d = moves.send_to_handler(d, handler_id, on=on, today=today)
    record(*(Action.SEND_TO_HANDLER, on, "Rapport naar behandelaar gestuurd"))
    if not (on := at(on, 5, 22)):
        return d, extra
    extra["investigation_contacts"] = (
        "Gesprek met het diensthoofd; klager telefonisch gecontacteerd."
    )
    extra["investigation_summary"] = "De feiten werden met de betrokken dienst overlopen."
    outcome = rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()))[0]
    reason = rng.choice(list(NoJudgementReason)) if outcome is Outcome.NO_JUDGEMENT else None
    solution = (
        "De dienst herstelt de fout en biedt excuses aan." if outcome.requires_solution else ""
    )
    extra["solution"] = solution
    d = moves.assess(d, outcome, solution=solution, no_judgement_reason=reason, on=on, today=today)
    record(*(Action.ASSESS, on, f"Beoordeling: {outcome.label}"))
    if requires_resolution(outcome):
        extra["resolution"] = rng.choices(_RESOLUTIONS, cum_weights=_RESOLUTION_CUM)[0]
    if requires_norm(outcome) or rng.random() < 0.3:
        picked = rng.choices(_NORMS, cum_weights=_NORM_CUM, k=1 if rng.random() < 0.7 else 2)
        extra["norms"] = set(picked)
    if not d.state.is_open:
        return d, extra
    if not (on := at(on, 1, 10 if rng.random() < 0.85 else 25)):
        return d, extra
    d = moves.record_returned(d, on=on, today=today)
    extra["report_text"] = "Rapport aangevuld met de bevindingen van het onderzoek."
    extra["reply_text"] = "Geachte, na onderzoek van uw klacht kunnen wij u het volgende meedelen."
    record(*(Action.RECORD_RETURNED, on, "Rapport en motiverende brief ontvangen"))
    if rng.random() < 0.08:
        if not (on := at(on, 0, 2)):
            return d, extra
        d = moves.review_neutrality(
            d, False, reason="Enkel de dienst werd gehoord.", on=on, today=today
        )
        extra["review_failed_reason"] = "Enkel de dienst werd gehoord."
        record(*(Action.REVIEW_NEUTRALITY, on, "Neutraliteitstoets: niet neutraal"))
        if not (on := at(on, 2, 9)):
            return d, extra
        d = moves.record_returned(d, on=on, today=today)
        record(*(Action.RECORD_RETURNED, on, "Rapport en motiverende brief opnieuw ontvangen"))
    if not (on := at(on, 0, 3)):
        return d, extra
    d = moves.review_neutrality(d, True, reason="", on=on, today=today)
    record(*(Action.REVIEW_NEUTRALITY, on, "Neutraliteitstoets: goedgekeurd"))
    if not (on := at(on, 0, 3)):
        return d, extra
    d = moves.record_reply_sent(d, on=on, today=today)
    record(*(Action.RECORD_REPLY_SENT, on, f"Motiverende brief verstuurd {d.delivery.label}"))
    if not (on := at(on, 0, 4)):
        return d, extra
    d = moves.close(d, on=on, today=today)
    record(*(Action.CLOSE, on, "Dossier afgesloten"))
    return d, extra


def fill_with_demo(ctx: ServiceContext, count: int, *, seed: int = 2026, years: int = 2) -> int:
    """Add ``count`` fictitious complaints received over the last ``years``; returns the count."""
    if count < 0:
        raise ValueError("count must not be negative")
    # Measured on 100,000 complaints: the cyclic garbage collector, re-scanning millions of
    # young objects, took a third of the time; a bigger page cache halves the insert time.
    cache_size = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    gc_was_enabled = gc.isenabled()
    gc.disable()
    database.execute_sql("PRAGMA cache_size = -400000")
    try:
        return _fill(ctx, count, seed, years)
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(cache_size)}")
        if gc_was_enabled:
            gc.enable()


_RESOLUTIONS = list(RESOLUTION_WEIGHTS)
_RESOLUTION_CUM = list(accumulate(RESOLUTION_WEIGHTS.values()))
_NORMS = list(NORM_WEIGHTS)
_NORM_CUM = list(accumulate(NORM_WEIGHTS.values()))
_ROUTES = list(ROUTE_WEIGHTS)
_ROUTE_CUM = list(accumulate(ROUTE_WEIGHTS.values()))

# Complaint columns filled from the intake, the dossier and the walk's extra texts.
_INTAKE_COLUMNS = [
    ("department" if name == "department_id" else name, name)
    for name in Intake.__dataclass_fields__
]
_DOSSIER_COLUMNS = [
    ("handler" if name == "handler_id" else name, name)
    for name in Dossier.__dataclass_fields__
    if name != "grounds"
]
_COMPLAINT_COLUMNS = [
    "id",
    "reference",
    "registered_at",
    "updated_at",
    "next_due_on",
    *(column for column, _ in _INTAKE_COLUMNS),
    *(column for column, _ in _DOSSIER_COLUMNS),
    *TEXT_COLUMNS,
    "resolution",
]


def _fictitious_intake(
    rng: random.Random, received_on: date, today: date, departments: dict[str, int]
) -> Intake:
    channel = rng.choices(_CHANNELS, weights=_CHANNEL_WEIGHTS)[0]
    coordinator_on = min(received_on + timedelta(days=rng.choice((0, 0, 0, 1, 2, 5))), today)
    anonymous = rng.random() < 0.03
    name = "" if anonymous else f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    postal_code, city = ("", "") if anonymous else rng.choice(PLACES)
    street = "" if anonymous else f"{rng.choice(STREETS)} {_between(rng, 1, 180)}"
    email = ""
    if channel is Channel.EMAIL or rng.random() < 0.5:
        email = _email_for(name or "anoniem", rng)
    phone = ""
    if rng.random() < 0.7:
        digits = rng.randrange(10**6, 10**7)
        phone = f"+32 4{_between(rng, 70, 99)} {digits // 10**4 % 100:02d} {digits // 100 % 100:02d} {digits % 100:02d}"
    department = rng.choice(list(DEPARTMENTS))
    solved = rng.random() < 0.05
    facts_on = received_on - timedelta(days=_between(rng, 0, 40)) if rng.random() < 0.6 else None
    return Intake(
        channel=channel,
        received_on=received_on,
        coordinator_received_on=coordinator_on,
        description=rng.choice(DEPARTMENTS[department]),
        received_by=rng.choice(RECEIVERS),
        forwarded_by="" if channel in (Channel.EMAIL, Channel.WEBSITE) else "Diensthoofd",
        name=name,
        street=street,
        postal_code=postal_code,
        city=city,
        phone=phone,
        email=email,
        facts_on=facts_on,
        subject=rng.choice(_SUBJECTS),
        department_id=departments[department],
        nature=rng.choice(_NATURES),
        act_kind=rng.choice(_ACT_KINDS),
        solved_immediately=solved,
        immediate_solution="De fout werd meteen rechtgezet." if solved else "",
        route=rng.choices(_ROUTES, cum_weights=_ROUTE_CUM)[0],
    )


_CHANNELS = list(CHANNEL_WEIGHTS)
_CHANNEL_WEIGHTS = list(CHANNEL_WEIGHTS.values())
_SUBJECTS = list(Subject)
_NATURES = list(Nature)
_ACT_KINDS = list(ActKind)


def _fill(ctx: ServiceContext, count: int, seed: int, years: int) -> int:
    rng = random.Random(seed)
    today = ctx.today()
    limits: TimeLimits = time_limits()
    with database.atomic():
        departments, handlers = _ensure_organisation()
        department_names = {v: k for k, v in departments.items()}
        received = sorted(
            today - timedelta(days=_between(rng, 0, 365 * years)) for _ in range(count)
        )
        first_id = next_complaint_id()
        counters = {c.year: c.last for c in ReferenceCounter.select()}
        complaint_rows: list[tuple[Any, ...]] = []
        ground_rows: list[tuple[int, str]] = []
        norm_rows: list[tuple[int, str]] = []
        improvement_rows: list[tuple[Any, ...]] = []
        key_rows: list[tuple[int, str]] = []
        events: list[_Event] = []
        for index, received_on in enumerate(received):
            complaint_id = first_id + index
            intake = _fictitious_intake(rng, received_on, today, departments)
            assert intake.department_id is not None  # every demo complaint has one
            coordinator_on = intake.coordinator_received_on or received_on
            year = coordinator_on.year
            counters[year] = counters.get(year, 0) + 1
            reference = f"{year}-{counters[year]:04d}"
            steps: list[tuple[Action, date, str, Dossier]] = []
            start = d = moves.start(
                intake.channel,
                received_on,
                coordinator_on,
                solved_immediately=intake.solved_immediately,
                today=today,
                limits=limits,
            )
            d, extra = _walk(d, rng, today, handlers[intake.department_id], steps)
            registered_at = _moment(coordinator_on, rng, 8)
            complaint_rows.append(
                (
                    complaint_id,
                    reference,
                    registered_at,
                    registered_at,
                    next_due_on(d),
                    *(getattr(intake, name) for _, name in _INTAKE_COLUMNS),
                    *(getattr(d, name) for _, name in _DOSSIER_COLUMNS),
                    *(extra.get(column, "") for column in TEXT_COLUMNS),
                    extra.get("resolution"),
                )
            )
            ground_rows.extend((complaint_id, g) for g in d.grounds)
            key_rows.extend((complaint_id, k) for k in person_keys(intake))
            summary = f"Klacht {reference} geregistreerd ({intake.channel.label})"
            # What the services record: the whole row at registration, then each step's
            # changed values (services/check replays them against the row).
            record = _registered_values(complaint_id, reference, registered_at, intake, start)
            events.append(
                (registered_at, index, 0, Action.REGISTER.value, summary, _EMPTY, to_json(record))
            )
            moment = registered_at
            for seq, (action, on, summary, reached) in enumerate(steps, 1):
                moment = max(_moment(on, rng, 9), moment)
                before, after = _step_values(record, action, reached, extra)
                events.append(
                    (moment, index, seq, action.value, summary, to_json(before), to_json(after))
                )
            if "norms" in extra:
                norm_rows.extend((complaint_id, n) for n in extra["norms"])
                if (
                    d.outcome is not None
                    and requires_norm(d.outcome)
                    and rng.random() < IMPROVEMENT_SHARE
                ):
                    row = _improvement(rng, d, today, department_names[intake.department_id])
                    improvement_rows.append((complaint_id, intake.department_id, *row))
                    description, status, created_on = row[0], row[1], row[2]
                    # Late in the day: after the assessment it follows from.
                    events.append(
                        (
                            _moment(created_on, rng, 16),
                            index,
                            len(steps) + 1,
                            IMPROVEMENT_ADDED,
                            f"Verbeteractie toegevoegd ({status.label}): {description}",
                            _EMPTY,
                            _EMPTY,
                        )
                    )
        with search_index_deferred(first_id):
            bulk_insert(Complaint, _COMPLAINT_COLUMNS, complaint_rows)
        bulk_insert(ComplaintGround, ["complaint", "ground"], ground_rows)
        bulk_insert(ComplaintNorm, ["complaint", "norm"], norm_rows)
        bulk_insert(ImprovementAction, _IMPROVEMENT_COLUMNS, improvement_rows)
        bulk_insert(PersonKey, ["complaint", "key"], key_rows)
        for year, last in counters.items():
            ReferenceCounter.replace(year=year, last=last).execute()
        _write_events(ctx, events, first_id)
    return count


_IMPROVEMENT_COLUMNS = [
    "complaint",
    "department",
    "description",
    "status",
    "created_on",
    "due_on",
    "done_on",
    "updated_at",
]


def _improvement(
    rng: random.Random, d: Dossier, today: date, department: str
) -> tuple[str, ActionStatus, date, date | None, date | None, str]:
    """An improvement action of ``department`` for a complaint found (partly) right, dated
    from its assessment (description, status, created, due, done, updated): the older it is,
    the likelier it was carried out."""
    description = rng.choice(IMPROVEMENTS.get(department) or _ANY_IMPROVEMENT)
    assert d.assessed_on is not None
    created_on = min(d.assessed_on + timedelta(days=_between(rng, 0, 5)), today)
    due_on = created_on + timedelta(days=_between(rng, 30, 120)) if rng.random() < 0.7 else None
    done_on: date | None = created_on + timedelta(days=_between(rng, 10, 150))
    age = (today - created_on).days
    if done_on is not None and done_on <= today and rng.random() < 0.85:
        status = ActionStatus.DONE
    else:
        status = ActionStatus.ONGOING if age > 14 and rng.random() < 0.6 else ActionStatus.PLANNED
        done_on = None
    updated = f"{(done_on or created_on).isoformat()} 10:00:00"
    return (description, status, created_on, due_on, done_on, updated)


_ANY_IMPROVEMENT = [
    "De werkwijze van de dienst wordt herbekeken en aan alle medewerkers uitgelegd."
]


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _dossier_values(d: Dossier) -> dict[str, Any]:
    """The dossier's columns as an event records them (services/dossiers.snapshot)."""
    values = {column: _json(getattr(d, name)) for column, name in _DOSSIER_COLUMNS}
    values["grounds"] = sorted(str(g) for g in d.grounds)
    values["next_due_on"] = _json(next_due_on(d))
    return values


def _registered_values(
    complaint_id: int, reference: str, registered_at: str, intake: Intake, d: Dossier
) -> dict[str, Any]:
    return {
        "id": complaint_id,
        "reference": reference,
        "registered_at": registered_at.replace(" ", "T"),
        **{column: _json(getattr(intake, name)) for column, name in _INTAKE_COLUMNS},
        **_dossier_values(d),
        **dict.fromkeys(TEXT_COLUMNS, ""),
        "resolution": None,
        "norms": [],
    }


#: The texts and choices of the walk that each step records (as the service of that step).
_STEP_EXTRAS = {
    Action.DECIDE_ADMISSIBILITY: ("admissibility_motivation",),
    Action.ASSESS: (
        "investigation_contacts",
        "investigation_summary",
        "solution",
        "resolution",
        "norms",
    ),
    Action.RECORD_RETURNED: ("report_text", "reply_text"),
    Action.REVIEW_NEUTRALITY: ("review_failed_reason",),
}


def _step_values(
    record: dict[str, Any], action: Action, reached: Dossier, extra: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a step changed (before, after), as services/complaints._move records it;
    ``record`` is brought up to date."""
    new = _dossier_values(reached)
    for name in _STEP_EXTRAS.get(action, ()):
        if name == "norms":
            new[name] = sorted(str(n) for n in extra.get("norms", ()))
        else:
            new[name] = extra.get(name, None if name == "resolution" else "")
    before = {k: record.get(k) for k, v in new.items() if record.get(k) != v}
    after = {k: new[k] for k in before}
    record.update(after)
    return before, after


def _write_events(ctx: ServiceContext, events: list[_Event], first_id: int) -> None:
    events.sort()
    prev = last_hash()
    next_id = (AuditEvent.select(fn.MAX(AuditEvent.id)).scalar() or 0) + 1
    actor = f"{ctx.actor} (demo)"
    headers: list[tuple[Any, ...]] = []
    contents: list[tuple[Any, ...]] = []
    for event_id, (moment, index, _, action, summary, before, after) in enumerate(
        events, start=next_id
    ):
        complaint_id = first_id + index
        at_iso = moment.replace(" ", "T")
        digest = content_hash(summary, before, after)
        prev = event_hash(prev, at_iso, actor, action, complaint_id, digest)
        headers.append((event_id, moment, actor, action, complaint_id, digest, prev))
        contents.append((event_id, summary, before, after))
    columns = ["id", "at", "actor", "action", "complaint_id", "content_hash", "hash"]
    bulk_insert(AuditEvent, columns, headers)
    bulk_insert(AuditContent, ["event", "summary", "before", "after"], contents)
