"""A register full of realistic, fictitious complaints: for demos, screenshots and benchmarks.

Every dossier is walked through the real procedure rules (:mod:`klachtdesk.procedure`), so
states, dates and deadlines are exactly what the program would have produced, then written in
bulk: 100,000 complaints go in one transaction instead of a million service calls. The audit
trail gets one event per step, in chronological order, hash-chained like any other.
"""

from __future__ import annotations

import gc
import json
import random
from datetime import date, timedelta
from hashlib import sha256
from itertools import accumulate
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from operator import attrgetter
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
from klachtdesk.models.bulk import bulk_insert, search_index_deferred, written_once
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

from .audit import last_hash, to_json
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
    database.execute_sql(f"PRAGMA cache_size = -{DEMO_CACHE_KIB}")
    try:
        if count < WRITTEN_ONCE_FROM:
            return _fill(ctx, count, seed, years)
        with written_once():
            return _fill(ctx, count, seed, years)
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(cache_size)}")
        if gc_was_enabled:
            gc.enable()


#: The page cache while filling (KiB); benchmarks/demo_fill.py gives its floor the same.
DEMO_CACHE_KIB = 400_000
#: From this many dossiers the fill's pages go through a rollback journal (written once)
#: instead of the WAL (written twice); a small fill commits through the WAL as any service.
WRITTEN_ONCE_FROM = 2_000
#: Rows kept in memory before they are written: the register is filled in slices of this
#: many dossiers (and of this many audit events), not built whole in memory first.
CHUNK = 5_000


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
        rows = _Rows()
        trail = _Trail(ctx, first_id)
        # The events of a day are complete once the dossiers received on that day are made
        # (no step of a dossier is dated before its receipt): they are chained and written day
        # by day, in the order of time, as the services would have appended them.
        events_by_day: dict[str, list[_Event]] = {}
        day = ""
        with search_index_deferred(first_id):
            for index, received_on in enumerate(received):
                if received_on.isoformat() != day:
                    day = received_on.isoformat()
                    for complete in sorted(d for d in events_by_day if d < day):
                        trail.append(events_by_day.pop(complete))
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
                summary = f"Klacht {reference} geregistreerd ({intake.channel.label})"
                # What the services record: the whole row at registration, then each step's
                # changed values (services/check replays them against the row).
                intake_values = _intake_values(intake)
                start_values = _dossier_tuple(start)
                start_due = next_due_on(start)
                record = _registered_values(
                    complaint_id, reference, registered_at, intake_values, start, start_values,
                    start_due,
                )  # fmt: skip
                dossier_events: list[_Event] = [
                    (registered_at, index, 0, _REGISTER, summary, _EMPTY, _encode(record))
                ]
                moment = registered_at
                previous, previous_values, previous_due = start, start_values, start_due
                for seq, (action, on, summary, reached) in enumerate(steps, 1):
                    moment = max(_moment(on, rng, 9), moment)
                    reached_values = _dossier_tuple(reached)
                    reached_due = next_due_on(reached)
                    before, after = _step_values(
                        record, action, previous, previous_values, previous_due,
                        reached, reached_values, reached_due, extra,
                    )  # fmt: skip
                    dossier_events.append(
                        (moment, index, seq, action.value, summary, _encode(before),
                         _encode(after))
                    )  # fmt: skip
                    previous, previous_values, previous_due = reached, reached_values, reached_due
                assert previous is d  # the walk records every move it makes
                rows.complaints.append(
                    (
                        complaint_id,
                        reference,
                        registered_at,
                        registered_at,
                        previous_due,
                        *intake_values,
                        *previous_values,
                        *(extra.get(column, "") for column in TEXT_COLUMNS),
                        extra.get("resolution"),
                    )
                )
                rows.grounds.extend((complaint_id, g) for g in d.grounds)
                rows.keys.extend((complaint_id, k) for k in person_keys(intake))
                if "norms" in extra:
                    rows.norms.extend((complaint_id, n) for n in extra["norms"])
                    if (
                        d.outcome is not None
                        and requires_norm(d.outcome)
                        and rng.random() < IMPROVEMENT_SHARE
                    ):
                        row = _improvement(rng, d, today, department_names[intake.department_id])
                        rows.improvements.append((complaint_id, intake.department_id, *row))
                        description, status, created_on = row[0], row[1], row[2]
                        # Late in the day: after the assessment it follows from.
                        dossier_events.append(
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
                for event in dossier_events:
                    events_by_day.setdefault(event[0][:10], []).append(event)
                if len(rows.complaints) >= CHUNK:
                    rows.write()
            rows.write()
        for complete in sorted(events_by_day):
            trail.append(events_by_day.pop(complete))
        trail.write()
        for year, last in counters.items():
            ReferenceCounter.replace(year=year, last=last).execute()
    return count


class _Rows:
    """The rows of a slice of dossiers, written together (parents first)."""

    def __init__(self) -> None:
        self.complaints: list[tuple[Any, ...]] = []
        self.grounds: list[tuple[int, str]] = []
        self.norms: list[tuple[int, str]] = []
        self.improvements: list[tuple[Any, ...]] = []
        self.keys: list[tuple[int, str]] = []

    def write(self) -> None:
        bulk_insert(Complaint, _COMPLAINT_COLUMNS, self.complaints)
        bulk_insert(ComplaintGround, ["complaint", "ground"], self.grounds)
        bulk_insert(ComplaintNorm, ["complaint", "norm"], self.norms)
        bulk_insert(ImprovementAction, _IMPROVEMENT_COLUMNS, self.improvements)
        bulk_insert(PersonKey, ["complaint", "key"], self.keys)
        self.__init__()  # type: ignore[misc]


class _Trail:
    """The demo's audit events, hash-chained in order of time and written in slices."""

    def __init__(self, ctx: ServiceContext, first_id: int) -> None:
        self.first_id = first_id
        self.prev = last_hash()
        self.next_id = (AuditEvent.select(fn.MAX(AuditEvent.id)).scalar() or 0) + 1
        self.actor = f"{ctx.actor} (demo)"
        self.headers: list[tuple[Any, ...]] = []
        self.contents: list[tuple[Any, ...]] = []

    def append(self, events: list[_Event]) -> None:
        """Chain ``events`` (of one day, in any order) after the events before them."""
        events.sort()
        # services/audit.py's content_hash and event_hash, with the JSON of their lists
        # written out: the strings are escaped by the same function json uses for them.
        quote = encode_basestring
        actor = self.actor
        actor_json = quote(actor)
        prev = self.prev
        event_id = self.next_id
        first_id = self.first_id
        headers, contents = self.headers, self.contents
        for moment, index, _, action, summary, before, after in events:
            complaint_id = first_id + index
            digest = sha256(
                f"[{quote(summary)},{quote(before)},{quote(after)}]".encode()
            ).hexdigest()
            prev = sha256(
                f'["{prev}","{moment[:10]}T{moment[11:]}",{actor_json},{quote(action)},'
                f'{complaint_id},"{digest}"]'.encode()
            ).hexdigest()
            headers.append((event_id, moment, actor, action, complaint_id, digest, prev))
            contents.append((event_id, summary, before, after))
            event_id += 1
        self.prev, self.next_id = prev, event_id
        if len(headers) >= CHUNK:
            self.write()

    def write(self) -> None:
        columns = ["id", "at", "actor", "action", "complaint_id", "content_hash", "hash"]
        bulk_insert(AuditEvent, columns, self.headers)
        bulk_insert(AuditContent, ["event", "summary", "before", "after"], self.contents)
        self.headers, self.contents = [], []


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


_intake_values = attrgetter(*(name for _, name in _INTAKE_COLUMNS))
_dossier_tuple = attrgetter(*(name for _, name in _DOSSIER_COLUMNS))
_DOSSIER_KEYS = [column for column, _ in _DOSSIER_COLUMNS]
_INTAKE_KEYS = [column for column, _ in _INTAKE_COLUMNS]
_REGISTER = Action.REGISTER.value
# services/audit.to_json, made once: one encoder for a million small dicts.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)
_c_encode = (
    None
    if c_make_encoder is None
    else c_make_encoder(None, str, encode_basestring, None, ": ", ", ", True, False, True)
)


def _encode(values: dict[str, Any]) -> str:
    """``to_json(values)``: the same text (sorted keys, ", " and ": ", no ASCII escapes)."""
    if _c_encode is None:
        return _ENCODER.encode(values)
    return "".join(_c_encode(values, 0))


def _registered_values(
    complaint_id: int,
    reference: str,
    registered_at: str,
    intake_values: tuple[Any, ...],
    d: Dossier,
    dossier_values: tuple[Any, ...],
    due: date | None,
) -> dict[str, Any]:
    """The whole row as the registration's event records it (services/dossiers.snapshot)."""
    record = {
        "id": complaint_id,
        "reference": reference,
        "registered_at": registered_at.replace(" ", "T"),
    }
    # _json inlined: 75 values a dossier.
    record.update(
        zip(
            _INTAKE_KEYS,
            [v.isoformat() if isinstance(v, date) else v for v in intake_values],
            strict=True,
        )
    )
    record.update(
        zip(
            _DOSSIER_KEYS,
            [v.isoformat() if isinstance(v, date) else v for v in dossier_values],
            strict=True,
        )
    )
    record["grounds"] = sorted(str(g) for g in d.grounds)
    record["next_due_on"] = _json(due)
    record.update(dict.fromkeys(TEXT_COLUMNS, ""))
    record["resolution"] = None
    record["norms"] = []
    return record


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
    record: dict[str, Any],
    action: Action,
    previous: Dossier,
    previous_values: tuple[Any, ...],
    previous_due: date | None,
    reached: Dossier,
    reached_values: tuple[Any, ...],
    reached_due: date | None,
    extra: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a step changed (before, after), as services/complaints._move records it;
    ``record`` is brought up to date.

    ``record`` holds the values of ``previous`` already (each step's changes were applied to
    it), so only the dossier's fields that differ from ``previous`` are compared.
    """
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if previous_values != reached_values:
        for key, old, new in zip(_DOSSIER_KEYS, previous_values, reached_values, strict=True):
            if old != new:
                before[key] = _json(old)
                after[key] = _json(new)
    if previous.grounds != reached.grounds:
        before["grounds"] = record["grounds"]
        after["grounds"] = sorted(str(g) for g in reached.grounds)
    if previous_due != reached_due:
        before["next_due_on"] = _json(previous_due)
        after["next_due_on"] = _json(reached_due)
    for name in _STEP_EXTRAS.get(action, ()):
        if name == "norms":
            value: Any = sorted(str(n) for n in extra.get("norms", ()))
        else:
            value = extra.get(name, None if name == "resolution" else "")
        if record[name] != value:
            before[name] = record[name]
            after[name] = value
    record.update(after)
    return before, after
